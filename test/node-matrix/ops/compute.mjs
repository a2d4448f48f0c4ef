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
  'crypto.randomUUID': { covers: ['crypto.randomUUID'], run: async () => crypto.randomUUID().length },
  'crypto.getRandomValues': async () => webcrypto.getRandomValues(new Uint8Array(16)).length,
  'crypto.randomBytes.sync': { covers: ['crypto.randomBytes'], run: async () => crypto.randomBytes(32).length },
  'crypto.randomBytes.async': { covers: ['crypto.randomBytes'], run: async () => (await promisify(crypto.randomBytes)(32)).length },
  'crypto.randomInt': { covers: ['crypto.randomInt'], run: async () => crypto.randomInt(10) < 10 },
  'crypto.createHash': { covers: ['crypto.createHash'], run: async () => digest('syscage') },
  'crypto.createHmac': { covers: ['crypto.createHmac'], run: async () => crypto.createHmac('sha256', 'key').update('syscage').digest('hex').slice(0, 16) },
  'crypto.pbkdf2Sync': { covers: ['crypto.pbkdf2Sync'], run: async () => crypto.pbkdf2Sync('pw', 'salt', 1000, 32, 'sha256').toString('hex').slice(0, 16) },
  'crypto.pbkdf2.async': { covers: ['crypto.pbkdf2'], run: async () => (await promisify(crypto.pbkdf2)('pw', 'salt', 1000, 32, 'sha256')).toString('hex').slice(0, 16) },
  'crypto.scryptSync': { covers: ['crypto.scryptSync'], run: async () => crypto.scryptSync('pw', 'salt', 32).toString('hex').slice(0, 16) },
  'crypto.scrypt.async': { covers: ['crypto.scrypt'], run: async () => (await promisify(crypto.scrypt)('pw', 'salt', 32)).toString('hex').slice(0, 16) },
  'crypto.hkdf.async': { covers: ['crypto.hkdf'], run: async () => Buffer.from(await promisify(crypto.hkdf)('sha256', 'key', 'salt', 'info', 32)).toString('hex').slice(0, 16) },
  'crypto.generateKeyPairSync.ed25519': { covers: ['crypto.generateKeyPairSync'], run: async () => crypto.generateKeyPairSync('ed25519').publicKey.asymmetricKeyType },
  'crypto.generateKeyPair.rsa.async': { covers: ['crypto.generateKeyPair'], run: async () => (await promisify(crypto.generateKeyPair)('rsa', { modulusLength: 1024 })).publicKey.asymmetricKeyDetails.modulusLength },
  'crypto.generateKeyPair.ec.async': { covers: ['crypto.generateKeyPair'], run: async () => (await promisify(crypto.generateKeyPair)('ec', { namedCurve: 'P-256' })).privateKey.asymmetricKeyType },
  'crypto.cipheriv.aes-256-gcm': { covers: ['crypto.createCipheriv', 'crypto.createDecipheriv'], run: async () => {
    const key = crypto.randomBytes(32);
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    const sealed = Buffer.concat([cipher.update('secret'), cipher.final()]);
    const decipher = crypto.createDecipheriv('aes-256-gcm', key, iv).setAuthTag(cipher.getAuthTag());
    return Buffer.concat([decipher.update(sealed), decipher.final()]).toString();
  } },
  'crypto.sign-verify.ed25519': { covers: ['crypto.sign', 'crypto.verify'], run: async () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    return crypto.verify(null, Buffer.from('m'), publicKey, crypto.sign(null, Buffer.from('m'), privateKey));
  } },
  'crypto.ecdh': { covers: ['crypto.createECDH'], run: async () => {
    const a = crypto.createECDH('prime256v1');
    const b = crypto.createECDH('prime256v1');
    const [publicA, publicB] = [a.generateKeys(), b.generateKeys()];
    return a.computeSecret(publicB).equals(b.computeSecret(publicA));
  } },
  'crypto.timingSafeEqual-secretKey': { covers: ['crypto.timingSafeEqual', 'crypto.createSecretKey'], run: async () => crypto.timingSafeEqual(Buffer.from('ab'), Buffer.from('ab')) && crypto.createSecretKey(Buffer.from('k')).type },
  'crypto.getCiphers-getHashes': { covers: ['crypto.getCiphers', 'crypto.getHashes'], run: async () => crypto.getCiphers().length > 0 && crypto.getHashes().includes('sha256') },
  // Randomness drawn on the calling thread, and the threadpool's other entry points.
  'crypto.random-sync': {
    covers: ['crypto.randomFillSync', 'crypto.getRandomValues', 'crypto.generateKeySync', 'crypto.generatePrimeSync', 'crypto.randomUUIDv7'],
    run: async () => [
      crypto.randomFillSync(Buffer.alloc(16)).length,
      crypto.getRandomValues(new Uint8Array(8)).length,
      crypto.generateKeySync('hmac', { length: 128 }).symmetricKeySize,
      typeof crypto.generatePrimeSync(32, { bigint: true }),
      /** @type {any} */ (crypto).randomUUIDv7?.().length ?? 36,
    ].join(' '),
  },
  'crypto.randomFill.async': { covers: ['crypto.randomFill'], run: async () => (await promisify(crypto.randomFill)(Buffer.alloc(32))).length },
  'crypto.generateKey.async': { covers: ['crypto.generateKey'], run: async () => (await promisify(crypto.generateKey)('aes', { length: 256 })).symmetricKeySize },
  'crypto.generatePrime-checkPrime.async': {
    covers: ['crypto.generatePrime', 'crypto.checkPrime'],
    run: async () => promisify(crypto.checkPrime)(await promisify(crypto.generatePrime)(64, { bigint: true })),
  },
  'crypto.argon2.async': {
    minNode: 24,
    covers: ['crypto.argon2'],
    run: async () => {
      const parameters = { message: 'pw', nonce: Buffer.alloc(16, 1), parallelism: 1, tagLength: 16, memory: 64, passes: 1 };
      return Buffer.from(await promisify(/** @type {any} */ (crypto).argon2)('argon2id', parameters)).toString('hex');
    },
  },
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
  'zlib.gzipSync-gunzipSync': { covers: ['zlib.gzipSync', 'zlib.gunzipSync'], run: async () => zlib.gunzipSync(zlib.gzipSync(text)).length },
  'zlib.deflate.async': { covers: ['zlib.deflate'], run: async () => (await promisify(zlib.deflate)(text)).length > 0 },
  'zlib.inflate.async': { covers: ['zlib.inflate', 'zlib.deflateSync'], run: async () => (await promisify(zlib.inflate)(zlib.deflateSync(text))).length },
  'zlib.unzip.async': { covers: ['zlib.unzip'], run: async () => (await promisify(zlib.unzip)(zlib.gzipSync(text))).length },
  'zlib.brotliCompressSync': { covers: ['zlib.brotliCompressSync', 'zlib.brotliDecompressSync'], run: async () => zlib.brotliDecompressSync(zlib.brotliCompressSync(text)).length },
  'zlib.brotliCompress.async': { covers: ['zlib.brotliCompress', 'zlib.brotliDecompress'], run: async () => (await promisify(zlib.brotliDecompress)(await promisify(zlib.brotliCompress)(text))).length },
  'zlib.createGzip-stream': { covers: ['zlib.createGzip', 'zlib.createGunzip', 'zlib.Gzip', 'zlib.Gunzip'], run: async () => {
    const chunks = [];
    await pipeline(Readable.from([text, text]), zlib.createGzip(), zlib.createGunzip(), new Writable({ write(chunk, _e, done) { chunks.push(chunk); done(); } }));
    return Buffer.concat(chunks).length;
  } },
  // The remaining codecs in each form: callback (threadpool), stream (threadpool), sync. zstd where Node has it.
  'zlib.callback-family': {
    covers: ['zlib.gzip', 'zlib.gunzip', 'zlib.deflateRaw', 'zlib.inflateRaw', 'zlib.zstdCompress', 'zlib.zstdDecompress'],
    run: async () => {
      const sizes = [
        (await promisify(zlib.gunzip)(await promisify(zlib.gzip)(text))).length,
        (await promisify(zlib.inflateRaw)(await promisify(zlib.deflateRaw)(text))).length,
      ];
      const z = /** @type {any} */ (zlib);
      if (z.zstdCompress) sizes.push((await promisify(z.zstdDecompress)(await promisify(z.zstdCompress)(text))).length);
      return sizes.every((size) => size === text.length);
    },
  },
  'zlib.stream-family': {
    covers: [
      'zlib.createDeflate', 'zlib.Deflate', 'zlib.createInflate', 'zlib.Inflate', 'zlib.createDeflateRaw', 'zlib.DeflateRaw', 'zlib.createInflateRaw', 'zlib.InflateRaw',
      'zlib.createUnzip', 'zlib.Unzip', 'zlib.createBrotliCompress', 'zlib.BrotliCompress', 'zlib.createBrotliDecompress', 'zlib.BrotliDecompress',
      'zlib.createZstdCompress', 'zlib.ZstdCompress', 'zlib.createZstdDecompress', 'zlib.ZstdDecompress',
    ],
    run: async () => {
      const z = /** @type {any} */ (zlib);
      const pairs = [[z.createDeflate, z.createInflate], [z.createDeflateRaw, z.createInflateRaw], [z.createDeflate, z.createUnzip], [z.createBrotliCompress, z.createBrotliDecompress]];
      if (z.createZstdCompress) pairs.push([z.createZstdCompress, z.createZstdDecompress]);
      const sizes = [];
      for (const [pack, unpack] of pairs) {
        const chunks = [];
        await pipeline(Readable.from([text]), pack(), unpack(), new Writable({ write(chunk, _e, done) { chunks.push(chunk); done(); } }));
        sizes.push(Buffer.concat(chunks).length);
      }
      return sizes.every((size) => size === text.length);
    },
  },
  'zlib.sync-family': {
    covers: ['zlib.inflateSync', 'zlib.unzipSync', 'zlib.zstdCompressSync', 'zlib.zstdDecompressSync'],
    run: async () => {
      const z = /** @type {any} */ (zlib);
      const sizes = [zlib.inflateSync(zlib.deflateSync(text)).length, zlib.unzipSync(zlib.gzipSync(text)).length];
      if (z.zstdCompressSync) sizes.push(z.zstdDecompressSync(z.zstdCompressSync(text)).length);
      return sizes.every((size) => size === text.length);
    },
  },
  'zlib.deflateRawSync': { covers: ['zlib.deflateRawSync', 'zlib.inflateRawSync'], run: async () => zlib.inflateRawSync(zlib.deflateRawSync(text)).length },
  'stream.web-CompressionStream': async () => {
    const compressed = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
    return (await new Response(compressed.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer()).byteLength;
  },
  'zlib.crc32': { covers: ['zlib.crc32'], run: async () => zlib.crc32('syscage') },
  'zlib.zstd': { covers: ['zlib.zstdCompressSync', 'zlib.zstdDecompressSync'], minNode: 24, run: async () => zlib.zstdDecompressSync(zlib.zstdCompressSync(text)).length },
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
