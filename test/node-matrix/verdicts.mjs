/**
 * Judges one operation's outcome in one case (reference, allowed, denied kill, denied errno) from
 * what its child reported, and says why in one line. Pure functions over `OpResult`; no I/O.
 */

/**
 * @typedef {object} OpResult
 * @property {import('./child.mjs').OpEvents} events
 * @property {import('./child.mjs').ChildRun} run  the child the events came from.
 * @property {boolean} batched  whether that child ran other operations too.
 */

/**
 * @typedef {'ok' | 'skip' | 'swallowed' | 'translated' | 'false-kill' | 'blocked' | 'changed' | 'unclean-exit' | 'escape' | 'not-stopped' | 'wrong-signal' | 'wrong-error' | 'died' | 'killed-in-errno' | 'early-kill' | 'not-applied' | 'landlock'} VerdictKind
 * @typedef {{ status: 'pass' | 'fail' | 'skip', kind: VerdictKind, detail: string }} Verdict
 */

const pass = (/** @type {string} */ detail) => /** @type {Verdict} */ ({ status: 'pass', kind: 'ok', detail });
const fail = (/** @type {VerdictKind} */ kind, /** @type {string} */ detail) => /** @type {Verdict} */ ({ status: 'fail', kind, detail });

/** @param {import('./child.mjs').ChildRun} run */
const cleanExit = (run) => run.code === 0 && run.signal === null && !run.timedOut && run.done;

/** @param {import('./child.mjs').ChildRun} run */
export function exitText(run) {
  const at = run.killedBy?.length ? ` at ${run.killedBy.join(', ')}` : '';
  const how = run.timedOut ? 'timed out (killed)' : run.signal ? `killed by ${run.signal}${at}` : `exit ${run.code}`;
  const tail = run.output.slice(-400).replaceAll('\n', ' ⏎ ').trim();
  return tail ? `${how}; output: ${tail}` : how;
}

/**
 * One line for an error as run-op.mjs described it, its causes included.
 *
 * @param {Record<string, any> | undefined} error
 * @returns {string}
 */
export function errorText(error) {
  if (error === undefined) return 'no error';
  const facts = ['code', 'syscall', 'path', 'address', 'port'].filter((key) => error[key] !== undefined).map((key) => `${key}=${error[key]}`);
  const inner = [error.cause, ...(error.errors ?? [])].filter(Boolean).map((e) => errorText(e));
  return `${error.name ?? 'Error'}: ${error.message}${facts.length ? ` (${facts.join(' ')})` : ''}${inner.length ? ` <- ${inner.join(' | ')}` : ''}`;
}

/** libuv names EPERM; Node's os.networkInterfaces() names the bare errno ("Unknown system error 1"). */
const EPERM_TEXT = /\bEPERM\b|operation not permitted|unknown system error 1\b/i;

/**
 * Whether EPERM appears anywhere in an error: its code, libuv's errno (-1), its message (a
 * SystemError names the libuv error there), its causes or its aggregated errors.
 *
 * @param {Record<string, any> | undefined} error
 * @returns {boolean}
 */
export function hasEperm(error) {
  if (error === undefined) return false;
  if (error.code === 'EPERM' || error.errno === -1 || EPERM_TEXT.test(String(error.message ?? ''))) return true;
  return [error.cause, ...(error.errors ?? [])].some((inner) => inner !== undefined && hasEperm(inner));
}

/**
 * Whether EACCES appears anywhere in an error: how Landlock answers an access outside the
 * declared paths and ports (in either violation mode: Landlock has no kill).
 *
 * @param {Record<string, any> | undefined} error
 * @returns {boolean}
 */
export function hasEacces(error) {
  if (error === undefined) return false;
  if (error.code === 'EACCES' || error.errno === -13 || /\bEACCES\b|permission denied/i.test(String(error.message ?? ''))) return true;
  return [error.cause, ...(error.errors ?? [])].some((inner) => inner !== undefined && hasEacces(inner));
}

