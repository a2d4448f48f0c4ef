/**
 * Installs already-compiled seccomp filter bytes into the running Node process, fail-closed:
 * check the platform and the bytes, `prctl(PR_SET_NO_NEW_PRIVS, 1)`,
 * `seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &sock_fprog)`, then confirm
 * through `/proc` that the calling thread, and with TSYNC every thread, carries the filter. Any
 * step that fails throws one error naming the cause and the fix. It does not compile policies,
 * apply Landlock, or decide what a failure means for the program (see {@link installFilterOrExit}).
 */
import { PR_SET_NO_NEW_PRIVS, SECCOMP_SET_MODE_FILTER } from '@syscage/core/constants';
import { findLoaderArch, LOADER_ARCH_NAMES, type LoaderArch, type LoaderArchName } from './arch.ts';
import { loaderError, type LoaderError } from './errors.ts';
import { failClosed } from './fail-closed.ts';
import { loadFfi, nowMs, prctl, syscall, type FfiInfo } from './ffi.ts';
import { listThreads, parseSeccompStatus, readStatusText, readThreadStatuses, THREAD_SELF_STATUS, type SeccompStatus } from './proc-status.ts';

/** `linux/seccomp.h`: a flag core's constants do not publish (the catalog never tests it). */
const SECCOMP_FILTER_FLAG_TSYNC = 1;
/** `linux/filter.h`: the kernel's limit per filter, and `sizeof(struct sock_filter)`. */
const BPF_MAXINSNS = 4096;
const SOCK_FILTER_SIZE = 8;

const UNSUPPORTED_HINT = "Run on Linux ≥ 3.17 with seccomp enabled, or declare unsupported: 'warn' for development.";
const REBUILD_HINT = "The bytes are corrupt or were not produced by syscage's compiler; rebuild so the filter is compiled again.";

/** How to install a filter. */
export interface InstallOptions {
  /**
   * Synchronise every thread of the process onto the filter (`SECCOMP_FILTER_FLAG_TSYNC`). Always
   * `true` for a sandbox: Node runs libuv's threadpool and V8's threads before user code, and
   * without TSYNC they keep running unfiltered (async fs then escapes). `false` only exists to
   * show that in tests; only the calling thread is then confirmed.
   */
  readonly tsync: boolean;
  /** The architecture the bytes were compiled for. When given, it must be this process's. */
  readonly arch?: LoaderArchName;
}

/** What {@link installFilter} installed and confirmed. */
export interface InstallResult {
  readonly arch: LoaderArchName;
  /** Instructions in the installed filter. */
  readonly instructions: number;
  readonly tsync: boolean;
  /** `Seccomp_filters` of the calling thread afterwards; `undefined` before Linux 5.9. */
  readonly filters: number | undefined;
  /** Threads seen carrying the filter: all of them with TSYNC, the calling one without. */
  readonly threadsConfirmed: number;
  /** Which ffi-rs binding was used, and its (first) load time. */
  readonly ffi: FfiInfo;
  /** Milliseconds spent in `prctl` and `seccomp()` (excludes the ffi-rs load). */
  readonly installMs: number;
  /** Milliseconds spent reading `/proc` before and after, to confirm the filter on every thread. */
  readonly confirmMs: number;
}

/**
 * Installs `bytes` (a `struct sock_filter` array, as core's compiler emits it) as a seccomp
 * filter on this process and confirms it through `/proc`. On failure nothing but
 * `NO_NEW_PRIVS` (harmless, irreversible) may have changed; the caller must not go on running the
 * program: use {@link installFilterOrExit} unless you report the error yourself.
 *
 * @throws `UNSUPPORTED_PLATFORM`, `UNSUPPORTED_ARCH`, `INVALID_FILTER`, `FILTER_TOO_LARGE`,
 *   `FFI_UNAVAILABLE` or `SECCOMP_UNAVAILABLE`, with a one-line message saying what to do.
 * @example
 * installFilter(bytes, { tsync: true }); // every thread now runs under the filter
 */
export function installFilter(bytes: Uint8Array, options: InstallOptions): InstallResult {
  const arch = checkPlatform(options.arch);
  checkFilterBytes(bytes);
  const ffi = loadFfi();
  const readingBefore = nowMs();
  const before = readOwnStatus();
  const threads = options.tsync ? listThreads() : [];
  const started = nowMs();
  const instructions = load(arch, bytes, options.tsync);
  const installed = nowMs();
  const after = confirmOwnStatus(before);
  const threadsConfirmed = options.tsync ? confirmAllThreads(after, threads) : 1;
  const installMs = installed - started;
  const confirmMs = started - readingBefore + (nowMs() - installed);
  const { tsync } = options;
  return { arch: arch.name, instructions, tsync, filters: after.filters, threadsConfirmed, ffi, installMs, confirmMs };
}

/**
 * Installs the first-stage filter on the calling thread alone, right before the restart, and
 * reads nothing back: the restarted image proves it took (no io_uring ring exists there, which
 * is the filter's whole job; restarted.ts refuses otherwise) and confirms its own filter through
 * `/proc` on every thread.
 *
 * @throws as {@link installFilter}, but never for what `/proc` shows.
 */
