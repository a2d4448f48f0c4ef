/**
 * What applying a sandbox takes (apply.ts in a first image, restarted.ts after a restart): the
 * compiled filters and the facts `status()` reports, as the compiler or the plugin prepared them,
 * and the payload a built program embeds, turned into that. Types and one conversion only.
 */

import type { LandlockPlan, UnsupportedMode, ViolationMode } from '@syscage/core';
import type { LoaderArchName } from './arch.ts';

/**
 * The capability whose filter allows a NETLINK_ROUTE socket (core's catalog/net.ts; a runtime
 * test keeps the two in step). The loader does not load the catalog, hence the copy.
 */
export const NETLINK_ROUTE_GRANT = 'net.listen';

/** Compiled filters and the facts `status()` reports. */
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

/** What the plugin embeds for one sandboxed entry. */
export interface PrecompiledSandbox {
  readonly grants: readonly string[];
  readonly onViolation: ViolationMode;
  readonly unsupported: UnsupportedMode;
  /** `compilePolicy(...).bytes` per architecture, base64. */
  readonly filters: Readonly<Partial<Record<LoaderArchName, string>>>;
  /** `compilePolicy(buildStage1Policy(), arch).bytes` per architecture, base64. */
  readonly stage1: Readonly<Partial<Record<LoaderArchName, string>>>;
  /** `planLandlock(...)` of the declaration: path and port scoping. Absent in builds before Landlock. */
  readonly landlock?: LandlockPlan;
}

const decode = (text: string | undefined): Uint8Array | undefined => (text === undefined ? undefined : new Uint8Array(Buffer.from(text, 'base64')));

/** The embedded payload as applying takes it (the filters decoded when asked for). */
export function preparePrecompiled(sandbox: PrecompiledSandbox): PreparedSandbox {
  return {
    grants: sandbox.grants,
    onViolation: sandbox.onViolation,
    unsupported: sandbox.unsupported,
    filter: (arch) => decode(sandbox.filters[arch]),
    stage1: (arch) => decode(sandbox.stage1[arch]),
    landlock: sandbox.landlock,
  };
}