/**
 * A soft denial (core's deny.ts): the sandbox answers EACCES in either mode for a call its caller
 * survives, and the operation declares it (`Operation.softDenied`). Node reports some of these by
 * the bare errno ("Unknown system error 13").
 *
 * @param {Record<string, any> | undefined} error
 * @param {string | undefined} why  the operation's reason; undefined: not a soft denial.
 * @returns {Verdict | undefined}
 */
function softDenial(error, why) {
  if (why === undefined || error === undefined) return undefined;
  if (!hasEacces(error) && error.errno !== 13 && !/unknown system error 13\b/i.test(String(error.message ?? ''))) return undefined;
  return { status: 'pass', kind: 'soft', detail: `answered EACCES (${why}): ${errorText(error)}` };
}

/**
 * A denial by Landlock: the operation failed with EACCES in a process whose Landlock domain is
 * applied. Paths, executables and TCP ports are Landlock's, so that is how they are refused.
 *
 * @param {import('./child.mjs').ChildRun} run
 * @param {Record<string, any> | undefined} error
 * @returns {Verdict | undefined}
 */
function landlockDenial(run, error) {
  if (run.status?.landlock?.applied !== true || !hasEacces(error)) return undefined;
  return { status: 'pass', kind: 'landlock', detail: `denied by Landlock: ${errorText(error)}` };
}

/** @param {import('./child.mjs').ChildRun} run @returns {Verdict | undefined} */
function notApplied(run) {
  if (run.status === undefined) return fail(run.signal === 'SIGSYS' ? 'early-kill' : 'not-applied', `the runner never reported its sandbox status: ${exitText(run)}`);
  if (run.status.applied !== true) return fail('not-applied', `sandbox() returned but status().applied is ${run.status.applied}`);
  return undefined;
}

/**
 * Why an operation is skipped on this Node version, judging its unsandboxed run; undefined if
 * it worked there.
 *
 * @param {OpResult} result
 * @returns {string | undefined}
 */
export function referenceSkip({ events, run }) {
  if (events.skip !== undefined) return events.skip;
  if (events.end === undefined) return `no outcome unsandboxed: ${exitText(run)}`;
  if (!events.end.ok) return `fails unsandboxed on this machine: ${errorText(events.end.error)}`;
  if (!cleanExit(run)) return `unsandboxed child did not exit cleanly: ${exitText(run)}`;
  return undefined;
}

/**
 * Allowed: the needs declared, kill mode. Must succeed with the unsandboxed value, and the child
 * must exit cleanly.
 *
 * @param {OpResult} result
 * @param {OpResult} reference
 * @returns {Verdict}
 */
export function allowedVerdict({ events, run }, reference) {
  if (run.signal === 'SIGSYS') {
    const when = !events.started ? 'before the operation started' : events.end === undefined ? 'during the operation' : 'after the operation returned (at exit)';
    return fail('false-kill', `killed by SIGSYS ${when}: ${exitText(run)}`);
  }
  const missing = notApplied(run);
  if (missing) return missing;
  if (events.end === undefined) return fail('blocked', `no outcome: ${exitText(run)}`);
  if (!events.end.ok) return fail('blocked', `fails sandboxed: ${errorText(events.end.error)}`);
  const want = JSON.stringify(reference.events.end?.value);
  const got = JSON.stringify(events.end.value);
  if (got !== want) return fail('changed', `returned ${got}, unsandboxed ${want}`);
  if (!cleanExit(run)) return fail('unclean-exit', `the operation succeeded but the child did not exit cleanly: ${exitText(run)}`);
  return pass(`ok in ${events.end.ms} ms`);
}

/**
 * An operation no declaration allows (`Operation.deniedAlways`), run with every capability
 * declared in kill mode: it must be stopped, killed or failing with an error.
 *
 * @param {OpResult} result
 * @param {string} why
 * @returns {Verdict}
 */
