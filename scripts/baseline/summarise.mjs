/**
 * Turns parsed traces into the measured facts: per syscall a count and, for the syscalls a filter
 * may condition on, the distinct argument values; the paths touched; thread and process counts.
 * One trace gives a RunSummary; `mergeRuns` folds the runs of a workload into the JSON shape
 * written to packages/core/src/catalog/measured/ (see types.ts there). Only events after the marker
 * count, except `startup`, which lists the syscall names before it.
 *
 * Events of programs exec'd after the marker (and their descendants) are kept apart under `exec`:
 * they are what a spawned program needs, not what Node needs.
 */
import { decodeString, isExeced } from './parse-strace.mjs';

/** @param {string | undefined} struct @param {string} field */
function fieldOf(struct, field) {
  return struct === undefined ? undefined : new RegExp(`\\b${field}=([^,}]+)`).exec(struct)?.[1];
}

/**
 * Argument extractors: syscall → (args, target) → [key, value] pairs. `target` classifies a pid
 * argument relative to the caller ('self', 'child', 'process-group', 'other', ...).
 *
 * @type {Record<string, (a: string[], target: (pid: string | undefined, kind?: 'pid' | 'tid') => string) => Array<[string, string | undefined]>>}
 */
const ARG_RULES = {
  open: (a) => [['flags', a[1]]],
  openat: (a) => [['flags', a[2]]],
  openat2: (a) => [['flags', fieldOf(a[2], 'flags')]],
  socket: (a) => [['domain, type, protocol', a.slice(0, 3).join(', ')]],
  socketpair: (a) => [['domain, type, protocol', a.slice(0, 3).join(', ')]],
  ioctl: (a) => [['request', a[1]]],
  fcntl: (a) => [['cmd', a[1]]],
  prctl: (a) => [['option', a[0]]],
  arch_prctl: (a) => [['code', a[0]]],
  clone: (a) => [['flags', fieldOf(a.find((x) => x.startsWith('flags=')), 'flags')]],
  clone3: (a) => [['flags', fieldOf(a[0], 'flags')]],
  mmap: (a) => [['prot', a[2]], ['flags', a[3]]],
  mprotect: (a) => [['prot', a[2]]],
  pkey_mprotect: (a) => [['prot', a[2]]],
  madvise: (a) => [['advice', a[2]]],
  mremap: (a) => [['flags', a[3]]],
  futex: (a) => [['op', a[1]]],
  prlimit64: (a, target) => [['pid', target(a[0])], ['resource', a[1]], ['new_limit', a[2] === 'NULL' ? 'NULL' : 'set']],
  kill: (a, target) => [['target', target(a[0])], ['sig', a[1]]],
  tgkill: (a, target) => [['target', target(a[0])], ['sig', a[2]]],
  tkill: (a, target) => [['target', target(a[0], 'tid')], ['sig', a[1]]],
  personality: (a) => [['persona', a[0]]],
  io_uring_setup: (a) => [['flags', fieldOf(a[1], 'flags') ?? a[1]]],
  io_uring_enter: (a) => [['flags', a[3]]],
  io_uring_register: (a) => [['opcode', a[1]]],
  epoll_ctl: (a) => [['op', a[1]]],
  setsockopt: (a) => [['level, optname', `${a[1]}, ${a[2]}`]],
  getsockopt: (a) => [['level, optname', `${a[1]}, ${a[2]}`]],
  accept4: (a) => [['flags', a[3]]],
  connect: (a) => [['family', fieldOf(a[1], 'sa_family')]],
  bind: (a) => [['family', fieldOf(a[1], 'sa_family')]],
  shutdown: (a) => [['how', a[1]]],
  pipe2: (a) => [['flags', a[1]]],
  eventfd2: (a) => [['flags', a[1]]],
  epoll_create1: (a) => [['flags', a[0]]],
  inotify_init1: (a) => [['flags', a[0]]],
  dup3: (a) => [['flags', a[2]]],
  getrandom: (a) => [['flags', a[2]]],
  rt_sigprocmask: (a) => [['how', a[0]]],
  wait4: (a, target) => [['pid', target(a[0])], ['options', a[2]]],
  getrusage: (a) => [['who', a[0]]],
  getpriority: (a) => [['which', a[0]]],
  setpriority: (a) => [['which', a[0]]],
  membarrier: (a) => [['cmd', a[0]]],
  seccomp: (a) => [['operation', a[0]]],
  unshare: (a) => [['flags', a[0]]],
};

/**
 * Path arguments: syscall → [[path index, dirfd index or -1], ...].
 *
 * @type {Record<string, Array<[number, number]>>}
 */
