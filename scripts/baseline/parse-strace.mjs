/**
 * The baseline scripts' view of a `strace -f -o FILE` trace: the events as the syscage CLI parses
 * them (packages/cli/src/trace/strace.ts, from its build: `pnpm build` first), plus what only the
 * measurements need: which event is the workload's marker, which task belongs to which process,
 * and which processes exec'd another program after the marker.
 *
 * Events are placed at their ENTRY: seccomp checks a syscall when it is entered, so a call entered
 * before the marker and returning after it is start-up, not program. This module does not decide
 * what an argument means; see summarise.mjs.
 */
import { decodeString, parseTrace as parseEvents, splitCall } from '../../packages/cli/dist/trace/strace.js';

export { decodeString, splitCall };

/**
 * @typedef {import('../../packages/cli/dist/trace/strace.js').SyscallEvent} SyscallEvent
 */

/** Syscalls that can carry the marker path as an argument, and at which index. */
const MARKER_ARG = { access: 0, faccessat: 1, faccessat2: 1, stat: 0, lstat: 0, newfstatat: 1, statx: 1, open: 0, openat: 1 };

/**
 * @param {SyscallEvent} event
 * @param {string} marker
 */
function isMarker(event, marker) {
  const index = /** @type {Record<string, number>} */ (MARKER_ARG)[event.name];
  return index !== undefined && decodeString(event.args[index]) === marker;
}

/**
 * @typedef {object} ParsedTrace
 * @property {readonly SyscallEvent[]} events   every event, in entry order.
 * @property {number} markerSeq        seq of the marker call, -1 if absent.
 * @property {number} mainPid          the traced program's pid (the first task in the trace).
 * @property {Map<number, number>} tgidOf     task id → process id.
 * @property {Map<number, number>} parentOf   process id → parent process id.
 * @property {Map<number, number>} execSeqOf  process id → seq of its first successful execve
 *   after the marker.
 */

/**
 * @param {string} text  the whole trace file.
 * @param {string} marker  the path whose access marks the program's first line.
 * @returns {ParsedTrace}
 */
export function parseTrace(text, marker) {
  const { events, mainPid } = parseEvents(text);
  const markerSeq = events.find((event) => isMarker(event, marker))?.seq ?? -1;
  return { events, markerSeq, mainPid, ...buildTasks(events, mainPid, markerSeq) };
}

/**
 * Follows clone/fork/execve returns to map tasks to processes.
 *
 * @param {readonly SyscallEvent[]} events  in entry order.
 * @param {number} mainPid
 * @param {number} markerSeq  only the first successful exec after it is kept per process.
 */
function buildTasks(events, mainPid, markerSeq) {
  /** @type {Map<number, number>} */
  const tgidOf = new Map([[mainPid, mainPid]]);
  /** @type {Map<number, number>} */
  const parentOf = new Map();
  /** @type {Map<number, number>} */
  const execSeqOf = new Map();
  for (const e of events) {
    const tgid = tgidOf.get(e.tid) ?? e.tid;
    if (['clone', 'clone3', 'fork', 'vfork'].includes(e.name)) {
      const child = Number(e.ret?.split(' ')[0]);
      if (!Number.isInteger(child) || child <= 0) continue;
      const thread = e.args.some((a) => /\bCLONE_THREAD\b/.test(a));
      tgidOf.set(child, thread ? tgid : child);
      if (!thread) parentOf.set(child, tgid);
    } else if ((e.name === 'execve' || e.name === 'execveat') && e.ret === '0' && e.seq > markerSeq && !execSeqOf.has(tgid)) {
      execSeqOf.set(tgid, e.seq);
    }
  }
  return { tgidOf, parentOf, execSeqOf };
}

/**
 * True when the event was made by a program exec'd after the marker (or by its descendants),
 * rather than by Node or by a child Node forked that has not exec'd yet.
 *
 * @param {ParsedTrace} trace
 * @param {SyscallEvent} event
 */
export function isExeced(trace, event) {
  const own = trace.tgidOf.get(event.tid) ?? event.tid;
  const execSeq = trace.execSeqOf.get(own);
  if (execSeq !== undefined && event.seq > execSeq) return true;
  for (let pid = trace.parentOf.get(own); pid !== undefined; pid = trace.parentOf.get(pid)) {
    if (trace.execSeqOf.has(pid)) return true;
  }
  return false;
}
