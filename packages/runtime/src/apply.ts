/**
 * Applies a prepared sandbox to this process: runs the checks (checks.ts), decides whether the
 * process must restart (io_uring rings, dropped capabilities, the compile cache, Landlock below
 * ABI 8), enters Landlock (enter-landlock.ts), binds the self-pid and installs the filter with
 * TSYNC, and records the result (state.ts). It takes compiled filters and never compiles, so a
 * built program's loader uses this module without the compiler. Failures throw; the entry points
 * hand them to failClosed (fail-closed.ts).
 */

import type { LandlockPlan, UnsupportedMode, ViolationMode } from '@syscage/core';
import { bindSelfPid } from '@syscage/core/self-pid';
import type { LoaderArchName } from './arch.ts';
import { checkApplicable, checkNotApplied } from './checks.ts';
import { disableCompileCache } from './compile-cache.ts';
import { enterLandlock, restartedLandlock } from './enter-landlock.ts';
import { loaderError } from './errors.ts';
import { findIoUringFds } from './io-uring.ts';
import { dropPrivileges } from './privileges.ts';
import { takeReexecMarker } from './reexec.ts';
import { installFilter } from './seccomp.ts';
import { box } from './state.ts';
import { softDenialHint, violationHint } from './violation.ts';

/**
 * The capability whose filter allows a NETLINK_ROUTE socket (core's catalog/net.ts; a runtime
 * test keeps the two in step). The loader does not load the catalog, hence the copy.
 */
export const NETLINK_ROUTE_GRANT = 'net.listen';

/** Compiled filters and the facts `status()` reports, as the compiler or the plugin prepared them. */
export interface PreparedSandbox {
  /** Granted capability names. */
  readonly grants: readonly string[];
  readonly onViolation: ViolationMode;
  readonly unsupported: UnsupportedMode;
  /**
   * The filter for an architecture, with the self-pid placeholder unbound (undefined: none). A
   * function, so an unbuilt program compiles only what it installs: nothing of the final filter
   * before a re-execution.
   */
  readonly filter: (arch: LoaderArchName) => Uint8Array | undefined;
  /** The first-stage filter (io_uring → ENOSYS) for an architecture, for the re-execution. */
  readonly stage1: (arch: LoaderArchName) => Uint8Array | undefined;
  /** Path and port scoping (core's `planLandlock`); absent: none. */
  readonly landlock?: LandlockPlan | undefined;
}

/** Options of {@link applySandbox}. */
export interface ApplyOptions {
  /** The main module a restart runs instead of `process.argv[1]` (see reexec.ts). */
  readonly restartInto?: string | undefined;
}

/**
 * Applies `prepared`. The first call may re-execute the process (and not return): on Node ≥ 22 to
 * start without io_uring rings, and below Landlock ABI 8 to bring every thread into the domain
 * when Landlock enforces something seccomp does not.
 */
export function applySandbox(prepared: PreparedSandbox, options: ApplyOptions = {}): void {
  checkNotApplied();
  const arch = checkApplicable(prepared.unsupported);
  if (arch === undefined) return;
  const marker = takeReexecMarker();
  const rings = findIoUringFds();
  if (marker !== undefined && rings.length > 0) throw loaderError({ code: 'RESTART_FAILED', message: `io_uring descriptors ${rings.join(', ')} exist even after restarting without io_uring.`, hint: 'Report this with your Node version; start the program with `syscage exec` meanwhile.' });
  const stage1 = marker === undefined && rings.length > 0 ? prepared.stage1(arch) : undefined;
  if (marker === undefined && rings.length > 0 && stage1 === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no first-stage filter for ${arch}.`, hint: 'Rebuild the program with the current plugin.' });
  // Capabilities leave the calling thread only: a drop restarts the process so that every thread
  // starts without them (privileges.ts). A restarted process has nothing left to drop.
  const privileges = dropPrivileges({ netlinkRoute: prepared.grants.includes(NETLINK_ROUTE_GRANT) });
  if (marker !== undefined && privileges.dropped.length > 0) throw loaderError({ code: 'PRIVILEGE_DROP_FAILED', message: `${privileges.dropped.join(', ')} came back after the restart.`, hint: 'Start the program without those capabilities.' });
  // Node's compile cache would write at exit where the declaration cannot (compile-cache.ts).
  const compileCache = disableCompileCache(prepared.grants, prepared.landlock);
  const restart = rings.length > 0 || privileges.dropped.length > 0 || (marker === undefined && compileCache.needsRestart);
  const landlock = marker === undefined ? enterLandlock(prepared.landlock, stage1, restart, options.restartInto) : restartedLandlock(prepared.landlock, marker);
  const filter = prepared.filter(arch);
  if (filter === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no filter for ${arch}.`, hint: `Rebuild with ${arch} among the plugin's arches.` });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch });
  // An EPERM is the sandbox's only in errno mode; the EACCES of a soft denial in either mode.
  const errno = prepared.onViolation === 'errno';
  process.on('uncaughtExceptionMonitor', (error) => {
    const hint = (errno ? violationHint(error) : undefined) ?? softDenialHint(error);
    if (hint) process.stderr.write(`${hint}\n`);
  });
  box().current = { grants: [...prepared.grants], onViolation: prepared.onViolation, arch, reexecuted: marker !== undefined, landlock, layers: 1 };
}

/** Stacks one more (stricter) filter on an applied sandbox. */
export function applyNarrower(filter: Uint8Array, grants: readonly string[], onViolation: ViolationMode): void {
  const state = box().current;
  if (state === undefined) throw loaderError({ code: 'API_MISUSE', message: 'narrow() was called before sandbox().', hint: 'Call sandbox() first; narrow() only takes away.' });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch: state.arch });
  box().current = { ...state, grants: [...grants], onViolation: onViolation === 'kill' ? 'kill' : state.onViolation, layers: state.layers + 1 };
}
