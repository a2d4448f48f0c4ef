/**
 * Applies a prepared sandbox to this process: runs the checks (checks.ts), decides whether the
 * process must restart (io_uring rings, dropped capabilities, the compile cache, Landlock below
 * ABI 8), enters Landlock (enter-landlock.ts), and installs the filter with TSYNC and records the
 * result (finish.ts); a restarted image is finished by restarted.ts. It takes compiled filters and
 * never compiles, so a built program's loader uses this module without the compiler. Failures
 * throw; the entry points hand them to failClosed (fail-closed.ts).
 */

import type { LandlockPlan, ViolationMode } from '@syscage/core';
import { bindSelfPid } from '@syscage/core/self-pid';
import { checkApplicable, checkNotApplied } from './checks.ts';
import { disableCompileCache } from './compile-cache.ts';
import { enterLandlock, withoutRestartRights } from './enter-landlock.ts';
import { loaderError } from './errors.ts';
import { finishSandbox } from './finish.ts';
import { findIoUringFds } from './io-uring.ts';
import { restrictLandlock } from './landlock.ts';
import { ownPlaceholders } from './placeholders.ts';
import { NETLINK_ROUTE_GRANT, type PreparedSandbox } from './prepared.ts';
import { dropPrivileges } from './privileges.ts';
import { takeReexecMarker } from './reexec.ts';
import { applyRestarted } from './restarted.ts';
import { installFilter } from './seccomp.ts';
import { box } from './state.ts';

/** Options of {@link applySandbox}. */
export interface ApplyOptions {
  /** The main module a restart runs instead of `process.argv[1]` (see reexec.ts). */
  readonly restartInto?: string | undefined;
}

/**
 * Applies `prepared`. The first call may re-execute the process (and not return): on Node ≥ 22 to
 * start without io_uring rings, and below Landlock ABI 8 to bring every thread into the domain
 * when Landlock enforces something seccomp does not. The restarted image finishes in restarted.ts.
 */
export function applySandbox(prepared: PreparedSandbox, options: ApplyOptions = {}): void {
  checkNotApplied();
  const arch = checkApplicable(prepared.unsupported);
  if (arch === undefined) return;
  const marker = takeReexecMarker();
  if (marker !== undefined) {
    applyRestarted(prepared, arch, marker, rebuildLayer);
    return;
  }
  const rings = findIoUringFds();
  const stage1 = rings.length > 0 ? prepared.stage1(arch) : undefined;
  if (rings.length > 0 && stage1 === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no first-stage filter for ${arch}.`, hint: 'Rebuild the program with the current plugin.' });
  // Capabilities leave the calling thread only: a drop restarts the process so that every thread
  // starts without them (privileges.ts).
  const privileges = dropPrivileges({ netlinkRoute: prepared.grants.includes(NETLINK_ROUTE_GRANT) });
  // Node's compile cache would write at exit where the declaration cannot (compile-cache.ts).
  const compileCache = disableCompileCache(prepared.grants, prepared.landlock);
  const restart = rings.length > 0 || privileges.dropped.length > 0 || compileCache.needsRestart;
  const landlock = enterLandlock(prepared.landlock, stage1, restart, options.restartInto);
  finishSandbox(prepared, arch, landlock, false);
}

/**
 * The restarted image's layer built again (the image before kept none open): the plan less
 * executing node, its paths looked up here. Only the full loader carries this (the gate's inline
 * copy leaves such a restart to it).
 */
function rebuildLayer(plan: LandlockPlan): boolean {
  return restrictLandlock(withoutRestartRights(plan), { allThreads: false, quiet: true, placeholders: ownPlaceholders }).applied;
}

/** Stacks one more (stricter) filter on an applied sandbox. */
export function applyNarrower(filter: Uint8Array, grants: readonly string[], onViolation: ViolationMode): void {
  const state = box().current;
  if (state === undefined) throw loaderError({ code: 'API_MISUSE', message: 'narrow() was called before sandbox().', hint: 'Call sandbox() first; narrow() only takes away.' });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch: state.arch });
  box().current = { ...state, grants: [...grants], onViolation: onViolation === 'kill' ? 'kill' : state.onViolation, layers: state.layers + 1 };
}
