/**
 * Computation that needs no capability but exercises the libuv threadpool and V8's platform
 * threads: crypto (sync and async), zlib (sync, async, streams) and WebAssembly. A kill here is a
 * hole in the Node baseline, typically a syscall only a threadpool or a platform thread makes.
 */
import crypto, { webcrypto } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { define } from './util.mjs';

const digest = (buffer) => crypto.createHash('sha256').update(buffer).digest('hex').slice(0, 16);

const cryptoOps = define([], {
  'crypto.randomUUID': async () => crypto.randomUUID().length,
  'crypto.getRandomValues': async () => webcrypto.getRandomValues(new Uint8Array(16)).length,
  'crypto.randomBytes.sync': async () => crypto.randomBytes(32).length,
  'crypto.randomBytes.async': async () => (await promisify(crypto.randomBytes)(32)).length,
  'crypto.randomInt': async () => crypto.randomInt(10) < 10,
  'crypto.createHash': async () => digest('syscage'),
  'crypto.createHmac': async () => crypto.createHmac('sha256', 'key').update('syscage').digest('hex').slice(0, 16),
  'crypto.pbkdf2Sync': async () => crypto.pbkdf2Sync('pw', 'salt', 1000, 32, 'sha256').toString('hex').slice(0, 16),
  'crypto.pbkdf2.async': async () => (await promisify(crypto.pbkdf2)('pw', 'salt', 1000, 32, 'sha256')).toString('hex').slice(0, 16),
  'crypto.scryptSync': async () => crypto.scryptSync('pw', 'salt', 32).toString('hex').slice(0, 16),
  'crypto.scrypt.async': async () => (await promisify(crypto.scrypt)('pw', 'salt', 32)).toString('hex').slice(0, 16),
  'crypto.hkdf.async': async () => Buffer.from(await promisify(crypto.hkdf)('sha256', 'key', 'salt', 'info', 32)).toString('hex').slice(0, 16),
  'crypto.generateKeyPairSync.ed25519': async () => crypto.generateKeyPairSync('ed25519').publicKey.asymmetricKeyType,
  'crypto.generateKeyPair.rsa.async': async () => (await promisify(crypto.generateKeyPair)('rsa', { modulusLength: 1024 })).publicKey.asymmetricKeyDetails.modulusLength,
  'crypto.generateKeyPair.ec.async': async () => (await promisify(crypto.generateKeyPair)('ec', { namedCurve: 'P-256' })).privateKey.asymmetricKeyType,
  'crypto.cipheriv.aes-256-gcm': async () => {
    const key = crypto.randomBytes(32);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update('secret'), cipher.final()]);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv).setAuthTag(cipher.getAuthTag());
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString();
  },
  'crypto.sign-verify.ed25519': async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    return crypto.verify(null, Buffer.from('m'), publicKey, crypto.sign(null, Buffer.from('m'), privateKey));
  },
  'crypto.ecdh': async () => {
    const a = crypto.createECDH('prime256v1');
    const b = crypto.createECDH('prime256v1');
    const [publicA, publicB] = [a.generateKeys(), b.generateKeys()];
    return a.computeSecret(publicB).equals(b.computeSecret(publicA));
  },
  'crypto.timingSafeEqual-secretKey': async () => crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')) && crypto.createSecretKey(Buffer.from('k')).type,
  'crypto.getCiphers-getHashes': async () => crypto.getCiphers().length > 0 && crypto.getHashes().includes('sha256'),
  'crypto.subtle.digest': async () => Buffer.from(await webcrypto.subtle.digest('SHA-256', new TextEncoder().encode('syscage'))).toString('hex').slice(0, 16),
  'crypto.subtle.ecdsa-sign-verify': async () => {
    const { subtle } = webcrypto;
    const keys = await subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign', 'verify']);
    const algorithm = { name: 'ECDSA', hash: 'SHA-256' };
    const signature = await subtle.sign(algorithm, keys.privateKey, new Uint8Array([1]));
    return subtle.verify(algorithm, keys.publicKey, signature, new Uint8Array([1]));
  },
});

const text = Buffer.from('syscage '.repeat(4096));

const zlibOps = define([], {
  'zlib.gzipSync-gunzipSync': async () => zlib.gunzipSync(zlib.gzipSync(text)).length,
  'zlib.deflate.async': async () => (await promisify(zlib.deflate)(text)).length > 0,
  'zlib.inflate.async': async () => (await promisify(zlib.inflate)(zlib.deflateSync(text))).length,
  'zlib.unzip.async': async () => (await promisify(zlib.unzip)(zlib.gzipSync(text))).length,
  'zlib.brotliCompressSync': async () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text)).length,
  'zlib.brotliCompress.async': async () => (await promisify(zlib.brotliDecompress)(await promisify(zlib.brotliCompress)(text))).length,
  'zlib.createGzip-stream': async () => {
    const chunks = [];
    await pipeline(Readable.from([text, text]), zlib.createGzip(), zlib.createGunzip(), new Writable({ write(chunk, _e, done) { chunks.push(chunk); done(); } }));
    return Buffer.concat(chunks).length;
  },
  'zlib.deflateRawSync': async () => zlib.inflateRawSync(zlib.deflateRawSync(text)).length,
  'stream.web-CompressionStream': async () => {
    const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return (await new Response(compressed.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()).byteLength;
  },
  'zlib.crc32': { minNode: 22, run: async () => zlib.crc32('syscage') },
  'zlib.zstd': { minNode: 24, run: async () => zlib.zstdDecompressSync(zlib.zstdCompressSync(text)).length },
});

/** `(module (func (export "add") (param i32 i32) (result i32) local.get 0 local.get 1 i32.add) (memory (export "mem") 1))` */
const WASM_ADD = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02, 0x01, 0x00,
  0x05, 0x03, 0x01, 0x00, 0x01, 0x07, 0x0d, 0x02, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x03, 0x6d, 0x65, 0x6d, 0x02, 0x00,
  0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20, 0x01, 0x6a, 0x0b,
]);

const wasmOps = define([], {
  'wasm.compile-instantiate': async () => {
    const module = await WebAssembly.compile(WASM_ADD);
    const instance = await WebAssembly.instantiate(module);
    return instance.exports.add(2, 3);
  },
  'wasm.sync-Module': async () => new WebAssembly.Instance(new WebAssembly.Module(WASM_ADD)).exports.add(4, 5),
  'wasm.instantiateStreaming': async () => {
    const response = new Response(WASM_ADD, { headers: { 'content-type': 'application/wasm' } });
    return (await WebAssembly.instantiateStreaming(response)).instance.exports.add(1, 1);
  },
  'wasm.memory-grow': async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 256 });
    memory.grow(128);
    return memory.buffer.byteLength;
  },
});

/** @type {import('../operations.mjs').Operation[]} */
export default [...cryptoOps, ...zlibOps, ...wasmOps];
