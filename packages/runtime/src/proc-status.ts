/**
 * Reads what the kernel says about seccomp for this process's threads, from
 * `/proc/<thread>/status`: `NoNewPrivs`, `Seccomp` and `Seccomp_filters`. This is how the loader
 * confirms an install, and how TSYNC is proven (every thread shows the filter). It only reads; it
 * never changes anything. Built-in modules come from `process.getBuiltinModule`, which costs
 * far less start-up than an ESM `import` of `node:fs` (see `ffi.ts`).
 */

/** The seccomp state of one thread. */
export interface SeccompStatus {
  /** `NoNewPrivs: 1`. */
  readonly noNewPrivs: boolean;
  /** `Seccomp:` 0 disabled, 1 strict, 2 filter. */
  readonly mode: 'disabled' | 'strict' | 'filter';
  /** `Seccomp_filters:` how many filters are stacked; `undefined` before Linux 5.9. */
  readonly filters: number | undefined;
}

/** The seccomp state of one thread of this process. */
export interface ThreadSeccompStatus extends SeccompStatus {
  readonly tid: number;
}

/** The calling thread's status file; `/proc/self/status` would describe the main thread. */
export const THREAD_SELF_STATUS = '/proc/thread-self/status';

const MODES = ['disabled', 'strict', 'filter'] as const;

/**
 * The value of the `name:` line of a `/proc/<pid>/status` text, whitespace trimmed, or undefined
 * when there is none. A search, not a regular expression: the loader reads status files before
 * the program starts, and compiling a pattern costs more than the search.
 * @example
 * statusField('Name:\tnode\nSeccomp:\t2\n', 'Seccomp'); // '2'
 */
export function statusField(text: string, name: string): string | undefined {
  const key = `${name}:`;
  let at = text.startsWith(key) ? 0 : text.indexOf(`\n${key}`) + 1;
  if (at === 0 && !text.startsWith(key)) return undefined;
  at += key.length;
  const end = text.indexOf('\n', at);
  return text.slice(at, end === -1 ? text.length : end).trim();
}

/** A status field made of `digits` only (decimal; `HEX_DIGITS` for the capability masks), or undefined when absent or not such. */
export function digitsField(text: string, name: string, digits = '0123456789'): string | undefined {
  const value = statusField(text, name);
  return value !== undefined && value !== '' && [...value].every((c) => digits.includes(c)) ? value : undefined;
}

/** The digits of a hexadecimal status field (`CapEff:\t000001ffffffffff`). */
export const HEX_DIGITS = '0123456789abcdef';

/** A status field holding a decimal number, or undefined when absent or not one. */
function decimalField(text: string, name: string): number | undefined {
  const value = digitsField(text, name);
  return value === undefined ? undefined : Number(value);
}

/**
 * Parses the seccomp fields of a `/proc/<pid>/status` text. Returns `undefined` when there is no
 * `Seccomp:` field, which means the kernel was built without `CONFIG_SECCOMP`.
 *
 * @example
 * parseSeccompStatus('NoNewPrivs:\t1\nSeccomp:\t2\nSeccomp_filters:\t1\n');
 * // { noNewPrivs: true, mode: 'filter', filters: 1 }
 */
export function parseSeccompStatus(text: string): SeccompStatus | undefined {
  const mode = MODES[decimalField(text, 'Seccomp') ?? -1];
  if (mode === undefined) return undefined;
  return { noNewPrivs: decimalField(text, 'NoNewPrivs') === 1, mode, filters: decimalField(text, 'Seccomp_filters') };
}

/**
 * The calling thread's seccomp state, or `undefined` when the kernel does not report one (not
 * Linux, `/proc` not mounted, or no `CONFIG_SECCOMP`).
 *
 * @example
 * readSeccompStatus()?.mode; // 'filter' once a sandbox is applied
 */
export function readSeccompStatus(): SeccompStatus | undefined {
  const text = readStatusText(THREAD_SELF_STATUS);
  return text === undefined ? undefined : parseSeccompStatus(text);
}

/**
 * The seccomp state of every thread of this process (of `entries`, by default all of them now);
 * empty when `/proc/self/task` cannot be read.
 * Threads that exit while we read are left out; threads without a `Seccomp:` field (no
 * `CONFIG_SECCOMP`) are reported as disabled.
 */
export function readThreadStatuses(entries: readonly string[] = listThreads()): ThreadSeccompStatus[] {
  const statuses: ThreadSeccompStatus[] = [];
  for (const entry of entries) {
    const text = readStatusText(`/proc/self/task/${entry}/status`);
    if (text === undefined) continue;
    const status = parseSeccompStatus(text) ?? { noNewPrivs: false, mode: 'disabled', filters: undefined };
    statuses.push({ tid: Number(entry), ...status });
  }
  return statuses;
}

/**
 * The thread ids of this process (`/proc/self/task`), empty when it cannot be read. The loader
 * lists them before installing: listing a directory is not in the baseline it installs.
 */
export function listThreads(): string[] {
  try {
    return process.getBuiltinModule('node:fs').readdirSync('/proc/self/task');
  } catch {
    return [];
  }
}

/** Reused for every read: status files are ~1.5 KB, and the loader reads one per thread. */
let buffer: Buffer | undefined;

/**
 * The text of a status file, or `undefined` when it does not exist or cannot be read. One
 * `read` into a reused buffer is about three times cheaper than `readFileSync` on procfs.
 */
export function readStatusText(path: string): string | undefined {
  const { closeSync, openSync, readFileSync, readSync } = process.getBuiltinModule('node:fs');
  buffer ??= Buffer.alloc(8192);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = readSync(fd, buffer, 0, buffer.length, null); // read, not pread: the baseline has no pread64
    return size < buffer.length ? buffer.toString('latin1', 0, size) : readFileSync(path, 'latin1');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
