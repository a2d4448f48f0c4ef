/**
 * Step 5 of the filter check: what stops a failing workload. The same policy in TRAP mode under
 * `strace --seccomp-bpf` names the stopped syscall (`si_syscall`) and the process that made it;
 * `strace -e trace=<that syscall>` then catches its arguments; a chain allows each stopped call in
 * turn to look past it. Strace output parsing (SIGSYS notices, the trapped call) is here too.
 */
import { readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runChecked } from './check-run.mjs';
import { decodeString, parseTrace, splitCall } from './parse-strace.mjs';
import { MARKER_PATH } from './workloads.mjs';

/** @typedef {import('./workloads.mjs').Workload} Workload */
/** @typedef {import('./check-run.mjs').NodeBin} NodeBin */

/**
 * The SIGSYS notices in a strace output file.
 *
 * @param {string} text
 * @returns {Array<{ line: number, tid: number, syscall: string, number?: number, arch: string }>}
 */
export function parseSigsys(text) {
  const found = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^(\d+) +--- SIGSYS \{(.*)\} ---$/.exec(/** @type {string} */ (lines[i]));
    if (m === null) continue;
    const fields = /** @type {string} */ (m[2]);
    if (!/si_code=SYS_SECCOMP/.test(fields)) continue;
    const nr = /si_syscall=(?:__NR_([a-z0-9_]+)|(\d+))/.exec(fields);
    const arch = /si_arch=(?:AUDIT_ARCH_)?([A-Za-z0-9_]+)/.exec(fields)?.[1] ?? '?';
    const syscall = nr?.[1] ?? `#${nr?.[2] ?? '?'}`;
    found.push({ line: i, tid: Number(m[1]), syscall, ...(nr?.[2] ? { number: Number(nr[2]) } : {}), arch });
  }
  return found;
}

/**
 * The call a trapped task was making: the last `<name>(` line of that task before its SIGSYS.
 *
 * @param {string} text  output of `strace -f -o FILE -e trace=<name> -e signal=SIGSYS`.
 * @param {string} name
 * @returns {string | undefined}  e.g. `socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE)`.
 */
export function trappedCall(text, name) {
  const lines = text.split('\n');
  for (const hit of parseSigsys(text)) {
    if (hit.syscall !== name) continue;
    for (let i = hit.line - 1; i >= 0; i--) {
      const m = /^(\d+) +(.*)$/.exec(/** @type {string} */ (lines[i]));
      if (m === null || Number(m[1]) !== hit.tid) continue;
      const body = /** @type {string} */ (m[2]);
      if (!body.startsWith(`${name}(`)) continue;
      const call = splitCall(body.replace(/ <unfinished \.\.\.>$/, ''));
      if (call === undefined) return body;
      // The trapped call never ran, but it returns (its own number), so strace decodes the output
      // arguments from whatever the buffers held: long structs are cut to {...}.
      const short = call.args.map((a) => (a.length <= 120 ? a : a.startsWith('{') ? '{...}' : `${a.slice(0, 100)}...`));
      return `${name}(${short.join(', ')})`;
    }
  }
  return undefined;
}

/**
 * Which program a task belonged to, from a trace that includes execve and clone.
 *
 * @param {import('./parse-strace.mjs').ParsedTrace} trace
 * @param {number} tid
 */
function programOf(trace, tid) {
  let pid = trace.tgidOf.get(tid) ?? tid;
  const depth = [];
  while (pid !== undefined) {
    const exec = trace.events.filter((e) => (e.name === 'execve' || e.name === 'execveat') && e.ret === '0' && (trace.tgidOf.get(e.tid) ?? e.tid) === pid).at(-1);
    if (exec !== undefined) {
      const path = decodeString(exec.args[0]) ?? '?';
      const program = pid === trace.mainPid ? 'node (the workload)' : `${basename(path)} (child process)`;
      return depth.length === 0 ? program : `a fork of ${program}, not exec'd`;
    }
    depth.push(pid);
    pid = /** @type {number} */ (trace.parentOf.get(pid));
  }
  return 'unknown process';
}

/**
 * @param {string} dir
 * @returns {string}  a fresh file name in `dir`.
 */
let traceCounter = 0;
export function traceFile(dir) {
  return join(dir, `trace-${process.pid}-${++traceCounter}.strace`);
}

/**
 * @typedef {object} Stop
 * @property {string} syscall  as the kernel's table names it (`#<nr>` if strace does not know it).
 * @property {string} arch
 * @property {string} program  which process made the call.
 * @property {number} times    trap runs (of `attempts`) in which it was stopped.
 * @property {string} [call]   the call with its arguments, as strace prints it.
 * @property {string[]} [after]  set when found only after allowing these (the chain).
 */

/**
 * One trap-mode run under `strace --seccomp-bpf` (native speed; only execve and clone stop, for
 * naming the process): the SIGSYS notices, with the process each came from.
 *
 * @param {{ node: NodeBin, workload: Workload, caps: object, allow: string[], at: string, dir: string }} options
 */
