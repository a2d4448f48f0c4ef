/**
 * How the runtime makes its errors: every failure of the loader goes through {@link loaderError},
 * which makes core's `SyscageError` (imported from `@syscage/core/errors`, one small module, so a
 * built program does not load core's syscall tables). It does not print or exit: callers decide.
 */

import { SyscageError } from '@syscage/core/errors';

/** The codes the loader throws; a subset of core's closed `ErrorCode` set. */
export type LoaderErrorCode =
  | 'SECCOMP_UNAVAILABLE'
  | 'FFI_UNAVAILABLE'
  | 'UNSUPPORTED_PLATFORM'
  | 'UNSUPPORTED_ARCH'
  | 'INVALID_FILTER'
  | 'FILTER_TOO_LARGE'
  | 'LANDLOCK_UNAVAILABLE';

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
