/**
 * The shape of the manifest the plugin writes beside each sandboxed output
 * (`<output>.syscage.json`), shared by its writer (`@syscage/plugin`) and its readers (the CLI's
 * `inspect` and `trace --write`). Types only: building, formatting and writing it is the plugin's.
 */

import type { ArchName } from './arch/index.ts';
import type { UnsupportedMode, ViolationMode } from './dsl/capabilities.ts';
import type { LandlockPlan } from './landlock/plan.ts';

/** The manifest's JSON shape. */
export interface Manifest {
  readonly $schema: 'syscage-manifest/2';
  readonly generatedBy: '@syscage/plugin';
  /** The output file, relative to the manifest. */
  readonly output: string;
  /** The gate beside the output that its first statement loads (applies the sandbox), relative to the manifest. */
  readonly gate?: string;
  /**
   * Where the program lives when the output is its launcher (applies the sandbox, then starts the
   * program; the plugin's gate.ts), relative to the manifest. Absent: the output is the program.
   */
  readonly program?: string;
  readonly entry: string;
  readonly source: { readonly form: 'call' | 'decorator' | 'options'; readonly line: number; readonly column: number };
  readonly declaration: unknown;
  readonly grants: readonly string[];
  readonly onViolation: ViolationMode;
  readonly unsupported: UnsupportedMode;
  /** What Landlock enforces: handled rights, path and port rules (each saying which capability grants it), required rights, mode. */
  readonly landlock: LandlockPlan;
  readonly arches: Readonly<Partial<Record<ArchName, ArchManifest>>>;
}

/** One architecture's part of a {@link Manifest}. */
export interface ArchManifest {
  readonly filterSha256: string;
  readonly stage1Sha256: string;
  readonly instructions: number;
  /** Syscall → `allow`, an errno answer, or the conditions under which it is allowed (any one suffices). */
  readonly syscalls: Readonly<Record<string, string | readonly string[]>>;
  readonly defaultAction: string;
}
