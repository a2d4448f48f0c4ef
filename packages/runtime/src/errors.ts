/**
 * How the runtime makes its errors: every failure of the loader goes through {@link loaderError},
 * which makes core's `SyscageError` (imported from `@syscage/core/errors`, one small module, so a
 * built program does not load core's syscall tables). It does not print or exit: callers decide (the fail-closed exit is fail-closed.ts).
 */

import { SyscageError } from '@syscage/core/errors';

/**
 * The codes the loader throws; a subset of core's closed `ErrorCode` set. Each names what went
 * wrong, so that a caller (or a person reading the line) can tell misuse from a missing kernel
 * feature:
 * - `SECCOMP_UNAVAILABLE`: the kernel would not install or confirm a seccomp filter.
 * - `LANDLOCK_UNAVAILABLE`: the kernel lacks a Landlock right the declaration needs, or a Landlock call failed.
 * - `FFI_UNAVAILABLE`: ffi-rs's native binding could not be loaded.
 * - `UNSUPPORTED_PLATFORM`, `UNSUPPORTED_ARCH`: not Linux, or no filter or numbers for this architecture.
 * - `INVALID_FILTER`: the filter bytes are not a seccomp program the kernel accepts.
 * - `FILTER_TOO_LARGE`: the filter, alone or stacked, exceeds the kernel's instruction limit.
 * - `API_MISUSE`: `narrow()` before `sandbox()`, or asking it for a capability the sandbox lacks.
 * - `ALREADY_APPLIED`: a second `sandbox()` in a process.
 * - `NOT_MAIN_THREAD`: `sandbox()` in a worker thread.
 * - `RESTART_FAILED`: the restart the sandbox needs cannot be made (a program read from stdin, an
 *   IPC channel that cannot be kept), or did not do its job (io_uring rings survived it).
 * - `EXEC_FAILED`: execve(2) itself failed.
 * - `PRIVILEGE_DROP_FAILED`: Linux capabilities the sandbox must drop could not be dropped, came
 *   back after the restart, or dropping them would not be enough (a foreign network namespace).
 * - `OUT_OF_MEMORY`: a native allocation failed.
 */
export type LoaderErrorCode =
  | 'SECCOMP_UNAVAILABLE'
  | 'FFI_UNAVAILABLE'
  | 'UNSUPPORTED_PLATFORM'
  | 'UNSUPPORTED_ARCH'
  | 'INVALID_FILTER'
  | 'FILTER_TOO_LARGE'
  | 'LANDLOCK_UNAVAILABLE'
  | 'API_MISUSE'
  | 'ALREADY_APPLIED'
  | 'NOT_MAIN_THREAD'
  | 'RESTART_FAILED'
  | 'EXEC_FAILED'
  | 'PRIVILEGE_DROP_FAILED'
  | 'OUT_OF_MEMORY';

/** What a loader error is made from; the same fields as core's `SyscageErrorInit`. */
export interface LoaderErrorInit {
  readonly code: LoaderErrorCode;
  /** What happened, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
  readonly cause?: unknown;
}

/** The shape of the errors the loader throws (that of core's `SyscageError`). */
export interface LoaderError extends Error {
  readonly code: LoaderErrorCode;
  readonly hint: string;
  /** The message without the hint. */
  readonly reason: string;
}

/** Makes the loader's error: `message` is the reason followed by the hint, one line. */
export function loaderError(init: LoaderErrorInit): LoaderError {
  return new SyscageError(init) as LoaderError;
}
