#!/usr/bin/env node
/**
 * The filter check: the second half of issue 3's Node runtime baseline. strace under-samples
 * timing-dependent calls, so every workload is re-run many times, without strace, under the real
 * sandbox (`sandbox()` of @syscage/runtime, built, in KILL mode) with the capabilities its area
 * needs (DECLARATIONS), and the check fails if any run is stopped or behaves differently from the
 * unsandboxed run. For every failure it names the stopped syscall.
 *
 * Steps, per Node version (20 = the machine's node, 22, 24 and 26 from install-node.mjs):
 * 1. install point: a `console` and an `empty-cjs` run under a light strace prove that the
 *    preload's sandbox is installed right after the marker and before the workload's first output,
 *    once per process image, and that the re-execution (22/24/26: io_uring; any version: the
 *    runtime's Landlock restart below ABI 8) keeps `--import` (execArgv);
 * 2. reference: REFERENCE_RUNS unsandboxed runs per workload give the expected exit code, and the
 *    expected stdout/stderr where those runs agree (deterministic output);
 * 3. the check: `--runs` sandboxed runs per workload, KILL mode;
 * 4. negative control: `tcp` with `{}` must be killed by SIGSYS every time (and be named `socket`);
 * 5. diagnosis of each failing workload: re-runs with the same policy in TRAP mode under
 *    `strace -f --seccomp-bpf -e signal=SIGSYS` (native speed) to read `si_syscall`, then under
 *    `strace -f -e trace=<that syscall>` for its arguments.
 * Runs go through run-workload.mjs (clean environment, fresh scratch dir, socketpair stdio) with
 * `node --import check-preload.mjs`; no filter is ever installed in this process.
 *
 * Usage: node scripts/baseline/check.mjs [--runs 20] [--quick] [--node 20,22,24,26] [--workload a,b]
 *          [--jobs N] [--tries 6] [--at marker|import] [--json FILE]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { installNode, NODE_MAJORS, REPO_ROOT } from './install-node.mjs';
import { decodeString, parseTrace, splitCall } from './parse-strace.mjs';
import { runWorkload } from './run-workload.mjs';
import { findWorkload, MARKER_PATH, WORKLOADS } from './workloads.mjs';
import { poolOrThrow } from './pool.mjs';

/** Sandboxed runs per workload and Node version. */
export const DEFAULT_RUNS = 20;
/** Runs per workload with `--quick` (which also checks one Node version only). */
export const QUICK_RUNS = 3;
/** Unsandboxed runs per workload and version; output counts as deterministic if they all agree. */
export const REFERENCE_RUNS = 3;
/** Trap-mode attempts per failing workload (and per stopped syscall for its arguments). */
export const DEFAULT_TRIES = 6;

/** The preload every run gets (`--import`); it sandboxes only when SYSCAGE_CHECK_CAPS is set. */
export const PRELOAD = fileURLToPath(new URL('./workloads/check-preload.mjs', import.meta.url));
const PRELOAD_URL = pathToFileURL(PRELOAD).href;

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

/** @typedef {import('./workloads.mjs').Workload} Workload */
/** @typedef {{ major: number, version: string, path: string }} NodeBin */
/** @typedef {import('./run-workload.mjs').RunResult} RunResult */

/**
 * @param {Workload} workload
 * @param {Record<string, string>} extra
 * @returns {Workload}
 */
function withEnv(workload, extra) {
  return { ...workload, env: { ...workload.env, ...extra } };
}

/**
 * Runs `workload` once with the preload; sandboxed when `caps` is given.
 *
 * @param {{ node: NodeBin, workload: Workload, caps?: object, trap?: boolean, allow?: string[],
 *   at?: string, prefix?: string[], timeoutMs?: number }} options  `trap`: TRAP instead of KILL
 *   (diagnosis), `allow`: syscalls allowed in addition (trap mode only).
 */
export function runChecked({ node, workload, caps, trap = false, allow = [], at = 'marker', prefix = [], timeoutMs = 30_000 }) {
  const env = caps === undefined ? {} : {
    SYSCAGE_CHECK_CAPS: JSON.stringify(caps),
    SYSCAGE_CHECK_AT: at,
    ...(trap ? { SYSCAGE_CHECK_TRAP: '1' } : {}),
    ...(trap && allow.length > 0 ? { SYSCAGE_CHECK_ALLOW: allow.join(',') } : {}),
  };
  return runWorkload({ node: node.path, workload: withEnv(workload, env), prefix, nodeArgs: ['--import', PRELOAD_URL], timeoutMs });
}

