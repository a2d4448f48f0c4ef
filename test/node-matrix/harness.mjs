/**
 * The Node API matrix harness: plans the child runs for each Node version, runs them with a
 * bounded number of children at once (Node versions in parallel), and turns what the children
 * did into verdicts per operation and case:
 *
 * - reference: unsandboxed, batched; an operation failing here is skipped, with the reason.
 * - allowed: the operation's needs declared (kill mode), batched by declaration; it must succeed
 *   with the reference's value and the child must exit cleanly. A SIGSYS is a false kill.
 * - scoped: the same, with path and port lists instead of `true` where the operation needs a
 *   capability that has them (Landlock then scopes it): the implicit read set must be enough.
 * - denied kill: one child per (operation, needed capability), that capability left out (the
 *   operation's other needs stay declared); the child must die of SIGSYS after the op started.
 * - denied errno: the same declarations in errno mode, batched; the operation must fail with
 *   EPERM (anywhere in its error's causes, or printed by a child that exits without a signal).
 * - complement (informational, never failing): errno mode with every capability declared except
 *   the missing one and what includes it; an escape here shows capabilities that overlap.
 *
 * A batch whose child does not exit cleanly is rerun one operation per child, so every death is
 * attributed to one operation. The harness never installs a filter in its own process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runChild } from './child.mjs';
import { prepareFixtures } from './fixtures.mjs';
import { CAPABILITIES, declarationFor, operations, runsScoped, validateOperations } from './operations.mjs';
import { followKernelLog } from './kernel-log.mjs';
import { startPeers } from './peers.mjs';
import { allowedVerdict, deniedAlwaysVerdict, deniedErrnoVerdict, deniedKillVerdict, referenceSkip } from './verdicts.mjs';

export { installNode } from '../../scripts/baseline/install-node.mjs';
export { countVersion, formatSummary, listFindings } from './report.mjs';
export { SCOPED_LISTS, operations, runsScoped } from './operations.mjs';

/**
 * @typedef {import('./operations.mjs').Operation} Operation
 * @typedef {import('./operations.mjs').Capability} Capability
 * @typedef {import('./verdicts.mjs').Verdict} Verdict
 * @typedef {import('./verdicts.mjs').OpResult} OpResult
 * @typedef {{ major: number, version: string, path: string }} NodeBinary
 */

/**
 * @typedef {object} OpVerdicts
 * @property {string} name
 * @property {Capability[]} needs
 * @property {Verdict} allowed
 * @property {Verdict | undefined} scoped  undefined when no needed capability takes a list.
 * @property {Partial<Record<Capability, Verdict>>} deniedKill
 * @property {Partial<Record<Capability, Verdict>>} deniedErrno
 * @property {Partial<Record<Capability, Verdict>>} complement
 */

/**
 * @typedef {object} VersionResult
 * @property {NodeBinary} node
 * @property {OpVerdicts[]} ops
 * @property {number} children  child processes started for this version.
 * @property {number} ms
 */

/**
 * Runs the matrix.
 *
 * @param {object} options
 * @param {readonly NodeBinary[]} options.nodes
 * @param {(op: Operation) => boolean} [options.filter]  which operations (default: all).
 * @param {number} [options.concurrency]  children at once, over all versions.
 * @param {number} [options.opTimeoutMs]  per operation, inside the child.
 * @param {boolean} [options.diagnose]  rerun, one at a time, every child killed unexpectedly
 *   whose kill the kernel log did not name (it rate-limits seccomp's records), to name it.
 * @param {(line: string) => void} [options.log]
 * @returns {Promise<{ versions: VersionResult[], ms: number }>}
 * @example
 *   const { versions } = await runMatrix({ nodes: await installNode() });
 *   console.log(formatSummary(versions));
 */