const PATH_ARGS = {
  open: [[0, -1]], creat: [[0, -1]], openat: [[1, 0]], openat2: [[1, 0]], access: [[0, -1]],
  faccessat: [[1, 0]], faccessat2: [[1, 0]], stat: [[0, -1]], lstat: [[0, -1]], newfstatat: [[1, 0]],
  statx: [[1, 0]], statfs: [[0, -1]], readlink: [[0, -1]], readlinkat: [[1, 0]], execve: [[0, -1]],
  execveat: [[1, 0]], mkdir: [[0, -1]], mkdirat: [[1, 0]], mknod: [[0, -1]], mknodat: [[1, 0]],
  rmdir: [[0, -1]], unlink: [[0, -1]], unlinkat: [[1, 0]], rename: [[0, -1], [1, -1]],
  renameat: [[1, 0], [3, 2]], renameat2: [[1, 0], [3, 2]], link: [[0, -1], [1, -1]],
  linkat: [[1, 0], [3, 2]], symlink: [[1, -1]], symlinkat: [[2, 1]], chmod: [[0, -1]],
  fchmodat: [[1, 0]], fchmodat2: [[1, 0]], chown: [[0, -1]], lchown: [[0, -1]], fchownat: [[1, 0]],
  utime: [[0, -1]], utimes: [[0, -1]], utimensat: [[1, 0]], futimesat: [[1, 0]], truncate: [[0, -1]],
  chdir: [[0, -1]], chroot: [[0, -1]], inotify_add_watch: [[1, -1]], getxattr: [[0, -1]],
  lgetxattr: [[0, -1]], listxattr: [[0, -1]], llistxattr: [[0, -1]], name_to_handle_at: [[1, 0]],
};

/**
 * @typedef {object} SideSummary   what one side (Node, or exec'd programs) did in one run.
 * @property {Map<string, number>} counts
 * @property {Map<string, Map<string, Set<string>>>} args
 * @property {Map<string, Set<string>>} paths  normalised path → how it was touched.
 * @property {Set<string>} programs            exec'd program paths (exec side only).
 * @property {Set<string>} injected            syscalls whose answer strace injected (ENOSYS).
 *
 * @typedef {object} RunSummary
 * @property {SideSummary} node
 * @property {SideSummary} exec
 * @property {Set<string>} startup   syscall names before the marker (Node's start-up).
 * @property {{ atMarker: number, created: number }} threads
 * @property {number} processes     processes created after the marker by Node's side.
 */

/** @returns {SideSummary} */
const emptySide = () => ({ counts: new Map(), args: new Map(), paths: new Map(), programs: new Set(), injected: new Set() });

/**
 * @param {import('./parse-strace.mjs').ParsedTrace} trace
 * @param {(path: string) => string} normalise  maps run-specific paths to stable ones.
 * @returns {RunSummary}
 */
export function summariseTrace(trace, normalise) {
  const { events, markerSeq, mainPid, tgidOf, parentOf } = trace;
  if (markerSeq < 0) throw new Error('marker not found in the trace: the workload did not start, or its first statement is not the marker');
  const node = emptySide();
  const exec = emptySide();
  /** @type {Set<string>} */
  const startup = new Set();
  /** @type {Set<number>} */
  const liveAtMarker = new Set();
  let threadsCreated = 0;
  let processes = 0;
  for (const e of events) {
    const tgid = tgidOf.get(e.tid) ?? e.tid;
    if (e.seq < markerSeq) {
      startup.add(e.name);
      // A thread exists from its creator's clone on, even if its own first call comes later.
      const child = Number(e.ret?.split(' ')[0]);
      if (tgid === mainPid) liveAtMarker.add(e.tid);
      if (tgid === mainPid && child > 0 && tgidOf.get(child) === mainPid) liveAtMarker.add(child);
      if (e.name === 'exit') liveAtMarker.delete(e.tid);
      continue;
    }
    if (e.seq === markerSeq) continue;
    const execed = isExeced(trace, e);
    const side = execed ? exec : node;
    side.counts.set(e.name, (side.counts.get(e.name) ?? 0) + 1);
    if (e.ret?.endsWith('(INJECTED)')) side.injected.add(e.name);
    const target = (/** @type {string | undefined} */ pid, kind = 'pid') => classifyTarget(Number(pid), kind, tgid, tgidOf, parentOf);
    for (const [key, value] of ARG_RULES[e.name]?.(e.args, target) ?? []) {
      if (value === undefined) continue;
      const byKey = side.args.get(e.name) ?? new Map();
      side.args.set(e.name, byKey);
      byKey.set(key, (byKey.get(key) ?? new Set()).add(value));
    }
    recordPaths(side, e, normalise);
    if (e.name === 'execve' && e.ret === '0' && execed === false) {
      const program = decodeString(e.args[0]);
      if (program !== undefined) exec.programs.add(normalise(program));
    }
    const child = Number(e.ret?.split(' ')[0]);
    if (['clone', 'clone3', 'fork', 'vfork'].includes(e.name) && child > 0 && !execed) {
      if (tgidOf.get(child) === tgid && tgid === mainPid) threadsCreated++;
      else if (tgidOf.get(child) !== tgid) processes++;
    }
  }
  return { node, exec, startup, threads: { atMarker: liveAtMarker.size, created: threadsCreated }, processes };
}