/**
 * stdout/stderr with the run's scratch directory written as `$WORK`.
 *
 * @param {RunResult} result
 */
function outputOf(result) {
  const norm = (/** @type {string} */ text) => text.split(result.workDir).join('$WORK');
  return { stdout: norm(result.stdout), stderr: norm(result.stderr) };
}

/**
 * @typedef {object} Reference
 * @property {number} code  the exit code every reference run had.
 * @property {{ stdout: string, stderr: string } | undefined} output  when all runs agreed.
 */

/**
 * How a sandboxed run differs from the reference, or undefined if it does not.
 *
 * @param {RunResult} result
 * @param {Reference} reference
 * @returns {{ kind: string, detail: string } | undefined}
 */
export function compareRun(result, reference) {
  const tail = (/** @type {string} */ s) => {
    const lines = s.trim().split('\n').filter((l) => l.trim() !== '');
    const error = lines.find((l) => /^(\w*Error\b|syscage)|Error:/.test(l));
    const last = lines.at(-1);
    const preload = lines.some((l) => l.includes('check-preload.mjs')) ? ' [the preload failed: was packages/*/dist rebuilt meanwhile?]' : '';
    return `${[error, last].filter((l, i, all) => l !== undefined && all.indexOf(l) === i).join(' | ').slice(0, 300)}${preload}`;
  };
  if (result.timedOut) return { kind: 'timeout', detail: tail(result.stderr) };
  if (result.signal !== null) return { kind: result.signal, detail: tail(result.stderr) };
  if (result.code !== reference.code) return { kind: `exit ${result.code}`, detail: tail(result.stderr) };
  if (reference.output !== undefined) {
    const out = outputOf(result);
    if (out.stdout !== reference.output.stdout) return { kind: 'stdout', detail: firstDifference(reference.output.stdout, out.stdout) };
    if (out.stderr !== reference.output.stderr) return { kind: 'stderr', detail: firstDifference(reference.output.stderr, out.stderr) };
  }
  return undefined;
}

/** @param {string} want @param {string} got */
function firstDifference(want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected ${JSON.stringify(a[i] ?? '<none>')}, got ${JSON.stringify(b[i] ?? '<none>')}`;
  }
  return '';
}

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
 * Step 1: the install point, from a trace of execve, seccomp, access and write.
 *
 * @param {string} text  the strace output.
 * @param {{ major: number, at: string, output: boolean }} expect  `output`: the workload writes
 *   to stdout/stderr, and its first write must come after the install.
 * @returns {{ problems: string[], facts: string[] }}
 */
export function checkInstallPoint(text, { major, at, output }) {
  const trace = parseTrace(text, MARKER_PATH);
  const main = trace.mainPid;
  const mine = trace.events.filter((e) => e.tid === main);
  const problems = [];
  const execs = mine.filter((e) => e.name === 'execve' && e.ret === '0');
  // Node 22/24/26 restart once to drop their io_uring rings; Node 20 restarts when the runtime's
  // Landlock domain covers only the calling thread (ABI < 8), which this trace shows as a
  // successful landlock_restrict_self before the last execve.
  const landlockRestart = mine.some((e) => e.name === 'landlock_restrict_self' && e.ret === '0' && e.seq < (execs.at(-1)?.seq ?? -1));
  const wantExecs = major >= 22 || landlockRestart ? 2 : 1;
  if (execs.length !== wantExecs) problems.push(`${execs.length} successful execve of node, expected ${wantExecs}`);
  for (const [i, e] of execs.entries()) {
    if (!e.args[1]?.includes(`"--import", "${PRELOAD_URL}"`)) problems.push(`execve #${i + 1} lost --import: ${e.args[1]}`);
  }
  const last = execs.at(-1)?.seq ?? -1;
  const image = trace.events.filter((e) => e.seq > last && (trace.tgidOf.get(e.tid) ?? e.tid) === main);
  const markers = image.filter((e) => e.name === 'access' && decodeString(e.args[0]) === MARKER_PATH);
  const installs = image.filter((e) => e.name === 'seccomp' && e.args[0] === 'SECCOMP_SET_MODE_FILTER' && e.ret === '0');
  const firstWrite = image.find((e) => e.name === 'write' && (e.args[0] === '1' || e.args[0] === '2'));
  if (markers.length !== 1) problems.push(`${markers.length} marker accesses in the final image, expected 1`);
  if (installs.length !== 1) problems.push(`${installs.length} filters installed in the final image, expected 1`);
  const marker = markers[0];
  const install = installs[0];
  if (marker && install) {
    if (at === 'marker' && install.seq < marker.seq) problems.push('the filter was installed before the marker, not at it');
    if (at === 'import' && install.seq > marker.seq) problems.push('the filter was installed after the marker');
    if (!/SECCOMP_FILTER_FLAG_TSYNC/.test(install.args[1] ?? '')) problems.push(`installed without TSYNC: ${install.args[1]}`);
    const between = image.filter((e) => e.seq > marker.seq && e.seq < install.seq && e.tid === main && e.name === 'write' && (e.args[0] === '1' || e.args[0] === '2'));
    if (between.length > 0) problems.push('the workload wrote to stdio between the marker and the install');
  }
  if (output) {
    if (firstWrite === undefined) problems.push('no write to stdout/stderr seen');
    else if (install && firstWrite.seq < install.seq) problems.push('the workload wrote to stdio before the filter was installed');
  }
  const facts = [
    `${execs.length} exec${execs.length === 1 ? '' : 's'}${landlockRestart ? ' (Landlock restart)' : ''}, --import kept in each`,
    `${trace.events.filter((e) => e.name === 'seccomp' && e.ret === '0').length} seccomp() in all (${major >= 22 ? 'io_uring stage 1 + ' : ''}sandbox)`,
    at === 'marker' ? 'installed right after the marker' : 'installed before the entry loaded',
    ...(output ? ['first stdio write after it'] : []),
  ];
  return { problems, facts };
}

