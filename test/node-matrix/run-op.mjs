/**
 * Runs matrix operations in this process, sandboxed as declared, and reports each outcome.
 *
 *   node run-op.mjs '<declaration JSON | null>' <op>[,<op>...]
 *
 * `sandbox(declaration)` is the first statement (`null`: run unsandboxed, the reference run).
 * Then each operation runs in turn, isolated by try/catch and bounded by
 * SYSCAGE_MATRIX_OP_TIMEOUT_MS (default 5000). Every event is one line on fd 1, written
 * synchronously so that it is out before a SIGSYS can kill the process:
 *
 *   @@matrix {"event":"status",...status()}
 *   @@matrix {"event":"start","op":"fs.readFileSync"}
 *   @@matrix {"event":"end","op":"fs.readFileSync","ok":true,"value":"hello syscage\n","ms":1.2}
 *   @@matrix {"event":"end","op":"fs.mkdirSync","ok":false,"error":{"code":"EPERM","syscall":"mkdir",...}}
 *   @@matrix {"event":"skip","op":"fs.globSync","reason":"needs Node 22"}
 *   @@matrix {"event":"done"}
 *
 * Environment (the harness sets it; see README.md): SYSCAGE_MATRIX_DIR (parent of the
 * operations' private directories), SYSCAGE_MATRIX_FIXTURES (the shared fixture tree),
 * SYSCAGE_MATRIX_PEERS (JSON of the loopback peers). This file judges nothing.
 */
import { sandbox, status } from '@syscage/runtime';
import { writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { operationsByName } from './operations.mjs';

const runDir = process.env.SYSCAGE_MATRIX_DIR ?? process.cwd();
const fixtures = process.env.SYSCAGE_MATRIX_FIXTURES ?? join(runDir, 'fixtures');
const peers = process.env.SYSCAGE_MATRIX_PEERS ? JSON.parse(process.env.SYSCAGE_MATRIX_PEERS) : undefined;

/** The scoped case's placeholders (operations.mjs SCOPED_LISTS) made real for this child. */
function fillLists(/** @type {unknown} */ value) {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (item === '@fixtures') return [fixtures];
      if (item === '@run') return [runDir];
      if (item === '@tmpdir') return [tmpdir()];
      if (item === '@node') return [process.execPath];
      if (item === '@peers') return Object.values(peers ?? {}).filter((port) => typeof port === 'number');
      return [item];
    });
  }
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fillLists(inner)]));
  return value;
}

const declaration = fillLists(JSON.parse(process.argv[2] ?? 'null'));
if (declaration !== null) sandbox(declaration);

const MARK = '@@matrix ';

/** @param {Record<string, unknown>} event */
function report(event) {
  const line = Buffer.from(`${MARK}${JSON.stringify(event)}\n`);
  for (let offset = 0; offset < line.length;) {
    try {
      offset += writeSync(1, line, offset);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== 'EAGAIN') throw error;
    }
  }
}

/**
 * The facts of an error, its causes and aggregated errors included (fetch wraps the socket
 * error in `cause`; a failed connect to several addresses is an AggregateError).
 *
 * @param {unknown} error
 * @returns {Record<string, unknown>}
 */
function describeError(error, depth = 0) {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const e = /** @type {Record<string, any>} */ (error);
  /** @type {Record<string, unknown>} */
  const out = { name: e.name, message: String(e.message ?? '').slice(0, 300) };
  for (const key of ['code', 'errno', 'syscall', 'path', 'address', 'port', 'signal']) if (e[key] !== undefined) out[key] = e[key];
  if (depth < 3 && e.cause !== undefined) out.cause = describeError(e.cause, depth + 1);
  if (depth < 3 && Array.isArray(e.errors)) out.errors = e.errors.slice(0, 4).map((inner) => describeError(inner, depth + 1));
  return out;
}

/** @param {unknown} value */
function describeValue(value) {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value.slice(0, 300);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return value;
  return String(value).slice(0, 300);
}

/** @type {((error: unknown) => void) | undefined} */
let failCurrent;
const stray = (/** @type {unknown} */ error) => {
  if (failCurrent) failCurrent(error);
  else report({ event: 'stray', error: describeError(error) });
};
process.on('uncaughtException', stray);
process.on('unhandledRejection', stray);

const timeoutMs = Number(process.env.SYSCAGE_MATRIX_OP_TIMEOUT_MS ?? 5000);
const node = Number(process.versions.node.split('.')[0]);
report({ event: 'status', pid: process.pid, ...(declaration === null ? { applied: false, node } : status()) });

for (const name of (process.argv[3] ?? '').split(',').filter(Boolean)) {
  const op = operationsByName.get(name);
  if (op === undefined) {
    report({ event: 'end', op: name, ok: false, error: { code: 'UNKNOWN_OP', message: `no operation named ${name}` } });
    continue;
  }
  if (op.minNode !== undefined && node < op.minNode) {
    report({ event: 'skip', op: name, reason: `needs Node ${op.minNode}` });
    continue;
  }
  report({ event: 'start', op: name });
  const started = performance.now();
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  try {
    const value = await new Promise((resolve, reject) => {
      failCurrent = reject;
      timer = setTimeout(() => reject(Object.assign(new Error(`${name} did not finish in ${timeoutMs} ms`), { code: 'TIMEOUT' })), timeoutMs);
      op.run({ dir: join(runDir, name), fixtures, peers, node }).then(resolve, reject);
    });
    report({ event: 'end', op: name, ok: true, value: describeValue(value), ms: Math.round(performance.now() - started) });
  } catch (error) {
    report({ event: 'end', op: name, ok: false, error: describeError(error), ms: Math.round(performance.now() - started) });
  } finally {
    clearTimeout(timer);
    failCurrent = undefined;
  }
}

report({ event: 'done' });
// Leftovers of a failed operation (a server that never closed) must not keep the process alive;
// a clean batch exits on its own, through Node's ordinary exit path.
setTimeout(() => process.exit(0), 1500).unref();