export function deniedAlwaysVerdict(result, why) {
  // Some are answered with an error instead of a kill (the sandbox's soft denials): also denied.
  const end = result.events.end;
  if (end !== undefined && !end.ok) return pass(`denied by design (${why}): failed with ${errorText(end.error)}`);
  const verdict = deniedKillVerdict(result);
  return { ...verdict, detail: `denied by design (${why}): ${verdict.detail}` };
}

/**
 * Denied, kill mode: the child must die of SIGSYS while the operation runs (or, for a soft
 * denial the operation declares, fail with EACCES).
 *
 * @param {OpResult} result
 * @param {string} [soft]  `Operation.softDenied` for the missing capability.
 * @returns {Verdict}
 */
export function deniedKillVerdict({ events, run }, soft) {
  if (!events.started) return run.signal === 'SIGSYS' ? fail('early-kill', `killed by SIGSYS before the operation started: ${exitText(run)}`) : notApplied(run) ?? fail('not-stopped', `the operation never started: ${exitText(run)}`);
  if (events.end?.ok) return fail('escape', `succeeded without the capability (returned ${JSON.stringify(events.end.value)})`);
  if (events.end === undefined && run.signal === 'SIGSYS') return pass(exitText(run));
  if (events.end !== undefined) return softDenial(events.end.error, soft) ?? landlockDenial(run, events.end.error) ?? fail('not-stopped', `failed instead of being killed: ${errorText(events.end.error)}`);
  return fail('wrong-signal', `not killed by SIGSYS: ${exitText(run)}`);
}

/**
 * Denied, errno mode: the operation must fail with EPERM and the process must survive (or exit
 * on its own, without a signal, having printed EPERM). Two outcomes also count as denied, and
 * say so: an API that never throws reporting a different result than unsandboxed (`swallowed`,
 * e.g. existsSync answering false), and an operation's declared translation of the failure
 * (`translated`, see `Operation.deniedAs`).
 *
 * @param {OpResult} result
 * @param {OpResult} reference  the unsandboxed run.
 * @param {import('./operations.mjs').Operation['deniedAs']} [deniedAs]
 * @param {string} [soft]  `Operation.softDenied` for the missing capability.
 * @returns {Verdict}
 */
export function deniedErrnoVerdict({ events, run }, reference, deniedAs, soft) {
  if (run.signal === 'SIGSYS') return fail('killed-in-errno', `killed by SIGSYS in errno mode: ${exitText(run)}`);
  const missing = notApplied(run);
  if (missing) return missing;
  if (!events.started) return fail('not-stopped', `the operation never started: ${exitText(run)}`);
  const survived = run.signal === null && !run.timedOut;
  if (events.end?.ok) {
    const got = JSON.stringify(events.end.value);
    const want = JSON.stringify(reference.events.end?.value);
    if (got === want) return fail('escape', `succeeded without the capability (returned ${got})`);
    return { status: 'pass', kind: 'swallowed', detail: `the API absorbed the denial: returned ${got}, unsandboxed ${want}` };
  }
  if (events.end !== undefined) {
    const code = events.end.error?.code;
    const translated = deniedAs !== undefined && !hasEperm(events.end.error) && deniedAs.codes.includes(code);
    const softly = softDenial(events.end.error, soft);
    if (softly !== undefined && survived) return softly;
    const landlock = hasEperm(events.end.error) ? undefined : landlockDenial(run, events.end.error);
    if (landlock !== undefined && survived) return landlock;
    if (!translated && !hasEperm(events.end.error)) return fail('wrong-error', `failed without EPERM: ${errorText(events.end.error)}`);
    if (!survived) return fail('died', `denied, then the process did not survive: ${exitText(run)}`);
    if (translated) return { status: 'pass', kind: 'translated', detail: `${code} instead of EPERM (${deniedAs.why})` };
    return pass(`EPERM: ${errorText(events.end.error)}`);
  }
  if (survived && run.code !== 0 && EPERM_TEXT.test(run.output)) return pass(`exited ${run.code} with EPERM printed`);
  return fail('died', `no outcome: ${exitText(run)}`);
}
