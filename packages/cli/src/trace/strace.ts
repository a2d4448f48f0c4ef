/**
 * Parses `strace -f -o FILE` output (every line prefixed by its task id) into syscall events (the
 * baseline measurements in scripts/baseline build on this module, from the CLI's build): calls split by
 * other tasks (`<unfinished ...>` / `<... resumed>`) are joined back and placed at their entry (seccomp
 * decides at entry), signal and exit notices are dropped, and clone returns map tasks to processes.
 * It does not decide what an argument means; see args.ts.
 */

/** One syscall as strace printed it. */
export interface SyscallEvent {
  /** Order of entry in the trace. */
  readonly seq: number;
  /** The task (thread) that made the call. */
  readonly tid: number;
  readonly name: string;
  /** Top-level arguments as printed. */
  readonly args: readonly string[];
  /** Text after `= `, or undefined if the call never returned (exit, execve of a dying thread). */
  readonly ret: string | undefined;
  /** The errno name of a failed call. */
  readonly errno: string | undefined;
}

/** A parsed trace. */
export interface ParsedTrace {
  readonly events: readonly SyscallEvent[];
  /** The first task in the trace: the traced command. */
  readonly mainPid: number;
  /** Task id → process id (thread group). */
  readonly tgidOf: ReadonlyMap<number, number>;
}

/**
 * Splits `name(arg, arg, ...) = ret` at top-level commas, honouring strings, brackets and comments.
 * A line cut short (an unfinished head) is accepted too: then `complete` is false.
 */
export function splitCall(text: string): { name: string; args: string[]; ret: string | undefined; complete: boolean } | undefined {
  const open = /^([a-z_][a-z0-9_]*)\(/.exec(text);
  if (open === null) return undefined;
  const args: string[] = [];
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
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 1;
    } else if (c === '"') inString = true;
    else if (c === '(' || c === '[' || c === '{') depth++;
    else if ((c === ')' || c === ']' || c === '}') && depth > 0) depth--;
    else if (c === ',' && depth === 0) {
      args.push(text.slice(start, i).trim());
      start = i + 1;
    } else if (c === ')' && depth === 0) {
      const last = text.slice(start, i).trim();
      if (last !== '' || args.length > 0) args.push(last);
      return { name: open[1] as string, args, ret: /^\s*=\s*(.*)$/.exec(text.slice(i + 1))?.[1], complete: true };
    }
  }
  const last = text.slice(start).trim();
  if (last !== '') args.push(last);
  return { name: open[1] as string, args, ret: undefined, complete: false };
}

/** Decodes a strace string literal (`"..."`, possibly followed by `...` when cut short). */
export function decodeString(arg: string | undefined): string | undefined {
  const m = arg === undefined ? null : /^@?"((?:[^"\\]|\\.)*)"/.exec(arg);
  if (m === null) return undefined;
  return (m[1] as string).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|.)/g, (_, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

/** Parses the whole trace file. */
export function parseTrace(text: string): ParsedTrace {
  const events: SyscallEvent[] = [];
  const pending = new Map<number, { seq: number; head: string }>();
  let seq = 0;
  let mainPid = -1;
  const finish = (at: number, tid: number, body: string): void => {
    const call = splitCall(body);
    if (call === undefined) return;
    const errno = call.ret === undefined ? undefined : /^-1 (E[A-Z0-9]+)/.exec(call.ret)?.[1];
    events.push({ seq: at, tid, name: call.name, args: call.args, ret: call.ret, errno });
  };
  for (const line of text.split('\n')) {
    const m = /^(\d+) +(.*)$/.exec(line);
    if (m === null) continue;
    const tid = Number(m[1]);
    const body = m[2] as string;
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
    if (body.endsWith(' <unfinished ...>')) pending.set(tid, { seq: at, head: body.slice(0, -' <unfinished ...>'.length) });
    else finish(at, tid, body);
  }
  for (const [tid, head] of pending) finish(head.seq, tid, `${head.head})`);
  events.sort((a, b) => a.seq - b.seq);
  return { events, mainPid, tgidOf: mapTasks(events, mainPid) };
}

function mapTasks(events: readonly SyscallEvent[], mainPid: number): Map<number, number> {
  const tgidOf = new Map<number, number>([[mainPid, mainPid]]);
  for (const event of events) {
    if (!['clone', 'clone3', 'fork', 'vfork'].includes(event.name)) continue;
    const child = Number(event.ret?.split(' ')[0]);
    if (!Number.isInteger(child) || child <= 0) continue;
    const thread = event.args.some((arg) => /\bCLONE_THREAD\b/.test(arg));
    tgidOf.set(child, thread ? (tgidOf.get(event.tid) ?? event.tid) : child);
  }
  return tgidOf;
}
