/**
 * Types of `coverage.mjs` for the TypeScript test (plain JavaScript so that node runs it directly).
 */

export interface VersionCoverage {
  readonly major: number;
  /** Exported functions in the listed modules. */
  readonly exported: number;
  readonly covered: string[];
  readonly excluded: string[];
  /** Neither covered nor excluded: each needs a case or a reasoned exclusion. */
  readonly missing: string[];
  /** Both covered and excluded: the exclusion is stale. */
  readonly coveredAndExcluded: string[];
}

export declare function listExportsOf(nodePath: string): string[];
export declare function coverersOn(major: number): Map<string, string[]>;
export declare function computeCoverage(major: number, exported: readonly string[]): VersionCoverage;
export declare function unknownNames(exportsPerVersion: Iterable<readonly string[]>): string[];
export declare function formatCoverage(versions: readonly VersionCoverage[]): string;
