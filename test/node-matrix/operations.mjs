/**
 * The Node API matrix's operations: every one is an async function that returns (a small, stable
 * value, or nothing) on success and throws or rejects otherwise, tagged with the capabilities it
 * needs. This module only lists them and turns capability names into declarations; running is
 * `run-op.mjs`'s job (in a sandboxed child), judging is the harness's. Importing it has no side
 * effects beyond loading Node built-ins, because `run-op.mjs` imports it before `sandbox()`.
 *
 * Adding an operation: put it in the `ops/` file of its area with `define(needs, { name: run })`;
 * see README.md for the rules (loopback only, bounded, cleans up, returns a stable value).
 */
import baseline from './ops/baseline.mjs';
import compute from './ops/compute.mjs';
import dns from './ops/dns.mjs';
import fsRead from './ops/fs-read.mjs';
import fsWrite from './ops/fs-write.mjs';
import net from './ops/net.mjs';
import proc from './ops/proc.mjs';

/**
 * @typedef {'fs.read' | 'fs.write' | 'net.connect' | 'net.listen' | 'net.udp' | 'net.unix' | 'dns' | 'spawn' | 'worker' | 'tty' | 'signal'} Capability
 */

/**
 * What an operation gets: its private writable directory, the shared read-only fixtures, and the
 * loopback peers the harness runs outside the sandbox (undefined when run without the harness).
 *
 * @typedef {object} OpContext
 * @property {string} dir
 * @property {string} fixtures
 * @property {Record<string, any> | undefined} peers
 * @property {number} node  the Node major version running the operation.
 */

/**
 * @typedef {object} Operation
 * @property {string} name  unique; also the name of its private directory.
 * @property {Capability[]} needs  empty: the Node baseline suffices. Never both fs.read and
 *   fs.write (fs.write includes fs.read).
 * @property {(ctx: OpContext) => Promise<unknown>} run
 * @property {string[]} [covers]  the exported functions it calls, as `list-exports.mjs` names them
 *   (`fs.readv`, `fs/promises.open`, `FileHandle.readv`, `process.setuid`): the coverage test
 *   (`coverage.mjs`) fails on an exported function no operation covers and `excluded.mjs` does
 *   not exclude. A class counts as covered by an operation that constructs it, or calls the
 *   factory that does (`net.createServer` builds a `net.Server`).
 * @property {number} [minNode]  skipped on older Node majors (the API does not exist there).
 * @property {boolean} [tty]  needs a terminal on stdio.
 * @property {Partial<Record<Capability, string>>} [inseparable]  needed capabilities seccomp
 *   cannot deny while the operation's other needs are granted, with the reason; their denied
 *   case is skipped with that reason.
 * @property {string} [deniedAlways]  a deliberate decision that no declaration allows this
 *   operation, with the reason: its only case is "stopped (SIGSYS) with every capability declared".
 * @property {Partial<Record<Capability, string>>} [softDenied]  needed capabilities whose absence the
 *   sandbox answers with EACCES in either mode (core's deny.ts soft denials), with the reason: an
 *   EACCES failure is their denied case.
 * @property {Partial<Record<Capability, string>>} [unscoped]  needed capabilities whose list form
 *   does not grant the operation (core grants it with `true` only), with the reason: the scoped case
 *   leaves the operation out when no other needed capability takes a list. The escape suite
 *   (test/escapes/limits.ts) checks that the list form refuses it.
 * @property {{ codes: string[], why: string }} [deniedAs]  errno mode: the error codes this API
 *   reports instead of EPERM when a syscall it makes is denied (it translates the failure), and
 *   why. Accepted as a denial, and reported as such.
 */

/** Every capability name, in the order of DESIGN.md. */
export const CAPABILITIES = /** @type {const} */ (['fs.read', 'fs.write', 'net.connect', 'net.listen', 'net.udp', 'net.unix', 'dns', 'spawn', 'worker', 'tty', 'signal']);

/** @type {readonly Operation[]} */
export const operations = Object.freeze([...baseline, ...compute, ...fsRead, ...fsWrite, ...net, ...dns, ...proc]);

/** @type {ReadonlyMap<string, Operation>} */
export const operationsByName = new Map(operations.map((op) => [op.name, op]));

/** Capabilities a declaration can narrow to lists (Landlock), and the lists the scoped case uses. */
export const SCOPED_LISTS = Object.freeze({
  'fs.read': ['@fixtures', '@run'],
  'fs.write': ['@run', '@tmpdir'],
  spawn: ['/bin', '/usr/bin', '@node'],
  'net.connect': ['@peers'],
});

/**
 * Whether the scoped case runs `op`: it needs a capability that takes a list, and the list form
 * grants it (not `unscoped`).
 * @param {Operation} op
 * @returns {boolean}
 */
export function runsScoped(op) {
  return op.deniedAlways === undefined && op.needs.some((cap) => Object.hasOwn(SCOPED_LISTS, cap) && op.unscoped?.[cap] === undefined);
}

/**
 * The `sandbox()` declaration granting exactly `names`, in `true` forms, or with `scoped` in list
 * forms where a capability has one (SCOPED_LISTS; run-op.mjs replaces the `@` placeholders with
 * the child's fixtures, run directory, Node binary and the peers' TCP ports).
 *
 * @param {readonly Capability[]} names
 * @param {'kill' | 'errno'} onViolation
 * @param {boolean} [scoped]
 * @returns {Record<string, unknown>}
 * @example
 *   declarationFor(['fs.read', 'net.connect'], 'errno');
 *   // { fs: { read: true }, net: { connect: true }, onViolation: 'errno' }
 */
export function declarationFor(names, onViolation, scoped = false) {
  /** @type {Record<string, any>} */
  const declaration = {};
  for (const name of names) {
    const [group, key] = name.split('.');
    // A client of its own server connects to a port the kernel picks at listen time: no list can name it.
    const ownServer = name === 'net.connect' && names.includes('net.listen');
    const grant = scoped && !ownServer ? /** @type {Record<string, string[]>} */ (SCOPED_LISTS)[name] ?? true : true;
    if (key === undefined) declaration[/** @type {string} */ (group)] = grant;
    else declaration[/** @type {string} */ (group)] = { ...declaration[/** @type {string} */ (group)], [key]: grant };
  }
  declaration.onViolation = onViolation;
  return declaration;
}

/** Checks the list's invariants; run by the harness before anything else. */
export function validateOperations() {
  const seen = new Set();
  for (const op of operations) {
    if (seen.has(op.name)) throw new Error(`operation ${op.name} is defined twice`);
    seen.add(op.name);
    if (!/^[\w.:+-]+$/.test(op.name)) throw new Error(`operation name ${op.name} is not a plain file name`);
    for (const need of op.needs) if (!CAPABILITIES.includes(need)) throw new Error(`operation ${op.name} needs unknown capability ${need}`);
    if (op.deniedAlways !== undefined && op.needs.length > 0) throw new Error(`operation ${op.name} is denied always: it needs nothing`);
    if (op.needs.includes('fs.read') && op.needs.includes('fs.write')) throw new Error(`operation ${op.name} needs fs.read and fs.write: fs.write includes fs.read, list fs.write only`);
    for (const name of op.covers ?? []) if (!/^(?:[a-z_]+(?:\/promises)?|FileHandle)\.[\w$.]+$/.test(name)) throw new Error(`operation ${op.name} covers ${name}: not an exported function's name (module.function)`);
  }
}
