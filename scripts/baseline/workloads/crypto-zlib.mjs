// Workload: crypto and zlib, sync and on the threadpool (pbkdf2, scrypt, key generation,
// randomBytes, gzip/deflate/brotli), plus WebCrypto and streaming compression.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const crypto = await import('node:crypto');
const zlib = await import('node:zlib');
const { promisify } = await import('node:util');
const { pipeline } = await import('node:stream/promises');
const { Readable, Writable } = await import('node:stream');

const data = Buffer.from('syscage '.repeat(4096));
crypto.createHash('sha256').update(data).digest('hex');
crypto.createHmac('sha256', 'key').update(data).digest();
crypto.randomBytes(32);
crypto.randomUUID();
crypto.getRandomValues(new Uint8Array(16));
await promisify(crypto.randomBytes)(32);
await promisify(crypto.randomFill)(new Uint8Array(32));
await promisify(crypto.pbkdf2)('password', 'salt', 2000, 32, 'sha256');
await promisify(crypto.scrypt)('password', 'salt', 32);
crypto.pbkdf2Sync('password', 'salt', 100, 32, 'sha256');
const { privateKey, publicKey } = await promisify(crypto.generateKeyPair)('ec', { namedCurve: 'P-256' });
crypto.verify('sha256', data, publicKey, crypto.sign('sha256', data, privateKey));
crypto.generateKeyPairSync('ed25519');
const key = crypto.randomBytes(32);
const iv = crypto.randomBytes(12);
const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
Buffer.concat([cipher.update(data), cipher.final()]);
await crypto.webcrypto.subtle.digest('SHA-256', data);
const aes = await crypto.webcrypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, ['encrypt']);
await crypto.webcrypto.subtle.encrypt({ name: 'AES-GCM', iv }, aes, data);

zlib.gunzipSync(zlib.gzipSync(data));
zlib.inflateSync(zlib.deflateSync(data));
await promisify(zlib.gunzip)(await promisify(zlib.gzip)(data));
await promisify(zlib.brotliDecompress)(await promisify(zlib.brotliCompress)(data));
await promisify(zlib.inflateRaw)(await promisify(zlib.deflateRaw)(data));
await pipeline(Readable.from([data, data]), zlib.createGzip(), new Writable({ write(_chunk, _enc, next) { next(); } }));
