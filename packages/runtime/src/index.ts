/**
 * `@syscage/runtime`: applies a syscage sandbox to the running Node process. So far this is the
 * lowest layer, the loader that installs precompiled seccomp filter bytes (fail-closed) and reads
 * the seccomp state back; `sandbox()`, `narrow()` and `status()` build on it (issue #3).
 */
export { installFilter, installFilterOrExit } from './seccomp.ts';
export type { InstallOptions, InstallResult } from './seccomp.ts';
export { readSeccompStatus, readThreadStatuses } from './proc-status.ts';
export type { SeccompStatus, ThreadSeccompStatus } from './proc-status.ts';
export type { LoaderArchName } from './arch.ts';
export type { FfiInfo } from './ffi.ts';
export type { LoaderError, LoaderErrorCode } from './errors.ts';