/**
 * @param {string} dir
 * @returns {string}  a fresh file name in `dir`.
 */
let traceCounter = 0;
function traceFile(dir) {
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

/**
 * Source files of the runtime and core packages newer than their built entry (`dist/index.js`,
 * which `pnpm build` bundles from the sources: it is what the preload loads).
 *
 * @returns {string[]}
 */
export function staleBuild() {
  const stale = [];
  for (const pkg of ['core', 'runtime']) {
    const root = join(REPO_ROOT, 'packages', pkg);
    let builtAt = 0;
    try { builtAt = statSync(join(root, 'dist', 'index.js')).mtimeMs; } catch { /* missing */ }
    const walk = (/** @type {string} */ dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && statSync(path).mtimeMs > builtAt) stale.push(relative(REPO_ROOT, path));
      }
    };
    walk(join(root, 'src'));
  }
  return stale;
}

/** @param {object} caps */
function describeCaps(caps) {
  const text = JSON.stringify(caps).replace(/"([a-zA-Z]+)":/g, '$1: ').replace(/,/g, ', ').replace(/\{(?=\S)/g, '{ ').replace(/(?<=\S)\}/g, ' }');
  return text === '{}' ? '{}' : text;
}

/**
 * Runs the whole check.
 *
 * @param {{ majors?: readonly number[], workloads?: readonly Workload[], runs?: number, jobs?: number,
 *   tries?: number, at?: string, log?: (line: string) => void }} [options]
 */