export function installStage1(bytes: Uint8Array): void {
  const arch = checkPlatform(undefined);
  checkFilterBytes(bytes);
  load(arch, bytes, false);
}

/** `prctl(PR_SET_NO_NEW_PRIVS)` and `seccomp()`; returns the filter's instruction count. */
function load(arch: LoaderArch, bytes: Uint8Array, tsync: boolean): number {
  const noNewPrivs = prctl(PR_SET_NO_NEW_PRIVS, 1);
  if (noNewPrivs.value !== 0) throw noNewPrivsFailed(noNewPrivs.errno);
  const flags = tsync ? SECCOMP_FILTER_FLAG_TSYNC : 0;
  const fprog = { len: bytes.length / SOCK_FILTER_SIZE, filter: bytes };
  const result = syscall(arch.nrSeccomp, SECCOMP_SET_MODE_FILTER, flags, fprog);
  // With TSYNC, a positive result is the id of a thread that could not be synchronised.
  if (result.value > 0) throw tsyncFailed(result.value);
  if (result.value !== 0) throw seccompFailed(arch, flags, result.errno);
  return fprog.len;
}

/**
 * {@link installFilter}, and on any failure the fail-closed exit (fail-closed.ts): `syscage:
 * <message>` as one line on stderr and exit code 1, so the program never runs unsandboxed.
 *
 * @example
 * installFilterOrExit(bytes, { tsync: true }); // the loader's first act in a built entry
 */
export function installFilterOrExit(bytes: Uint8Array, options: InstallOptions): InstallResult {
  try {
    return installFilter(bytes, options);
  } catch (error) {
    return failClosed(error);
  }
}

/**
 * Checks what the loader can check of filter bytes without the kernel: a non-empty whole number
 * of 8-byte instructions, at most `BPF_MAXINSNS`. The kernel checks the rest at install.
 *
 * @throws `INVALID_FILTER` or `FILTER_TOO_LARGE`.
 */
export function checkFilterBytes(bytes: unknown): asserts bytes is Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw invalidFilter(`the seccomp filter must be a Uint8Array of struct sock_filter bytes; got ${describe(bytes)}.`);
  }
  if (bytes.length === 0) throw invalidFilter('the seccomp filter is empty (0 bytes).');
  if (bytes.length % SOCK_FILTER_SIZE !== 0) {
    throw invalidFilter(`the seccomp filter is ${bytes.length} bytes, not a whole number of 8-byte instructions.`);
  }
  if (bytes.length / SOCK_FILTER_SIZE > BPF_MAXINSNS) {
    throw loaderError({
      code: 'FILTER_TOO_LARGE',
      message: `the seccomp filter has ${bytes.length / SOCK_FILTER_SIZE} instructions; the kernel accepts at most ${BPF_MAXINSNS} (BPF_MAXINSNS).`,
      hint: REBUILD_HINT,
    });
  }
}

function checkPlatform(expected: LoaderArchName | undefined): LoaderArch {
  if (process.platform !== 'linux') {
    throw loaderError({
      code: 'UNSUPPORTED_PLATFORM',
      message: `seccomp exists only on Linux; this is ${process.platform}.`,
      hint: UNSUPPORTED_HINT,
    });
  }
  const arch = findLoaderArch();
  if (arch === undefined) {
    throw loaderError({
      code: 'UNSUPPORTED_ARCH',
      message: `syscage cannot sandbox ${process.arch}; it supports ${LOADER_ARCH_NAMES.join(' and ')}.`,
      hint: "Run on one of those, or declare unsupported: 'warn' for development.",
    });
  }
  if (expected !== undefined && expected !== arch.name) {
    throw invalidFilter(
      `the seccomp filter was compiled for ${expected} but this process runs on ${arch.name}.`,
      `Build for ${arch.name} (the plugin compiles one filter per target architecture).`,
    );
  }
  return arch;
}

function readOwnStatus(): SeccompStatus {
  const text = readStatusText(THREAD_SELF_STATUS);
  if (text === undefined) {
    throw loaderError({
      code: 'SECCOMP_UNAVAILABLE',
      message: `cannot read ${THREAD_SELF_STATUS}, so a seccomp filter could not be confirmed.`,
      hint: 'Mount /proc (Linux ≥ 3.17 has thread-self) and run again.',
    });
  }
  const status = parseSeccompStatus(text);
  if (status === undefined) {
    throw unavailable(`seccomp is not available in this kernel (Linux ${kernelRelease()} reports no Seccomp field: CONFIG_SECCOMP is off).`);
  }
  return status;
}

function confirmOwnStatus(before: SeccompStatus): SeccompStatus {
  const after = readOwnStatus();
  const expectedFilters = before.filters === undefined ? undefined : before.filters + 1;
  if (after.mode !== 'filter' || !after.noNewPrivs || after.filters !== expectedFilters) {
    throw loaderError({
      code: 'SECCOMP_UNAVAILABLE',
      message: `seccomp() succeeded but ${THREAD_SELF_STATUS} shows ${formatStatus(after)} (expected Seccomp: 2, NoNewPrivs: 1, Seccomp_filters: ${expectedFilters ?? 'absent'}).`,
      hint: 'Something else changed the seccomp state at the same time; install the sandbox first, from the main thread.',
    });
  }
  return after;
}

