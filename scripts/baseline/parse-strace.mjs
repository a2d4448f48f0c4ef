/**
 * Parses the output of `strace -f -o FILE` (one file, every line prefixed by the task id) into
 * syscall events, and works out which task belongs to which process and which events happen after
 * the workload's marker.
 *
 * Calls split by other tasks (`<unfinished ...>` / `<... resumed>`) are joined back, and an event
 * is placed at its ENTRY: seccomp checks a syscall when it is entered, so a call entered before the
 * marker and returning after it is start-up, not program. Signal and exit notices (`---`, `+++`)
 * are ignored. This module does not decide what an argument means; see summarise.mjs.
 */

/**
 * @typedef {object} SyscallEvent
 * @property {number} seq      order of entry in the trace.
 * @property {number} tid      task (thread) id that made the call.
 * @property {string} name     syscall name as strace spells it.
 * @property {string[]} args   top-level arguments, as strace printed them.
 * @property {string | undefined} ret  text after `= ` (undefined if the call never returned).
 * @property {string | undefined} errno  e.g. 'ENOENT' when the call failed.
 */

/**
 * Splits `name(arg, arg, ...) = ret` at top-level commas, honouring strings, brackets and braces.
 * Also accepts a line cut short (an unfinished head): then `complete` is false.
 *
 * @param {string} text
 * @returns {{ name: string, args: string[], ret: string | undefined, complete: boolean } | undefined}
 */
export function splitCall(text) {
  const open = /^([a-z_][a-z0-9_]*)\(/.exec(text);
  if (open === null) return undefined;
  /** @type {string[]} */
  const args = [];
  let depth = 0;
  let inString = false;
  let start = open[0].length;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    } else if (c === ')' && depth === 0) {
      const last = text.slice(start, i).trim();
      if (last !== '' || args.length > 0) args.push(last);
      const ret = /^\s*=\s*(.*)$/.exec(text.slice(i + 1));
      return { name: /** @type {string} */ (open[1]), args, ret: ret?.[1], complete: true };
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') args.push(last);
  return { name: /** @type {string} */ (open[1]), args, ret: undefined, complete: false };
}

/**
 * Decodes a strace string literal (`"..."`, possibly followed by `...` when truncated).
 *
 * @param {string | undefined} arg
 * @returns {string | undefined} undefined when `arg` is not a string literal.
 */
export function decodeString(arg) {
  const m = arg === undefined ? null : /^@?"((?:[^"\\]|\\.)*)"/.exec(arg);
  if (m === null) return undefined;
  return (/** @type {string} */ (m[1])).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return /** @type {Record<string, string>} */ ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' })[e] ?? e;
  });
}

/** Syscalls that can carry the marker path as an argument, and at which index. */
const MARKER_ARG = { access: 0, faccessat: 1, faccessat2: 1, stat: 0, lstat: 0, newfstatat: 1, statx: 1, open: 0, openat: 1 };

/**
 * @param {string} name
 * @param {string[]} args
 * @param {string} marker
 */
function isMarker(name, args, marker) {
  const index = /** @type {Record<string, number>} */ (MARKER_ARG)[name];
  return index !== undefined && decodeString(args[index]) === marker;
}

/**
 * @typedef {object} ParsedTrace
 * @property {SyscallEvent[]} events   every event, in entry order.
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
  /** @type {SyscallEvent[]} */
  const events = [];
  /** @type {Map<number, { seq: number, head: string }>} */
  const pending = new Map();
  let seq = 0;
  let markerSeq = -1;
  let mainPid = -1;

  /** @param {number} at @param {number} tid @param {string} text */
  const finish = (at, tid, text) => {
    const call = splitCall(text);
    if (call === undefined) return;
    const errno = call.ret === undefined ? undefined : /^-1 (E[A-Z0-9]+)/.exec(call.ret)?.[1];
    events.push({ seq: at, tid, name: call.name, args: call.args, ret: call.ret, errno });
  };

  for (const line of text.split('\n')) {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (m === null) continue;
    const tid = Number(m[1]);
    const body = /** @type {string} */ (m[2]);
    if (mainPid === -1) mainPid = tid;
    if (body.startsWith('+++') || body.startsWith('---')) continue;
    const resumed = /^<\.\.\. [a-z0-9_]+ resumed>(.*)$/.exec(body);
    if (resumed !== null) {
      const head = pending.get(tid);
      if (head === undefined) continue;
      pending.delete(tid);
      finish(head.seq, tid, head.head + resumed[1]);
      continue;
    }
    const at = seq++;
    const unfinished = body.endsWith(' <unfinished ...>');
    const text = unfinished ? body.slice(0, -' <unfinished ...>'.length) : body;
    if (markerSeq === -1) {
      const call = splitCall(text);
      if (call !== undefined && isMarker(call.name, call.args, marker)) markerSeq = at;
    }
    if (unfinished) pending.set(tid, { seq: at, head: text });
    else finish(at, tid, text);
  }
  for (const [tid, head] of pending) finish(head.seq, tid, head.head + ')');
  events.sort((a, b) => a.seq - b.seq);
  return { events, markerSeq, mainPid, ...buildTasks(events, mainPid, markerSeq) };
}

/**
 * Follows clone/fork/execve returns to map tasks to processes.
 *
 * @param {SyscallEvent[]} events  in entry order.
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
