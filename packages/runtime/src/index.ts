/**
 * `@syscage/runtime`: applies a syscage sandbox to the running Node process. `sandbox()` (call
 * or class-decorator form), `narrow()` and `status()` are the public API; the loader underneath
 * (`installFilter`, the /proc readers) is exported for the plugin, the CLI and tests.
 */
export { narrow, sandbox, status } from './sandbox.ts';
export type { SandboxDecorator } from './sandbox.ts';
export type { PreparedSandbox } from './prepared.ts';
export type { LandlockStatus, SandboxStatus } from './state.ts';
export { checkLandlockSupport, landlockAbi, restrictLandlock } from './landlock.ts';
export type { LandlockPlaceholders, LandlockResult, RestrictOptions } from './landlock.ts';
export { execveProcess } from './execve.ts';
export type { PrecompiledSandbox } from './loader.ts';
export { missingCapability, softDenialHint, violationHint } from './violation.ts';
export { dropPrivileges } from './privileges.ts';
export { disableCompileCache } from './compile-cache.ts';
export type { CompileCacheDecision } from './compile-cache.ts';
export type { PrivilegeDrop } from './privileges.ts';
export { installFilter, installFilterOrExit } from './seccomp.ts';
export type { InstallOptions, InstallResult } from './seccomp.ts';
export { readSeccompStatus, readThreadStatuses } from './proc-status.ts';
export type { SeccompStatus, ThreadSeccompStatus } from './proc-status.ts';
export type { LoaderArchName } from './arch.ts';
export { readInterpreter } from './elf.ts';
export type { FfiInfo } from './ffi.ts';
export type { LoaderError, LoaderErrorCode } from './errors.ts';
