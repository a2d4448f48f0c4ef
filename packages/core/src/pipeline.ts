/**
 * The whole pipeline in one call: a declaration → its resolved capabilities → the seccomp policy →
 * per architecture the filter and the first-stage filter, beside the Landlock plan. Everything that
 * goes from a declaration to what the kernel is given (the plugin at build time, the runtime when a
 * program runs unbuilt, the CLI's `compile`, `inspect` and `trace`, the demo) goes through here, so
 * the stages are put together once and the callers cannot drift apart.
 *
 * Only the resolution runs at once, so a bad declaration fails where it is prepared, located at
 * `where`. The policy, the plan and each architecture's filters are built on first use and
 * remembered: a caller pays for what it reads. It applies nothing, caches nothing across
 * declarations, and does not know `syscage exec`'s policy for commands that are not Node programs.
 */

import type { ArchName } from './arch/types.ts';
import { compilePolicy, type CompiledFilter } from './bpf/compile.ts';
import type { NodeMajor } from './catalog/baseline.ts';
import { buildPolicy, buildStage1Policy } from './catalog/build-policy.ts';
import { resolveCapabilities, type DeclarationPlace, type ResolvedCapabilities } from './catalog/resolve.ts';
import { planLandlock, type LandlockPlan } from './landlock/plan.ts';
import type { Policy } from './policy/types.ts';

/** Options of {@link prepareDeclaration}. */
export interface PrepareOptions {
  /** The Node major the program runs on; without it, the union baseline of every supported one (what a build, which cannot know, uses). */
  readonly node?: NodeMajor | undefined;
  /** Where the declaration stands, for messages (as {@link resolveCapabilities} takes it). */
  readonly where?: DeclarationPlace | undefined;
}

/** A declaration on its way to the kernel. Its parts are built on first use and remembered; the methods may be called detached. */
export interface PreparedDeclaration {
  /** The validated declaration: `resolveCapabilities(declaration, where)`. */
  readonly resolved: ResolvedCapabilities;
  /** `buildPolicy(resolved, { node })`. */
  readonly policy: Policy;
  /** What Landlock enforces: `planLandlock(resolved)`. */
  readonly landlock: LandlockPlan;
  /**
   * The filter for `arch`: `compilePolicy(policy, arch)`.
   * @throws {SyscageError} `UNSUPPORTED_ARCH`, or `FILTER_TOO_LARGE`.
   */
  filter(arch: ArchName): CompiledFilter;
  /** The first-stage filter for `arch` (io_uring answered ENOSYS before a restart): `compilePolicy(buildStage1Policy(), arch)`. */
  stage1(arch: ArchName): CompiledFilter;
}

/**
 * Resolves `declaration` and readies the rest of the pipeline for it.
 * @throws {SyscageError} `UNKNOWN_CAPABILITY` / `INVALID_CAPABILITY`, located at `where` when it is given.
 * @example
 * const prepared = prepareDeclaration({ fs: { read: ['./data'] } }, { node: 22 });
 * prepared.filter('x86_64').bytes; // what seccomp(2) is given
 * prepared.landlock.paths;         // what Landlock allows
 */
export function prepareDeclaration(declaration: unknown, options: PrepareOptions = {}): PreparedDeclaration {
  const resolved = resolveCapabilities(declaration, options.where);
  const { node } = options;
  let policy: Policy | undefined;
  let landlock: LandlockPlan | undefined;
  const getPolicy = (): Policy => (policy ??= buildPolicy(resolved, node === undefined ? {} : { node }));
  const filters = new Map<ArchName, CompiledFilter>();
  const stage1 = new Map<ArchName, CompiledFilter>();
  const remember = (cache: Map<ArchName, CompiledFilter>, arch: ArchName, compile: () => CompiledFilter): CompiledFilter => {
    const known = cache.get(arch);
    if (known) return known;
    const compiled = compile();
    cache.set(arch, compiled);
    return compiled;
  };
  return {
    resolved,
    get policy() {
      return getPolicy();
    },
    get landlock() {
      return (landlock ??= planLandlock(resolved));
    },
    filter(arch) {
      return remember(filters, arch, () => compilePolicy(getPolicy(), arch));
    },
    stage1(arch) {
      return remember(stage1, arch, () => compilePolicy(buildStage1Policy(), arch));
    },
  };
}