/** Threads that started after `listed` was taken inherit the filter from their creator. */
function confirmAllThreads(after: SeccompStatus, listed: readonly string[]): number {
  const threads = readThreadStatuses(listed);
  const uncovered = threads.filter((t) => t.mode !== 'filter' || !t.noNewPrivs || (t.filters ?? 0) < (after.filters ?? 0));
  if (uncovered.length > 0 || threads.length === 0) {
    const list = uncovered.map((t) => `thread ${t.tid} shows ${formatStatus(t)}`).join(', ') || 'no threads found';
    throw loaderError({
      code: 'SECCOMP_UNAVAILABLE',
      message: `seccomp TSYNC reported success but not every thread carries the filter (${list}).`,
      hint: 'The kernel did not synchronise all threads; do not run this program on this kernel, or report it with `uname -r`.',
    });
  }
  return threads.length;
}

function noNewPrivsFailed(errno: number): LoaderError {
  return unavailable(`prctl(PR_SET_NO_NEW_PRIVS) failed with ${errnoName(errno)} on Linux ${kernelRelease()}, so no seccomp filter can be installed.`);
}

function tsyncFailed(tid: number): LoaderError {
  return loaderError({
    code: 'SECCOMP_UNAVAILABLE',
    message: `seccomp TSYNC could not synchronise thread ${tid}: it already runs under a seccomp filter this thread does not have.`,
    hint: 'Apply the sandbox before anything else installs a filter (a worker_thread or native code), from the main thread.',
  });
}

function seccompFailed(arch: LoaderArch, flags: number, errno: number): LoaderError {
  const name = errnoName(errno);
  switch (name) {
    case 'ENOSYS':
      return unavailable(`seccomp is not available in this kernel (seccomp() returned ENOSYS on Linux ${kernelRelease()}; a container's seccomp profile can also answer that).`);
    case 'EINVAL': {
      // The kernel checks the mode and flags before it copies the program: with a NULL program a
      // kernel that supports both answers EFAULT, so the EINVAL was about the filter itself.
      const probe = syscall(arch.nrSeccomp, SECCOMP_SET_MODE_FILTER, flags, 0);
      if (errnoName(probe.errno) === 'EFAULT') {
        return invalidFilter('the kernel rejected the seccomp filter (EINVAL): it is not a valid seccomp BPF program (a bad opcode or load, a jump out of range, or no final return).');
      }
      const missing = flags & SECCOMP_FILTER_FLAG_TSYNC ? 'CONFIG_SECCOMP_FILTER or SECCOMP_FILTER_FLAG_TSYNC' : 'CONFIG_SECCOMP_FILTER';
      return unavailable(`seccomp filters are not available in this kernel (no ${missing}: seccomp() returned EINVAL on Linux ${kernelRelease()}).`);
    }
    case 'EPERM':
    case 'EACCES':
      return loaderError({
        code: 'SECCOMP_UNAVAILABLE',
        message: `installing a seccomp filter was refused (${name}): an outer sandbox or container profile forbids seccomp().`,
        hint: "Allow seccomp() in that profile, or declare unsupported: 'warn' for development.",
      });
    case 'ENOMEM':
      return loaderError({
        code: 'FILTER_TOO_LARGE',
        message: 'the kernel refused the seccomp filter (ENOMEM): with the filters already stacked on this process it exceeds the kernel limit of 32768 instructions in total.',
        hint: 'Stack fewer filters (each narrow() adds one) or declare fewer capabilities.',
      });
    default:
      return unavailable(`seccomp(SECCOMP_SET_MODE_FILTER) failed with ${name} on Linux ${kernelRelease()}.`);
  }
}

function unavailable(message: string): LoaderError {
  return loaderError({ code: 'SECCOMP_UNAVAILABLE', message, hint: UNSUPPORTED_HINT });
}

function invalidFilter(message: string, hint = REBUILD_HINT): LoaderError {
  return loaderError({ code: 'INVALID_FILTER', message, hint });
}

function formatStatus(status: SeccompStatus): string {
  const mode = { disabled: 0, strict: 1, filter: 2 }[status.mode];
  return `Seccomp: ${mode}, NoNewPrivs: ${status.noNewPrivs ? 1 : 0}, Seccomp_filters: ${status.filters ?? 'absent'}`;
}

/** `uname -r`; `node:os` is loaded only on this failure path. */
function kernelRelease(): string {
  return process.getBuiltinModule('node:os').release();
}

function errnoName(errno: number): string {
  const entry = Object.entries(process.getBuiltinModule('node:os').constants.errno).find(([, value]) => value === errno);
  return entry?.[0] ?? `errno ${errno}`;
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? (value.constructor?.name ?? 'an object') : typeof value;
}