async function trapRun({ node, workload, caps, allow, at, dir }) {
  const file = traceFile(dir);
  const prefix = ['strace', '-f', '-qq', '--seccomp-bpf', '-e', 'trace=execve,clone,fork,vfork', '-e', 'signal=SIGSYS', '-s', '256', '-o', file, '--'];
  const result = await runChecked({ node, workload, caps, trap: true, allow, at, prefix, timeoutMs: 60_000 });
  const text = readFileSync(file, 'utf8');
  rmSync(file, { force: true });
  const trace = parseTrace(text, MARKER_PATH);
  const hits = parseSigsys(text).map((hit) => ({ ...hit, program: programOf(trace, hit.tid) }));
  let note;
  if (hits.length === 0 && result.signal === 'SIGSYS') note = 'killed by SIGSYS without a trap (a 32-bit argument with a non-zero high word, or a foreign-ABI syscall number: those always kill)';
  else if (hits.length === 0 && (result.timedOut || result.signal !== null || result.code !== (workload.exitCode ?? 0))) {
    note = `a trap run failed without SIGSYS: ${result.timedOut ? 'timeout' : result.signal ?? `exit ${result.code}`}: ${result.stderr.trim().split('\n').slice(-2).join(' | ')}`;
  }
  return { hits, note };
}

/**
 * The arguments of a stopped call: trap mode under `strace -e trace=<name>` (ptrace's entry stop
 * comes before seccomp, so the trapped call is printed). A few tries: strace slows every syscall
 * and may hide a race.
 *
 * @param {{ node: NodeBin, workload: Workload, caps: object, allow: string[], at: string, dir: string, tries: number }} options
 * @param {string} name
 */
async function trappedArgs({ tries, ...options }, name) {
  for (let i = 0; i < tries; i++) {
    const file = traceFile(options.dir);
    const prefix = ['strace', '-f', '-qq', '-e', `trace=${name}`, '-e', 'signal=SIGSYS', '-s', '256', '-o', file, '--'];
    await runChecked({ ...options, trap: true, prefix, timeoutMs: 60_000 });
    const call = trappedCall(readFileSync(file, 'utf8'), name);
    rmSync(file, { force: true });
    if (call !== undefined) return call;
  }
  return undefined;
}

/**
 * Step 5: names what stops a failing workload, with the same policy in TRAP mode. `tries` runs
 * collect every syscall that gets stopped (timing-dependent ones may differ from run to run);
 * then a chain looks past them: with those allowed as well, what is stopped next, until a run
 * passes (at most `chain` more steps). Each stopped call is re-run once more for its arguments.
 *
 * @param {{ node: NodeBin, workload: Workload, caps: object, tries: number, chain?: number, at: string, dir: string }} options
 * @returns {Promise<{ attempts: number, stopped: Stop[], notes: string[], passesWith?: string[] }>}
 */
export async function diagnose({ node, workload, caps, tries, chain = 6, at, dir }) {
  /** @type {Map<string, Stop>} */
  const stopped = new Map();
  /** @type {Set<string>} */
  const notes = new Set();
  const base = { node, workload, caps, at, dir };
  for (let i = 0; i < tries; i++) {
    const { hits, note } = await trapRun({ ...base, allow: [] });
    if (note) notes.add(note);
    for (const hit of hits) {
      const key = `${hit.syscall}\0${hit.program}`;
      const seen = stopped.get(key) ?? { syscall: hit.syscall, arch: hit.arch, program: hit.program, times: 0 };
      seen.times++;
      stopped.set(key, seen);
    }
  }
  const argTries = Math.min(tries, 3);
  for (const entry of stopped.values()) {
    if (!entry.syscall.startsWith('#')) entry.call = await trappedArgs({ ...base, allow: [], tries: argTries }, entry.syscall);
  }
  /** @type {Stop[]} */
  const chained = [];
  let passesWith;
  const allow = [...new Set([...stopped.values()].map((s) => s.syscall).filter((name) => !name.startsWith('#')))];
  for (let step = 0; step < chain && allow.length > 0 && stopped.size > 0; step++) {
    const { hits, note } = await trapRun({ ...base, allow });
    const fresh = hits.filter((h) => !h.syscall.startsWith('#') && !allow.includes(h.syscall));
    if (hits.length === 0) {
      if (note) notes.add(`with ${allow.join(', ')} allowed as well: ${note}`);
      else passesWith = [...allow];
      break;
    }
    if (fresh.length === 0) break;
    const next = /** @type {typeof fresh[number]} */ (fresh[0]);
    const entry = { syscall: next.syscall, arch: next.arch, program: next.program, times: 1, after: [...allow] };
    entry.call = await trappedArgs({ ...base, allow, tries: argTries }, next.syscall);
    chained.push(/** @type {Stop} */ (entry));
    allow.push(next.syscall);
  }
  return { attempts: tries, stopped: [...[...stopped.values()].sort((a, b) => b.times - a.times), ...chained], notes: [...notes], ...(passesWith ? { passesWith } : {}) };
}
