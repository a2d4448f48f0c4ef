/**
 * Applying a sandbox in the restarted image (reexec.ts): the image before the restart checked the
 * platform, dropped capabilities, disabled the compile cache (its variable is inherited) and
 * entered the Landlock domain, so every thread of this image started inside it. What is left:
 * confirm the restart did what it was for (no io_uring ring, no dropped capability back), stack
 * the layer kept open for this image, and install the final filter (finish.ts). Small on purpose:
 * a built program's gate carries this inline (gate.ts), so a restarted image reads no module of
 * the runtime before its program.
 */

import type { LandlockPlan } from '@syscage/core';
import type { LoaderArchName } from './arch.ts';
import { loaderError } from './errors.ts';
import { finishSandbox } from './finish.ts';
import { findIoUringFds } from './io-uring.ts';
import { landlockAbi, missingRights, restrictsAnything, restrictWithRuleset } from './landlock.ts';
import { NETLINK_ROUTE_GRANT, type PreparedSandbox } from './prepared.ts';
import { heldPrivileges } from './privileges.ts';
import { REEXEC_ENV, type ReexecMarker } from './reexec.ts';
import type { LandlockStatus } from './state.ts';

/**
 * Builds the restarted image's layer again where the image before kept none open for it, and says
 * whether it was entered: the full loader's (apply.ts), which looks the plan's paths up.
 */
export type RebuildLayer = (plan: LandlockPlan) => boolean;

/**
 * Finishes `prepared` in the restarted image `marker` describes. `rebuild` is absent where the
 * caller cannot look paths up (the gate's inline copy, which leaves such a restart to the loader:
 * see {@link needsRebuild}).
 */
export function applyRestarted(prepared: PreparedSandbox, arch: LoaderArchName, marker: ReexecMarker, rebuild: RebuildLayer | undefined): void {
  const rings = findIoUringFds();
  if (rings.length > 0) throw loaderError({ code: 'RESTART_FAILED', message: `io_uring descriptors ${rings.join(', ')} exist even after restarting without io_uring.`, hint: 'Report this with your Node version; start the program with `syscage exec` meanwhile.' });
  const held = heldPrivileges({ netlinkRoute: prepared.grants.includes(NETLINK_ROUTE_GRANT) });
  if (held.length > 0) throw loaderError({ code: 'PRIVILEGE_DROP_FAILED', message: `${held.join(', ')} came back after the restart.`, hint: 'Start the program without those capabilities.' });
  finishSandbox(prepared, arch, restartedLandlock(prepared.landlock, marker, rebuild), true);
}

/** Whether the restarted image must build its layer again: the plan scopes something, the domain was entered, and no layer was kept open. */
export function needsRebuild(plan: LandlockPlan | undefined, marker: ReexecMarker): boolean {
  return plan !== undefined && marker.landlockAbi > 0 && marker.nextLayer === undefined;
}

/**
 * The Landlock state of a restarted process: every thread entered the domain before the restart.
 * The main thread stacks one more layer, the plan less executing node: the ruleset the first image
 * built for it and kept open across execve (the marker names its descriptor; entering it takes no
 * path lookups), else the rules built again. Should the marker have come from the environment
 * instead of a restart, the main thread and every thread it starts from now on are still inside a
 * domain, and a descriptor that is not a ruleset refuses. A marker without the domain the plan
 * needs refuses.
 */
function restartedLandlock(plan: LandlockPlan | undefined, marker: ReexecMarker, rebuild: RebuildLayer | undefined): LandlockStatus | undefined {
  if (plan === undefined) return undefined;
  const abi = landlockAbi();
  const widened = missingRights(plan, abi).map((w) => w.right); // warned about before the restart
  if (!restrictsAnything(plan, abi)) return { abi, applied: false, widened };
  if (marker.landlockAbi === 0) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: 'The process was marked as restarted inside the Landlock domain, but it was not.', hint: `Remove ${REEXEC_ENV} from the environment that starts the program.` });
  if (marker.nextLayer !== undefined) {
    const errno = marker.nextLayer < 3 ? 9 /* EBADF */ : restrictWithRuleset(marker.nextLayer);
    if (errno !== 0) throw loaderError({ code: 'LANDLOCK_UNAVAILABLE', message: `The process was marked as restarted with a Landlock layer on descriptor ${marker.nextLayer}, which is not one (errno ${errno}).`, hint: `Remove ${REEXEC_ENV} from the environment that starts the program.` });
    return { abi, applied: true, widened };
  }
  if (rebuild === undefined) throw loaderError({ code: 'RESTART_FAILED', message: 'The restarted image has no Landlock layer to enter and cannot build one here.', hint: 'Report this; it is a bug in syscage.' });
  return { abi, applied: rebuild(plan), widened };
}
