/**
 * What the filter check (check.mjs) runs each workload with: the declaration a program doing that
 * work would write, the workloads no declaration can run, and the negative control that must be
 * stopped. Data only; measure-paths.mjs reads it too.
 */

/**
 * What each workload is sandboxed with: what a program doing that work would declare, following
 * the areas of `packages/core/src/catalog/catalog.test.ts` ('the catalog covers what Node %i was
 * measured doing'), narrowed where the workload plainly needs less.
 *
 * @type {Readonly<Record<string, { caps: object, why: string }>>}
 */
export const DECLARATIONS = Object.freeze({
  ...Object.fromEntries([
    'empty', 'empty-cjs', 'empty-file', 'empty-extra-ca', 'console', 'console-file', 'timers', 'exit-code', 'exit-throw',
    'exit-reject', 'stdin', 'date-intl', 'os-info', 'gc-jit-wasm', 'crypto-zlib', 'signals',
  ].map((name) => [name, { caps: {}, why: 'runtime baseline' }])),
  modules: { caps: { fs: { read: true } }, why: 'import() and require() from disk' },
  'fs-read': { caps: { fs: { read: true } }, why: 'reads only' },
  'fs-write': { caps: { fs: { write: true } }, why: 'writes (fs.write includes reading)' },
  'fs-watch': { caps: { fs: { read: true, write: true } }, why: 'watches files it writes' },
  tcp: { caps: { net: { connect: true, listen: true } }, why: 'TCP client and server' },
  http: { caps: { net: { connect: true, listen: true } }, why: 'HTTP client and server' },
  fetch: { caps: { net: { connect: true, listen: true } }, why: 'fetch to its own server' },
  'tls-context': { caps: { net: { connect: true, listen: true } }, why: 'TLS client against its own server' },
  'tls-context-extra-ca': { caps: { net: { connect: true, listen: true } }, why: 'as tls-context' },
  udp: { caps: { net: { udp: true } }, why: 'UDP sockets' },
  unix: { caps: { net: { unix: true }, fs: { write: true } }, why: 'unix sockets; a path socket is a file it creates' },
  'dns-lookup': { caps: { dns: true }, why: 'dns.lookup' },
  'child-process': { caps: { spawn: true, signal: true }, why: 'spawn/exec with pipes; subprocess.kill() signals another process' },
  'child-fork': { caps: { spawn: true, net: { unix: true } }, why: 'fork; its IPC channel is a unix socketpair (sendmsg/recvmsg)' },
  worker: { caps: { worker: true }, why: 'worker_threads' },
});

/**
 * Workloads no declaration can run, by design: they are measured (the catalog's decisions rest on
 * them) but not checked. os-extra calls os.networkInterfaces() (a NETLINK_ROUTE socket, which as
 * root could also change routes) and os.setPriority(); no capability grants either.
 */
export const NOT_CHECKED = Object.freeze({ 'os-extra': 'os.networkInterfaces() and os.setPriority() are granted by no capability' });

/** Must be stopped: a workload run without the capability it needs. */
export const NEGATIVE_CONTROL = Object.freeze({ workload: 'tcp', caps: {}, runs: 3, expect: 'socket' });

/**
 * A declaration as one short line, `{ fs: { read: true } }`.
 *
 * @param {object} caps
 */
export function describeCaps(caps) {
  const text = JSON.stringify(caps).replace(/"([a-zA-Z]+)":/g, '$1: ').replace(/,/g, ', ').replace(/\{(?=\S)/g, '{ ').replace(/(?<=\S)\}/g, ' }');
  return text === '{}' ? '{}' : text;
}
