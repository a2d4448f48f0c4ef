/**
 * The Landlock half of applying a sandbox in a first image: enters the domain (every thread at
 * once where the kernel can, else this thread and a restart) and builds the layer the restarted
 * image stacks to take back what only the restart needed (restarted.ts enters it). The
 * placeholders' values are gathered only when rules are added (placeholders.ts). The seccomp half
 * and the decision to restart are apply.ts's.
 */

import type { LandlockPlan } from '@syscage/core';
import type { LandlockPlaceholders } from '@syscage/core/landlock-placeholders';
import { TSYNC_ABI } from '@syscage/core/landlock-rights';
import { landlockAbi, prepareRuleset, restrictsAnything, restrictLandlock } from './landlock.ts';
import { ownPlaceholders } from './placeholders.ts';
import { reexecSelf } from './reexec.ts';
import type { LandlockStatus } from './state.ts';

/**
 * Enters the Landlock domain before anything else: with TSYNC where the kernel has it, otherwise
 * on this thread followed by a restart (which also drops io_uring rings). `restart`: the process
 * restarts anyway (rings, or dropped capabilities); `stage1` is given when rings exist. Without a
 * restart to make, nothing restarts where the kernel restricts every thread at once (ABI ≥ 8) or
 * has no Landlock.
 */
export function enterLandlock(plan: LandlockPlan | undefined, stage1: Uint8Array | undefined, restart: boolean, main: string | undefined): LandlockStatus | undefined {
  if (plan === undefined) {
    if (restart) reexecSelf({ stage1, landlockAbi: 0, main });
    return undefined;
  }
  const abi = landlockAbi();
  const allThreads = abi >= TSYNC_ABI;
  // Gathered once (≈ 1.5 ms), for the domain and for the layer kept for the restarted image.
  let values: LandlockPlaceholders | undefined;
  const placeholders = (): LandlockPlaceholders => (values ??= ownPlaceholders());
  // Every declaration enters the domain, also one whose paths and ports only repeat what seccomp
  // stops: the domain is what scopes ptrace (other processes' /proc/<pid>/mem), abstract unix
  // sockets and signals. Below ABI 8 that takes a restart, a second start-up.
  // Executing node is kept only for a restart (below ABI 8 there always is one once in the domain).
  const result = restrictLandlock(restart || !allThreads ? plan : withoutRestartRights(plan), { allThreads, placeholders });
  const status = { abi, applied: result.applied, widened: result.widened.map((w) => w.right) };
  if (restart || (result.applied && !allThreads)) {
    // The layer the restarted image stacks is built here and kept open across execve: entering
    // it there takes no path lookups.
    const layer = result.applied ? executeLayer(plan, abi) : undefined;
    reexecSelf({ stage1, landlockAbi: result.applied ? abi : 0, nextLayer: layer && prepareRuleset(layer, { placeholders }), main });
  }
  return status;
}

/**
 * The layer a restarted image stacks on the first: it handles only executing files and grants it
 * where `plan` does, less node and its interpreter (what only the restart needed). Stacked, it
 * takes exactly what {@link withoutRestartRights} takes away, with a rule per executable path
 * instead of one per path of the plan. Undefined when the plan does not handle executing.
 */
function executeLayer(plan: LandlockPlan, abi: number): LandlockPlan | undefined {
  if (!plan.handledFs.includes('execute')) return undefined;
  const paths = withoutRestartRights(plan).paths.filter((rule) => rule.access.includes('execute')).map((rule) => ({ ...rule, access: ['execute' as const] }));
  const layer: LandlockPlan = { ...plan, handledFs: ['execute'], handledNet: [], scoped: [], paths, ports: [], required: [] };
  return restrictsAnything(layer, abi) ? layer : undefined;
}

/**
 * `plan` less what only the restart needed: executing the Node binary (and, without spawn, its ELF
 * interpreter). Stacked on the first domain after the restart, this layer keeps a spawn list from
 * also running node, since the first layer had to allow it for the restart itself.
 */
export function withoutRestartRights(plan: LandlockPlan): LandlockPlan {
  const onlyForRestart = (rule: LandlockPlan['paths'][number]): boolean => rule.from === 'runtime' && (rule.path === '{node}' || rule.path === '{interpreter}');
  return { ...plan, paths: plan.paths.map((rule) => (onlyForRestart(rule) ? { ...rule, access: rule.access.filter((right) => right !== 'execute') } : rule)) };
}