export async function check(options = {}) {
  const {
    majors = NODE_MAJORS, workloads = WORKLOADS.filter((w) => !Object.hasOwn(NOT_CHECKED, w.name)), runs = DEFAULT_RUNS, jobs = availableParallelism(),
    tries = DEFAULT_TRIES, at = 'marker', log = (l) => console.error(l),
  } = options;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  for (const w of workloads) if (DECLARATIONS[w.name] === undefined) throw new Error(`no declaration for workload '${w.name}' in DECLARATIONS`);
  const nodes = await installNode({ majors, log });
  const dir = mkdtempSync(join(tmpdir(), 'syscage-check-'));
  const builtAt = () => ['runtime', 'core'].map((pkg) => statSync(join(REPO_ROOT, 'packages', pkg, 'dist', 'index.js')).mtimeMs).join();
  const builtBefore = builtAt();
  /** @type {string[]} */
  const failures = [];

  try {
    // 1 and 2: install point, references.
    /** @type {Array<() => Promise<void>>} */
    const setup = [];
    /** @type {Map<string, RunResult[]>} */
    const refRuns = new Map();
    /** @type {Map<number, string[]>} */
    const installFacts = new Map();
    for (const node of nodes) {
      for (const name of ['console', 'empty-cjs']) {
        setup.push(async () => {
          const file = traceFile(dir);
          const prefix = ['strace', '-f', '-qq', '-e', 'trace=execve,seccomp,access,write,landlock_restrict_self', '-e', 'signal=none', '-s', '4096', '-o', file, '--'];
          const workload = findWorkload(name);
          const result = await runChecked({ node, workload, caps: {}, at, prefix });
          const { problems, facts } = checkInstallPoint(readFileSync(file, 'utf8'), { major: node.major, at, output: name === 'console' });
          rmSync(file, { force: true });
          if (result.code !== 0) problems.push(`exited with ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').at(-1)}`);
          for (const p of problems) failures.push(`node ${node.major} install point (${name}): ${p}`);
          if (name === 'console') installFacts.set(node.major, problems.length === 0 ? facts : problems.map((p) => `FAILED: ${p}`));
        });
      }
      for (const workload of workloads) {
        for (let i = 0; i < REFERENCE_RUNS; i++) {
          setup.push(async () => {
            const result = await runChecked({ node, workload });
            const key = `${node.major}/${workload.name}`;
            refRuns.set(key, [...(refRuns.get(key) ?? []), result]);
          });
        }
      }
    }
    log(`install point and ${REFERENCE_RUNS} reference runs per workload (${setup.length} runs)...`);
    await poolOrThrow(setup, jobs);
    /** @type {Map<string, Reference>} */
    const references = new Map();
    for (const node of nodes) {
      for (const workload of workloads) {
        const key = `${node.major}/${workload.name}`;
        const list = /** @type {RunResult[]} */ (refRuns.get(key));
        const expected = workload.exitCode ?? 0;
        const bad = list.find((r) => r.code !== expected || r.timedOut);
        if (bad) failures.push(`node ${node.major} ${workload.name}: the UNSANDBOXED run exited ${bad.timedOut ? 'by timeout' : bad.code ?? bad.signal}, expected ${expected}: ${bad.stderr.trim().split('\n').at(-1)}`);
        const outs = list.map(outputOf);
        const same = outs.every((o) => o.stdout === outs[0]?.stdout && o.stderr === outs[0]?.stderr);
        references.set(key, { code: expected, output: same ? outs[0] : undefined });
      }
    }
    log(`${elapsed()}: sandboxed runs: ${nodes.length} version(s) x ${workloads.length} workloads x ${runs}, plus the negative control...`);

    // 3 and 4: the check and the negative control.
    /** @type {Map<string, Array<{ run: number, kind: string, detail: string }>>} */
    const stoppedRuns = new Map();
    /** @type {Map<string, number>} */
    const done = new Map();
    /** @type {Array<() => Promise<void>>} */
    const tasks = [];
    const negative = findWorkload(NEGATIVE_CONTROL.workload);
    /** @type {Map<number, RunResult[]>} */
    const negativeRuns = new Map();
    for (let i = 0; i < runs; i++) {
      for (const node of nodes) {
        for (const workload of workloads) {
          tasks.push(async () => {
            const key = `${node.major}/${workload.name}`;
            const result = await runChecked({ node, workload, caps: DECLARATIONS[workload.name]?.caps, at });
            done.set(key, (done.get(key) ?? 0) + 1);
            const diff = compareRun(result, /** @type {Reference} */ (references.get(key)));
            if (diff) stoppedRuns.set(key, [...(stoppedRuns.get(key) ?? []), { run: i + 1, ...diff }]);
          });
        }
        if (i < NEGATIVE_CONTROL.runs) {
          tasks.push(async () => {
            const result = await runChecked({ node, workload: negative, caps: NEGATIVE_CONTROL.caps, at });
            negativeRuns.set(node.major, [...(negativeRuns.get(node.major) ?? []), result]);
          });
        }
      }
    }
    await poolOrThrow(tasks, jobs);

    // 5: diagnosis of every failing workload, and of the negative control.
    const failing = [...stoppedRuns.keys()];
    log(`${elapsed()}: diagnosing ${failing.length} failing workload(s) and the negative control in trap mode...`);
    /** @type {Map<string, Awaited<ReturnType<typeof diagnose>>>} */
    const diagnoses = new Map();
    /** @type {Array<() => Promise<void>>} */
    const diagnosisTasks = failing.map((key) => async () => {
      const [major, name] = key.split('/');
      const node = /** @type {NodeBin} */ (nodes.find((n) => n.major === Number(major)));
      const workload = findWorkload(/** @type {string} */ (name));
      diagnoses.set(key, await diagnose({ node, workload, caps: DECLARATIONS[workload.name]?.caps ?? {}, tries, at, dir }));
    });
    /** @type {Map<number, Awaited<ReturnType<typeof diagnose>>>} */
    const negativeDiagnoses = new Map();
    for (const node of nodes) {
      diagnosisTasks.push(async () => {
        negativeDiagnoses.set(node.major, await diagnose({ node, workload: negative, caps: NEGATIVE_CONTROL.caps, tries: 1, chain: 0, at, dir }));
      });
    }
    await poolOrThrow(diagnosisTasks, jobs);

    // Report.
    const lines = [];
    lines.push('', `install point (${at === 'marker' ? 'right after the marker' : 'at --import'}):`);
    for (const node of nodes) lines.push(`  node ${node.version}: ${(installFacts.get(node.major) ?? ['not checked']).join('; ')}`);

    lines.push('', `sandboxed runs not stopped, per Node version (${runs} each; KILL mode):`);
    const width = Math.max(...workloads.map((w) => w.name.length), 8);
    const capsWidth = Math.max(...workloads.map((w) => describeCaps(DECLARATIONS[w.name]?.caps ?? {}).length), 11);
    lines.push(`  ${'workload'.padEnd(width)}  ${'declaration'.padEnd(capsWidth)}  ${nodes.map((n) => `node ${n.major}`.padStart(9)).join(' ')}  output`);
    for (const w of workloads) {
      const cells = nodes.map((n) => {
        const key = `${n.major}/${w.name}`;
        const bad = stoppedRuns.get(key)?.length ?? 0;
        const cell = `${(done.get(key) ?? 0) - bad}/${done.get(key) ?? 0}`;
        return (bad > 0 ? `✗ ${cell}` : cell).padStart(9);
      });
      const deterministic = nodes.every((n) => references.get(`${n.major}/${w.name}`)?.output !== undefined);
      lines.push(`  ${w.name.padEnd(width)}  ${describeCaps(DECLARATIONS[w.name]?.caps ?? {}).padEnd(capsWidth)}  ${cells.join(' ')}  ${deterministic ? 'compared' : 'exit code only'}`);
    }

    lines.push('', `negative control: ${NEGATIVE_CONTROL.workload} with ${describeCaps(NEGATIVE_CONTROL.caps)} must be killed by SIGSYS (${NEGATIVE_CONTROL.runs} runs):`);
    for (const node of nodes) {
      const list = negativeRuns.get(node.major) ?? [];
      const killed = list.filter((r) => r.signal === 'SIGSYS').length;
      const named = negativeDiagnoses.get(node.major)?.stopped.map((s) => s.call ?? s.syscall).join(', ') || 'nothing named';
      const ok = killed === list.length && list.length > 0 && negativeDiagnoses.get(node.major)?.stopped.some((s) => s.syscall === NEGATIVE_CONTROL.expect);
      lines.push(`  node ${node.major}: ${killed}/${list.length} killed by SIGSYS; trap mode names ${named} ${ok ? '(ok)' : '(FAILED)'}`);
      if (!ok) failures.push(`node ${node.major} negative control: ${killed}/${list.length} killed, named ${named}`);
    }

    if (failing.length > 0) lines.push('', 'failures, with the stopped syscall (trap mode, same policy):');
    for (const key of failing) {
      const [major, name] = key.split('/');
      const list = /** @type {Array<{ run: number, kind: string, detail: string }>} */ (stoppedRuns.get(key));
      const kinds = [...new Set(list.map((r) => r.kind))].join(', ');
      const d = diagnoses.get(key);
      lines.push(`  node ${major} ${name} ${describeCaps(DECLARATIONS[/** @type {string} */ (name)]?.caps ?? {})}: ${list.length}/${done.get(key)} runs failed (${kinds})`);
      for (const r of list.filter((x) => x.kind !== 'SIGSYS').slice(0, 2)) lines.push(`      run ${r.run}: ${r.kind}: ${r.detail}`);
      if (d === undefined) continue;
      if (d.stopped.length === 0) lines.push(`      no trap in ${d.attempts} trap-mode run(s): not reproduced`);
      for (const s of d.stopped) {
        const how = s.after ? `then, with ${s.after.join(', ')} allowed too` : `${s.times} of ${d.attempts} trap runs`;
        lines.push(`      stopped: ${s.syscall} in ${s.program}, ${how}${s.arch === 'X86_64' || s.arch === 'AARCH64' ? '' : ` (arch ${s.arch})`}`);
        lines.push(`        ${s.call ?? `arguments not caught (under strace -e trace=${s.syscall} it did not happen)`}`);
      }
      if (d.passesWith) lines.push(`      passes in trap mode with ${d.passesWith.join(', ')} allowed as well`);
      for (const note of d.notes.slice(0, 3)) lines.push(`      ${note}`);
      failures.push(`node ${major} ${name}: ${list.length} run(s) failed; stopped: ${d.stopped.map((s) => s.syscall).join(', ') || '?'}`);
    }
    if (builtAt() !== builtBefore) lines.push('', 'WARNING: packages/runtime or packages/core was rebuilt while the check ran; runs that failed loading the preload may come from that: run again.');
    lines.push('', `${failures.length === 0 ? 'PASS' : 'FAIL'}: ${nodes.length} Node version(s), ${workloads.length} workloads, ${runs} runs each; ${elapsed()} (${jobs} jobs)`);
    for (const f of failures) lines.push(`  ${f}`);
    return {
      ok: failures.length === 0,
      failures,
      report: lines.join('\n'),
      results: Object.fromEntries(nodes.map((n) => [n.major, {
        version: n.version,
        install: installFacts.get(n.major),
        negativeControl: { killed: (negativeRuns.get(n.major) ?? []).filter((r) => r.signal === 'SIGSYS').length, runs: negativeRuns.get(n.major)?.length, named: negativeDiagnoses.get(n.major)?.stopped },
        workloads: Object.fromEntries(workloads.map((w) => {
          const key = `${n.major}/${w.name}`;
          return [w.name, { caps: DECLARATIONS[w.name]?.caps, runs: done.get(key), failed: stoppedRuns.get(key) ?? [], diagnosis: diagnoses.get(key) }];
        })),
      }])),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: node scripts/baseline/check.mjs [options]
  --runs N          sandboxed runs per workload and Node version (default ${DEFAULT_RUNS})
  --quick           ${QUICK_RUNS} runs, one Node version (the newest, ${NODE_MAJORS.at(-1)}, unless --node)
  --node 20,22,24,26   Node majors (default all)
  --workload a,b    only these workloads
  --jobs N          runs in parallel (default: available CPUs)
  --tries N         trap-mode re-runs per failing workload (default ${DEFAULT_TRIES})
  --at marker|import  where the preload installs (default marker: right after the marker call;
                    import: before Node loads the entry, stricter than any real program)
  --json FILE       also write the results as JSON`;

/** @param {string[]} argv */
async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' }, quick: { type: 'boolean' }, node: { type: 'string' }, workload: { type: 'string' },
      jobs: { type: 'string' }, tries: { type: 'string' }, at: { type: 'string' }, json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const at = values.at ?? 'marker';
  if (at !== 'marker' && at !== 'import') throw new Error(`--at is 'marker' or 'import', not '${at}'`);
  const runs = Number(values.runs ?? (values.quick ? QUICK_RUNS : DEFAULT_RUNS));
  const majors = values.node?.split(',').map(Number) ?? (values.quick ? NODE_MAJORS.slice(-1) : NODE_MAJORS);
  const workloads = values.workload?.split(',').map(findWorkload) ?? WORKLOADS.filter((w) => !Object.hasOwn(NOT_CHECKED, w.name));
  for (const [name, why] of Object.entries(NOT_CHECKED)) console.error(`not checked: ${name} (${why})`);
  for (const file of ['runtime/dist/index.js', 'core/dist/index.js']) {
    try { statSync(join(REPO_ROOT, 'packages', file)); } catch { throw new Error(`packages/${file} is missing: run \`pnpm build\` first`); }
  }
  const stale = staleBuild();
  if (stale.length > 0) console.error(`warning: built output is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}); run \`pnpm build\` to check the current code`);
  const result = await check({ majors, workloads, runs, at, jobs: Number(values.jobs ?? availableParallelism()), tries: Number(values.tries ?? DEFAULT_TRIES) });
  console.log(result.report);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result.results, null, 2)}\n`);
  if (!result.ok) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`check: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
