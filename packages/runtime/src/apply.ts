/**
 * Applies a prepared sandbox to this process: the checks that it can be applied (Linux, a known
 * architecture, the main thread, not yet sandboxed), the io_uring re-execution where needed, the
 * self-pid binding, and the install with TSYNC. It takes compiled filters and never compiles, so a
 * built program's loader uses this module without the compiler. Failures throw; `sandbox()`
 * turns them into one line and an exit.
 */

import { bindSelfPid } from '@syscage/core/self-pid';
import { findLoaderArch, type LoaderArchName } from './arch.ts';
import { loaderError } from './errors.ts';
import { findIoUringFds } from './io-uring.ts';
import { readSeccompStatus } from './proc-status.ts';
import { reexecWithoutIoUring, takeReexecMarker } from './reexec.ts';
import { installFilter } from './seccomp.ts';
import { violationHint } from './violation.ts';

/** Compiled filters and the facts `status()` reports, as the compiler or the plugin prepared them. */
export interface PreparedSandbox {
  /** Granted capability names. */
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno';
  readonly unsupported: 'error' | 'warn';
  /**
   * The filter for an architecture, with the self-pid placeholder unbound (undefined: none). A
   * function, so an unbuilt program compiles only what it installs: nothing of the final filter
   * before a re-execution.
   */
  readonly filter: (arch: LoaderArchName) => Uint8Array | undefined;
  /** The first-stage filter (io_uring → ENOSYS) for an architecture, for the re-execution. */
  readonly stage1: (arch: LoaderArchName) => Uint8Array | undefined;
}

/** What `status()` reports. */
export interface SandboxStatus {
  readonly applied: boolean;
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno' | undefined;
  readonly arch: LoaderArchName | undefined;
  /** The Node major the process runs. */
  readonly node: number;
  /** Whether the process was re-executed to start without io_uring rings. */
  readonly reexecuted: boolean;
  /** Filters syscage installed in this process (sandbox, then each narrow). */
  readonly layers: number;
  /** `Seccomp_filters` from /proc: every filter on this thread, inherited ones included. */
  readonly kernelFilters: number | undefined;
}

interface State {
  grants: readonly string[];
  onViolation: 'kill' | 'errno';
  arch: LoaderArchName;
  reexecuted: boolean;
  layers: number;
}

let state: State | undefined;

/** The sandbox state of this process. */
export function readStatus(): SandboxStatus {
  return {
    applied: state !== undefined,
    grants: state?.grants ?? [],
    onViolation: state?.onViolation,
    arch: state?.arch,
    node: Number(process.versions.node.split('.')[0]),
    reexecuted: state?.reexecuted ?? false,
    layers: state?.layers ?? 0,
    kernelFilters: readSeccompStatus()?.filters,
  };
}

/** The running architecture, or why the sandbox cannot apply (undefined: warned, run unsandboxed). */
function checkApplicable(unsupported: 'error' | 'warn'): LoaderArchName | undefined {
  const refuse = (code: 'UNSUPPORTED_PLATFORM' | 'UNSUPPORTED_ARCH', message: string, hint: string): undefined => {
    if (unsupported === 'error') throw loaderError({ code, message, hint });
    process.emitWarning(`${message} Running WITHOUT a sandbox (unsupported: 'warn').`, { code: 'SYSCAGE_UNSANDBOXED' });
    return undefined;
  };
  if (process.platform !== 'linux') return refuse('UNSUPPORTED_PLATFORM', `The sandbox needs Linux (seccomp); this is ${process.platform}.`, "Run on Linux, or declare unsupported: 'warn' to run unsandboxed during development.");
  const arch = findLoaderArch();
  if (arch === undefined) return refuse('UNSUPPORTED_ARCH', `syscage has no filter for ${process.arch}.`, "Run on x64 or arm64, or declare unsupported: 'warn'.");
  const { isMainThread } = process.getBuiltinModule('node:worker_threads');
  if (!isMainThread) throw loaderError({ code: 'INVALID_FILTER', message: 'sandbox() was called in a worker thread.', hint: 'Call it first thing in the main program; workers inherit it.' });
  return arch.name;
}

/** Applies `prepared`; on Node ≥ 22 the first call may re-execute the process (and not return). */
export function applySandbox(prepared: PreparedSandbox): void {
  if (state !== undefined) throw loaderError({ code: 'INVALID_FILTER', message: 'sandbox() was already applied in this process.', hint: 'Call narrow() to take capabilities away later.' });
  const arch = checkApplicable(prepared.unsupported);
  if (arch === undefined) return;
  const reexecuted = takeReexecMarker();
  const rings = findIoUringFds();
  if (rings.length > 0) {
    if (reexecuted) throw loaderError({ code: 'SECCOMP_UNAVAILABLE', message: `io_uring descriptors ${rings.join(', ')} exist even after restarting without io_uring.`, hint: 'Report this with your Node version; start the program with `syscage exec` meanwhile.' });
    const stage1 = prepared.stage1(arch);
    if (stage1 === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no first-stage filter for ${arch}.`, hint: 'Rebuild the program with the current plugin.' });
    reexecWithoutIoUring(stage1);
  }
  const filter = prepared.filter(arch);
  if (filter === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no filter for ${arch}.`, hint: `Rebuild with ${arch} among the plugin's arches.` });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch });
  if (prepared.onViolation === 'errno') {
    process.on('uncaughtExceptionMonitor', (error) => {
      const hint = violationHint(error);
      if (hint) process.stderr.write(`${hint}\n`);
    });
  }
  state = { grants: [...prepared.grants], onViolation: prepared.onViolation, arch, reexecuted, layers: 1 };
}

/** Stacks one more (stricter) filter on an applied sandbox. */
export function applyNarrower(filter: Uint8Array, grants: readonly string[], onViolation: 'kill' | 'errno'): void {
  if (state === undefined) throw loaderError({ code: 'INVALID_FILTER', message: 'narrow() was called before sandbox().', hint: 'Call sandbox() first; narrow() only takes away.' });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch: state.arch });
  state = { ...state, grants: [...grants], onViolation: onViolation === 'kill' ? 'kill' : state.onViolation, layers: state.layers + 1 };
}

/** The granted capabilities of the applied sandbox, if any. */
export function appliedGrants(): readonly string[] | undefined {
  return state?.grants;
}

/** Prints `syscage: <message>` and exits 1: the fail-closed end of every entry point. */
export function failClosed(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`syscage: ${message}\n`);
  process.exit(1);
}
