/**
 * Small helpers the operations share: bounded waits, loopback servers and round trips. Nothing
 * here runs at import time (the runner imports every operation before `sandbox()`), and nothing
 * here judges an outcome: an operation returns a value or throws, the harness decides.
 */
import { once } from 'node:events';

/** Text every round trip sends and expects back. */
export const PAYLOAD = 'ping syscage\n';

/**
 * Rejects with a `TIMEOUT` error if `promise` has not settled after `ms`.
 *
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what  named in the error.
 * @returns {Promise<T>}
 */
export function within(promise, ms, what) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what}: no answer after ${ms} ms`), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `server` listening and resolves to its address.
 *
 * @param {import('node:net').Server} server  any server with `listen` (net, http, http2).
 * @param {object} options  `server.listen` options (host, port, path, ...).
 */
export async function listen(server, options) {
  server.listen(options);
  await within(once(server, 'listening'), 3000, 'listen');
  return /** @type {import('node:net').AddressInfo} */ (server.address());
}

/**
 * Closes a server, dropping idle keep-alive connections first (http), and waits for it.
 *
 * @param {{ close: (cb: (err?: Error) => void) => unknown, closeAllConnections?: () => void }} server
 */
export function closeServer(server) {
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve(undefined)));
}

/**
 * Reads a stream to its end as UTF-8 text.
 *
 * @param {NodeJS.ReadableStream | AsyncIterable<any>} stream
 */
export async function readText(stream) {
  let text = '';
  for await (const chunk of stream) text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return text;
}

/**
 * Writes `payload` on a connected stream socket, half-closes, and resolves to everything the peer
 * sent back before closing.
 *
 * @param {import('node:net').Socket} socket  connecting or connected.
 * @param {string | Buffer} payload
 */
export async function echoOver(socket, payload = PAYLOAD) {
  const reply = within(readText(socket), 3000, 'echo');
  socket.end(payload);
  try {
    return await reply;
  } finally {
    socket.destroy();
  }
}

/**
 * A server that echoes every stream connection back (`createServer` from node:net).
 *
 * @param {typeof import('node:net').createServer} createServer
 */
export function echoServer(createServer) {
  return createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
}

/**
 * The loopback peers the harness runs outside the sandbox, passed to the child in
 * `SYSCAGE_MATRIX_PEERS`; throws when the runner was started without them.
 *
 * @param {{ peers?: Record<string, any> }} ctx
 * @returns {Record<string, any>}
 */
export function peers(ctx) {
  if (ctx.peers === undefined) throw Object.assign(new Error('no loopback peers: run this operation through the harness'), { code: 'NO_PEERS' });
  return ctx.peers;
}

/**
 * Resolves to the error code of a call that must fail (the op succeeds when it fails the expected
 * way, so that a denial, which fails differently, is told apart).
 *
 * @param {() => unknown} fn
 * @param {string} expected  the error code an unsandboxed run gets.
 */
export async function expectCode(fn, expected) {
  try {
    await fn();
  } catch (error) {
    const code = /** @type {{ code?: string }} */ (error).code;
    if (code === expected) return code;
    throw error;
  }
  throw new Error(`expected ${expected}, but the call succeeded`);
}

/**
 * A built-in module loaded on first use. node:http and node:http2 each add ~0.1 s of CPU to
 * start-up, paid by every child (twice where the sandbox re-executes); loading a built-in later
 * reads no file, so it is safe after `sandbox()`, as in any program that requires lazily.
 *
 * @template T
 * @param {string} name
 * @returns {T}
 */
export function lazyBuiltin(name) {
  return /** @type {T} */ (new Proxy({}, { get: (_, key) => /** @type {any} */ (process.getBuiltinModule(name))[key] }));
}

/**
 * @typedef {import('../operations.mjs').Operation} Operation
 * @typedef {import('../operations.mjs').OpContext} OpContext
 * @typedef {import('../operations.mjs').Capability} Capability
 * @typedef {(ctx: OpContext) => Promise<unknown>} OpRun
 * @typedef {Omit<Operation, 'name' | 'needs'>} OpSpec
 */

/**
 * Turns a table of `name → run` (or `name → { run, minNode, tty, inseparable }`) into operations
 * that all need `needs`.
 *
 * @param {readonly Capability[]} needs
 * @param {Record<string, OpRun | OpSpec>} table
 * @returns {Operation[]}
 */
export function define(needs, table) {
  return Object.entries(table).map(([name, entry]) => ({ name, needs: [...needs], ...(typeof entry === 'function' ? { run: entry } : entry) }));
}
