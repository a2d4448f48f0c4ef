/**
 * Node's module compile cache inside the sandbox. Node ≥ 22 writes compiled code under a cache
 * directory when the program calls `module.enableCompileCache()` (TypeScript's tsc and eslint
 * do) or when `NODE_COMPILE_CACHE` is set at start-up; by default the directory is
 * `<tmpdir>/node-compile-cache`. A read-only declaration cannot write there, and the write at exit
 * would kill the program. So unless the declaration lets the program write the cache directory,
 * the sandbox disables the cache: `NODE_DISABLE_COMPILE_CACHE=1` in the environment, which
 * `enableCompileCache()` consults on every call (Node ≥ 22.8; it answers "disabled" instead of
 * writing) and Node at start-up, and which children inherit. A cache Node already enabled at
 * start-up cannot be switched off: the process then restarts once with the variable set. Only
 * speed is lost: the cache is an optimisation.
 */

import type { LandlockPlan } from '@syscage/core';

/** The variable Node reads; set to `1` it disables the compile cache. */
export const DISABLE_ENV = 'NODE_DISABLE_COMPILE_CACHE';

/** What {@link disableCompileCache} decided. */
export interface CompileCacheDecision {
  /** Whether the cache stays usable (the declaration may write its directory). */
  readonly writable: boolean;
  /** Whether Node enabled the cache at start-up, so disabling it takes a restart. */
  readonly needsRestart: boolean;
}

/**
 * Disables Node's compile cache for this process and its children unless `grants`/`plan` let the
 * program write the cache directory (`fs.write: true`, or a write path holding the directory).
 */
export function disableCompileCache(grants: readonly string[], plan: LandlockPlan | undefined): CompileCacheDecision {
  const { resolve, sep, join } = process.getBuiltinModule('node:path');
  if (grants.includes('fs.write')) {
    const writePaths = plan?.handledFs.includes('write_file') ? plan.paths.filter((rule) => rule.access.includes('write_file')).map((rule) => resolve(rule.path)) : undefined;
    const dir = resolve(process.env['NODE_COMPILE_CACHE'] || join(process.getBuiltinModule('node:os').tmpdir(), 'node-compile-cache'));
    if (writePaths === undefined || writePaths.some((path) => dir === path || dir.startsWith(path.endsWith(sep) ? path : `${path}${sep}`))) return { writable: true, needsRestart: false };
  }
  process.env[DISABLE_ENV] = '1';
  const module = process.getBuiltinModule('node:module') as { getCompileCacheDir?: () => string | undefined };
  return { writable: false, needsRestart: module.getCompileCacheDir?.() !== undefined };
}