export async function runMatrix({ nodes, filter = () => true, concurrency = availableParallelism() + 1, opTimeoutMs = 5000, diagnose = false, log = () => {} }) {
  validateOperations();
  const started = performance.now();
  const root = mkdtempSync(join(tmpdir(), 'syscage-matrix-'));
  const fixtures = prepareFixtures(join(root, 'fixtures'));
  const { peers, close } = await startPeers(root);
  const limit = createLimiter(concurrency);
  const selected = operations.filter(filter);
  const kernelLog = followKernelLog();
  /** @type {RunRecord[]} */
  const runs = [];
  try {
    const pending = await Promise.all(nodes.map(async (node) => {
      const t0 = performance.now();
      const counter = { children: 0 };
      const base = { nodePath: node.path, runRoot: root, fixtures, peers, opTimeoutMs };
      const judge = await runVersion(node, selected, (spec, names) => runBatch(limit, counter, runs, { ...base, ...spec }, names));
      const ms = Math.round(performance.now() - t0);
      log(`node ${node.version}: ${counter.children} children in ${ms} ms`);
      return { node, judge, children: counter.children, ms };
    }));
    // Give the kernel log a moment to deliver the last records, then name what killed each child.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const { run } of runs) if (run.signal === 'SIGSYS' && run.pid !== undefined) run.killedBy = kernelLog.syscallsOf(run.pid);
    if (!kernelLog.available()) log('kernel log unreadable: kills are reported without the syscall that caused them');
    else if (diagnose) await nameUnexpectedKills(runs, kernelLog, log);
    const versions = pending.map(({ node, judge, children, ms }) => ({ node, ops: judge(), children, ms }));
    return { versions, ms: Math.round(performance.now() - started) };
  } finally {
    kernelLog.stop();
    await close();
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * A child run and how to repeat it.
 *
 * @typedef {{ run: import('./child.mjs').ChildRun, spec: import('./child.mjs').ChildSpec }} RunRecord
 */

/**
 * Reruns, one at a time and paced (the kernel prints at most ~10 audit records per 5 s), each
 * single-operation child that died of SIGSYS where no kill was expected (not onViolation 'kill'
 * with a capability missing) and whose killing syscall is unnamed, and names it from the rerun.
 *
 * @param {RunRecord[]} runs
 * @param {ReturnType<typeof followKernelLog>} kernelLog
 * @param {(line: string) => void} log
 */
async function nameUnexpectedKills(runs, kernelLog, log) {
  const unnamed = runs.filter(({ run, spec }) => run.signal === 'SIGSYS' && !run.killedBy?.length && spec.ops.length === 1 && spec.expectKill !== true);
  log(`diagnosing ${unnamed.length} unexpected kills`);
  for (const record of unnamed) {
    const again = await runChild(record.spec);
    await new Promise((resolve) => setTimeout(resolve, 700));
    if (again.signal === 'SIGSYS' && again.pid !== undefined) record.run.killedBy = kernelLog.syscallsOf(again.pid).map((name) => `${name} (rerun)`);
  }
}

/**
 * @typedef {(spec: { declaration: Record<string, unknown> | null, tty: boolean, expectKill?: boolean }, names: string[]) => Promise<Map<string, OpResult>>} BatchRunner
 */

/**
 * @param {NodeBinary} node
 * @param {readonly Operation[]} selected
 * @param {BatchRunner} batch
 * @returns {Promise<() => OpVerdicts[]>}  judges, once the runs' kill reasons are known.
 */
async function runVersion(node, selected, batch) {
  const tooNew = (/** @type {Operation} */ op) => op.minNode !== undefined && node.major < op.minNode;
  const ops = selected.filter((op) => !tooNew(op));
  const needsKey = (/** @type {Capability[]} */ caps) => [...caps].sort().join('+') || 'baseline';

  /** Runs `items`, grouped by declaration (and tty), in batches; resolves to results by key. */
  const grouped = async (/** @type {Array<{ key: string, op: Operation, caps: Capability[] }>} */ items, /** @type {'kill' | 'errno' | null} */ mode, scoped = false) => {
    /** @type {Map<string, typeof items>} */
    const groups = new Map();
    for (const item of items) {
      const key = `${needsKey(item.caps)}|${item.op.tty === true}`;
      groups.set(key, [...(groups.get(key) ?? []), item]);
    }
    /** @type {Map<string, OpResult>} */
    const results = new Map();
    await Promise.all([...groups.values()].map(async (group) => {
      const first = /** @type {(typeof items)[number]} */ (group[0]);
      const declaration = mode === null ? null : declarationFor(first.caps, mode, scoped);
      const got = await batch({ declaration, tty: first.op.tty === true }, group.map((item) => item.op.name));
      for (const item of group) results.set(item.key, /** @type {OpResult} */ (got.get(item.op.name)));
    }));
    return results;
  };

  const cases = ops.flatMap((op) => op.needs.filter((cap) => op.inseparable?.[cap] === undefined).map((cap) => ({ op, cap })));
  const caseKey = (/** @type {string} */ name, /** @type {string} */ cap) => `${name}|${cap}`;
  const without = (/** @type {Capability[]} */ caps, /** @type {Capability} */ cap) => caps.filter((c) => c !== cap);
  const complementOf = (/** @type {Capability} */ cap) => CAPABILITIES.filter((c) => c !== cap && !(cap === 'fs.read' && c === 'fs.write'));

  const isScoped = runsScoped;
  const [reference, allowed, deniedErrno, complement, deniedKill, scoped] = await Promise.all([
    grouped(ops.map((op) => ({ key: op.name, op, caps: op.needs })), null),
    grouped(ops.map((op) => ({ key: op.name, op, caps: op.deniedAlways === undefined ? op.needs : [...CAPABILITIES] })), 'kill'),
    grouped(cases.map(({ op, cap }) => ({ key: caseKey(op.name, cap), op, caps: without(op.needs, cap) })), 'errno'),
    grouped(cases.map(({ op, cap }) => ({ key: caseKey(op.name, cap), op, caps: [...complementOf(cap)] })), 'errno'),
    Promise.all(cases.map(async ({ op, cap }) => {
      const got = await batch({ declaration: declarationFor(without(op.needs, cap), 'kill'), tty: op.tty === true, expectKill: true }, [op.name]);
      return /** @type {const} */ ([caseKey(op.name, cap), /** @type {OpResult} */ (got.get(op.name))]);
    })).then((entries) => new Map(entries)),
    grouped(ops.filter(isScoped).map((op) => ({ key: op.name, op, caps: op.needs })), 'kill', true),
  ]);

  return () => selected.map((op) => {
    const skipAll = tooNew(op) ? `needs Node ${op.minNode}` : referenceSkip(/** @type {OpResult} */ (reference.get(op.name)));
    const skip = (/** @type {string} */ detail) => /** @type {Verdict} */ ({ status: 'skip', kind: 'skip', detail });
    /** @type {OpVerdicts} */
    const allowedCase = () => {
      const result = /** @type {OpResult} */ (allowed.get(op.name));
      return op.deniedAlways === undefined ? allowedVerdict(result, /** @type {OpResult} */ (reference.get(op.name))) : deniedAlwaysVerdict(result, op.deniedAlways);
    };
    const scopedResult = scoped.get(op.name);
    const scopedCase = !isScoped(op) ? undefined : skipAll ? skip(skipAll) : allowedVerdict(/** @type {OpResult} */ (scopedResult), /** @type {OpResult} */ (reference.get(op.name)));
    const verdicts = { name: op.name, needs: op.needs, allowed: skipAll ? skip(skipAll) : allowedCase(), scoped: scopedCase, deniedKill: {}, deniedErrno: {}, complement: {} };
    for (const cap of op.needs) {
      const reason = skipAll ?? op.inseparable?.[cap];
      const key = caseKey(op.name, cap);
      const soft = op.softDenied?.[cap];
      verdicts.deniedKill[cap] = reason ? skip(reason) : deniedKillVerdict(/** @type {OpResult} */ (deniedKill.get(key)), soft);
      const ref = /** @type {OpResult} */ (reference.get(op.name));
      verdicts.deniedErrno[cap] = reason ? skip(reason) : deniedErrnoVerdict(/** @type {OpResult} */ (deniedErrno.get(key)), ref, op.deniedAs, soft);
      verdicts.complement[cap] = reason ? skip(reason) : deniedErrnoVerdict(/** @type {OpResult} */ (complement.get(key)), ref, op.deniedAs, soft);
    }
    return verdicts;
  });
}

/**
 * Runs `names` in one child; if that child did not exit cleanly (or left an operation without an
 * outcome), reruns each operation in a child of its own so that every death is attributed.
 *
 * @param {<T>(task: () => Promise<T>) => Promise<T>} limit
 * @param {{ children: number }} counter
 * @param {RunRecord[]} runs  every child run is appended here.
 * @param {import('./child.mjs').ChildSpec extends infer S ? Omit<S, 'ops'> : never} spec
 * @param {string[]} names
 * @returns {Promise<Map<string, OpResult>>}
 */
async function runBatch(limit, counter, runs, spec, names) {
  const full = { ...spec, ops: names };
  const run = await limit(() => { counter.children += 1; return runChild(full); });
  runs.push({ run, spec: full });
  const clean = run.code === 0 && run.signal === null && !run.timedOut && run.done;
  /** @type {Map<string, OpResult>} */
  const results = new Map();
  const single = names.length === 1;
  for (const name of names) {
    const events = run.ops.get(name) ?? { started: false, end: undefined, skip: undefined };
    if (single || (clean && (events.end !== undefined || events.skip !== undefined))) results.set(name, { events, run, batched: !single });
  }
  const rest = names.filter((name) => !results.has(name));
  await Promise.all(rest.map(async (name) => {
    const got = await runBatch(limit, counter, runs, spec, [name]);
    results.set(name, /** @type {OpResult} */ (got.get(name)));
  }));
  return results;
}

/**
 * At most `n` tasks at once, in the order they asked.
 *
 * @param {number} n
 * @returns {<T>(task: () => Promise<T>) => Promise<T>}
 */
function createLimiter(n) {
  let active = 0;
  /** @type {Array<() => void>} */
  const waiting = [];
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so `active` never exceeds n.
    if (active >= n) await new Promise((resolve) => waiting.push(() => resolve(undefined)));
    else active += 1;
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else active -= 1;
    }
  };
}
