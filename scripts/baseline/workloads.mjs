/**
 * The list of workloads the baseline is measured on, and how each one is run.
 *
 * A workload is a small Node program under `workloads/` whose first statement is the marker
 * syscall (`fs.accessSync('/__syscage_marker__')`), so that everything before it (Node's start-up)
 * can be cut from the trace. Several entries may share a file and differ in how they are run
 * (stdio, environment). This module only describes; `run-workload.mjs` runs and `measure.mjs`
 * traces.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Directory holding the workload programs. */
export const WORKLOADS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'workloads');

/** The path every workload touches first; its syscall splits start-up from the program. */
export const MARKER_PATH = '/__syscage_marker__';

/** CA bundle used for the NODE_EXTRA_CA_CERTS variants (the value this machine's default env has). */
const EXTRA_CA = '/etc/ssl/certs/ca-certificates.crt';

/**
 * @typedef {object} Workload
 * @property {string} name          unique; the key in the measured JSON.
 * @property {string} file          program under `workloads/`.
 * @property {string} area          what it exercises, in a few words.
 * @property {boolean} [baseline]   part of the runtime baseline (the union of these workloads).
 * @property {'pipe' | 'file'} [stdio]  'pipe' (default): stdin/stdout/stderr are the socketpairs a
 *   Node parent creates with `stdio: 'pipe'`; 'file': stdin is /dev/null, stdout/stderr regular
 *   files (no TTY, no socket).
 * @property {string} [stdin]       bytes written to stdin before it is closed (pipe mode).
 * @property {Record<string, string>} [env]  added to the clean environment.
 * @property {number} [exitCode]    expected exit code (default 0).
 */

/** @type {readonly Workload[]} */
export const WORKLOADS = Object.freeze([
  { name: 'empty', file: 'empty.mjs', area: 'nothing (ESM entry)', baseline: true },
  { name: 'empty-cjs', file: 'empty.cjs', area: 'nothing (CommonJS entry)', baseline: true },
  { name: 'empty-file', file: 'empty.mjs', area: 'nothing, stdio on files', baseline: true, stdio: 'file' },
  { name: 'empty-extra-ca', file: 'empty.mjs', area: 'nothing, with NODE_EXTRA_CA_CERTS', env: { NODE_EXTRA_CA_CERTS: EXTRA_CA } },
  { name: 'console', file: 'console.mjs', area: 'console to pipes', baseline: true },
  { name: 'console-file', file: 'console.mjs', area: 'console to files', baseline: true, stdio: 'file' },
  { name: 'timers', file: 'timers.mjs', area: 'timers, immediates, microtasks', baseline: true },
  { name: 'exit-code', file: 'exit-code.mjs', area: 'process.exit(3)', baseline: true, exitCode: 3 },
  { name: 'exit-throw', file: 'exit-throw.mjs', area: 'uncaught exception', baseline: true, exitCode: 1 },
  { name: 'exit-reject', file: 'exit-reject.mjs', area: 'unhandled rejection', baseline: true, exitCode: 1 },
  { name: 'stdin', file: 'stdin.mjs', area: 'read piped stdin to EOF', stdin: 'line one\nline two\n' },
  { name: 'date-intl', file: 'date-intl.mjs', area: 'Date/Intl with TZ', env: { TZ: 'Europe/Berlin' } },
  { name: 'os-info', file: 'os-info.mjs', area: 'process.* and os.* information' },
  { name: 'os-extra', file: 'os-extra.mjs', area: 'networkInterfaces, userInfo, title, report' },
  { name: 'gc-jit-wasm', file: 'gc-jit-wasm.mjs', area: 'GC, JIT, WebAssembly' },
  { name: 'crypto-zlib', file: 'crypto-zlib.mjs', area: 'crypto and zlib (threadpool)' },
  { name: 'modules', file: 'modules.mjs', area: 'import() and require from disk' },
  { name: 'fs-read', file: 'fs-read.mjs', area: 'file-system reads' },
  { name: 'fs-write', file: 'fs-write.mjs', area: 'file-system writes' },
  { name: 'fs-watch', file: 'fs-watch.mjs', area: 'fs.watch, watchFile' },
  { name: 'tcp', file: 'tcp.mjs', area: 'TCP client and server on loopback' },
  { name: 'udp', file: 'udp.mjs', area: 'UDP on loopback' },
  { name: 'unix', file: 'unix.mjs', area: 'unix-domain stream sockets' },
  { name: 'http', file: 'http.mjs', area: 'HTTP client and server on loopback' },
  { name: 'fetch', file: 'fetch.mjs', area: 'fetch (undici) to loopback' },
  { name: 'tls-context', file: 'tls-context.mjs', area: 'TLS context and failed handshake' },
  { name: 'tls-context-extra-ca', file: 'tls-context.mjs', area: 'TLS with NODE_EXTRA_CA_CERTS', env: { NODE_EXTRA_CA_CERTS: EXTRA_CA } },
  { name: 'dns-lookup', file: 'dns-lookup.mjs', area: "dns.lookup('localhost')" },
  { name: 'child-process', file: 'child-process.mjs', area: 'spawn, spawnSync, exec' },
  { name: 'child-fork', file: 'child-fork.mjs', area: 'fork a Node child with IPC' },
  { name: 'worker', file: 'worker.mjs', area: 'worker_threads, Atomics' },
  { name: 'signals', file: 'signals.mjs', area: 'signals to itself' },
]);

/**
 * @param {string} name
 * @returns {Workload}
 */
export function findWorkload(name) {
  const workload = WORKLOADS.find((w) => w.name === name);
  if (workload === undefined) {
    throw new Error(`unknown workload '${name}'; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  }
  return workload;
}