/**
 * @param {number} pid  the pid (or tid) argument.
 * @param {string} kind  'pid' or 'tid'.
 * @param {number} callerTgid
 * @param {Map<number, number>} tgidOf
 * @param {Map<number, number>} parentOf
 */
function classifyTarget(pid, kind, callerTgid, tgidOf, parentOf) {
  if (!Number.isInteger(pid)) return 'unknown';
  if (pid === 0) return kind === 'tid' ? 'unknown' : 'self-or-group (0)';
  if (pid === -1) return 'all (-1)';
  if (pid < -1) return 'process-group';
  const tgid = tgidOf.get(pid) ?? pid;
  if (tgid === callerTgid) return 'self';
  if (parentOf.get(tgid) === callerTgid) return 'child';
  return 'other';
}

/**
 * @param {SideSummary} side
 * @param {import('./parse-strace.mjs').SyscallEvent} e
 * @param {(path: string) => string} normalise
 */
function recordPaths(side, e, normalise) {
  const slots = PATH_ARGS[e.name] ?? [];
  /** @type {string[]} */
  const found = [];
  for (const [index, dirfdIndex] of slots) {
    const path = decodeString(e.args[index]);
    if (path === undefined || path === '') continue;
    const dirfd = dirfdIndex < 0 ? 'AT_FDCWD' : e.args[dirfdIndex];
    found.push(path.startsWith('/') || dirfd === 'AT_FDCWD' ? path : `<fd ${dirfd}>/${path}`);
  }
  if (e.name === 'connect' || e.name === 'bind') {
    const sun = /sun_path=(@?"(?:[^"\\]|\\.)*")/.exec(e.args[1] ?? '')?.[1];
    const path = decodeString(sun);
    // Abstract names may carry the NUL padding of the address length.
    if (sun !== undefined && path !== undefined) found.push(sun.startsWith('@') ? `@${path.replace(/\0+$/, '')}` : path);
  }
  if (found.length === 0) return;
  const flags = e.name === 'open' ? e.args[1] : e.name === 'openat' ? e.args[2] : undefined;
  const how = [e.name, flags, e.errno === undefined ? undefined : `= ${e.errno}`].filter(Boolean).join(' ');
  for (const path of found) {
    const key = normalise(path);
    side.paths.set(key, (side.paths.get(key) ?? new Set()).add(how));
  }
}

/** @param {Iterable<string>} values */
const sorted = (values) => [...values].sort();

/**
 * @param {SideSummary[]} sides  one per run.
 * @param {number} runs
 */
function mergeSides(sides, runs) {
  /** @type {Record<string, { count: number, seenIn?: string, args?: Record<string, string[]>, injected?: true }>} */
  const syscalls = {};
  const names = sorted(new Set(sides.flatMap((s) => [...s.counts.keys()])));
  for (const name of names) {
    const seen = sides.filter((s) => s.counts.has(name)).length;
    const count = Math.max(...sides.map((s) => s.counts.get(name) ?? 0));
    /** @type {Record<string, Set<string>>} */
    const args = {};
    for (const s of sides) for (const [key, values] of s.args.get(name) ?? []) for (const v of values) (args[key] ??= new Set()).add(v);
    syscalls[name] = {
      count,
      ...(seen < runs ? { seenIn: `${seen}/${runs}` } : {}),
      ...(sides.some((s) => s.injected.has(name)) ? { injected: /** @type {const} */ (true) } : {}),
      ...(Object.keys(args).length > 0 ? { args: Object.fromEntries(Object.entries(args).map(([k, v]) => [k, sorted(v)])) } : {}),
    };
  }
  /** @type {Map<string, Set<string>>} */
  const paths = new Map();
  for (const s of sides) for (const [path, via] of s.paths) for (const v of via) paths.set(path, (paths.get(path) ?? new Set()).add(v));
  return { syscalls, paths: sorted(paths.keys()).map((path) => ({ path, via: sorted(paths.get(path) ?? []) })) };
}

/**
 * Folds the runs of one workload: counts are the maximum over runs, a syscall missing from some
 * runs gets `seenIn: "k/n"`, argument values and paths are the union.
 *
 * @param {RunSummary[]} runs
 */
export function mergeRuns(runs) {
  const node = mergeSides(runs.map((r) => r.node), runs.length);
  const exec = mergeSides(runs.map((r) => r.exec), runs.length);
  const programs = sorted(new Set(runs.flatMap((r) => [...r.exec.programs])));
  return {
    runs: runs.length,
    syscalls: node.syscalls,
    paths: node.paths,
    threads: {
      atMarker: Math.max(...runs.map((r) => r.threads.atMarker)),
      created: Math.max(...runs.map((r) => r.threads.created)),
    },
    processes: Math.max(...runs.map((r) => r.processes)),
    ...(Object.keys(exec.syscalls).length > 0 ? { exec: { programs, syscalls: exec.syscalls, paths: exec.paths } } : {}),
  };
}
