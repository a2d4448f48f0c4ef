/**
 * The entry a built program's gate calls: `applyPrecompiled()` takes the filters the
 * plugin compiled at build time (base64, per architecture) and applies them exactly as `sandbox()`
 * would, without loading the compiler. Exported as `@syscage/runtime/loader`.
 */

import type { LandlockPlan } from '@syscage/core';
import { applySandbox, failClosed } from './apply.ts';
import type { LoaderArchName } from './arch.ts';

/** What the plugin embeds for one sandboxed entry. */
export interface PrecompiledSandbox {
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno';
  readonly unsupported: 'error' | 'warn';
  /** `compilePolicy(...).bytes` per architecture, base64. */
  readonly filters: Readonly<Partial<Record<LoaderArchName, string>>>;
  /** `compilePolicy(buildStage1Policy(), arch).bytes` per architecture, base64. */
  readonly stage1: Readonly<Partial<Record<LoaderArchName, string>>>;
  /** `planLandlock(...)` of the declaration: path and port scoping. Absent in builds before Landlock. */
  readonly landlock?: LandlockPlan;
}

const decode = (text: string | undefined): Uint8Array | undefined => (text === undefined ? undefined : new Uint8Array(Buffer.from(text, 'base64')));

/**
 * Applies a precompiled sandbox; on any failure prints one line and exits 1.
 * @example
 * import { applyPrecompiled } from '@syscage/runtime/loader';
 * applyPrecompiled({ grants: ['fs.read'], onViolation: 'kill', unsupported: 'error', filters: { x86_64: '...' }, stage1: { x86_64: '...' } });
 */
export function applyPrecompiled(sandbox: PrecompiledSandbox): void {
  try {
    applySandbox({
      grants: sandbox.grants,
      onViolation: sandbox.onViolation,
      unsupported: sandbox.unsupported,
      filter: (arch) => decode(sandbox.filters[arch]),
      stage1: (arch) => decode(sandbox.stage1[arch]),
      landlock: sandbox.landlock,
    });
  } catch (error) {
    failClosed(error);
  }
}
