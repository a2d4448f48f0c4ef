/**
 * The virtual loader module: the code every sandboxed entry imports first, how the entry spells
 * that import, and how a bundler's id for it is recognised. The code only calls
 * `applyPrecompiled()` from `@syscage/runtime/loader` with literal data: no top-level await (so ESM
 * evaluation order puts it before every other module's top-level code) and no compiler.
 */

import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { PrecompiledPayload } from './compile.ts';

/** The specifier the transform writes into an entry: `@syscage/virtual-loader/<key>` (no URL scheme: webpack refuses unknown schemes before plugins can resolve them). */
export const LOADER_SPECIFIER_PREFIX = '@syscage/virtual-loader/';
const LOADER_IMPORT = /^(import ["']@syscage\/virtual-loader\/[0-9a-f]{16}["']|require\(["']@syscage\/virtual-loader\/[0-9a-f]{16}["']\));$/m;
const LOADER_FILE = /__syscage_loader_([0-9a-f]{16})\.js$/;

/** A loader module: its key (a hash of its code) and its code. */
export interface LoaderModule {
  readonly key: string;
  readonly code: string;
  /** The import statement an ES module entry gets, without a newline. */
  readonly importStatement: string;
  /** The statement a CommonJS entry gets instead, without a newline. */
  readonly requireStatement: string;
}

/**
 * The loader module for `payload`.
 * @example
 * createLoaderModule(payload).code; // "import { applyPrecompiled } from '@syscage/runtime/loader';\napplyPrecompiled({...});\n"
 */
export function createLoaderModule(payload: PrecompiledPayload): LoaderModule {
  const code = `import { applyPrecompiled } from '@syscage/runtime/loader';\napplyPrecompiled(${JSON.stringify(payload)});\n`;
  const key = createHash('sha256').update(code).digest('hex').slice(0, 16);
  return { key, code, importStatement: `import '${LOADER_SPECIFIER_PREFIX}${key}';`, requireStatement: `require('${LOADER_SPECIFIER_PREFIX}${key}');` };
}

/** True when `code` already imports or requires a loader (the transform ran on it). */
export function hasLoaderImport(code: string): boolean {
  return LOADER_IMPORT.test(code);
}

/**
 * The id a bundler should use for the loader specifier `specifier` imported by `importer`: a file
 * name beside the importer, so bare imports inside the loader resolve from the program's own
 * `node_modules`. Undefined when `specifier` is not a loader specifier.
 */
export function resolveLoaderId(specifier: string, importer: string | undefined, root: string): string | undefined {
  if (!specifier.startsWith(LOADER_SPECIFIER_PREFIX)) return undefined;
  const key = specifier.slice(LOADER_SPECIFIER_PREFIX.length);
  return join(importer ? dirname(importer) : root, `__syscage_loader_${key}.js`);
}

/** The key of a loader id from {@link resolveLoaderId}, or undefined. */
export function loaderKeyOf(id: string): string | undefined {
  return LOADER_FILE.exec(id)?.[1];
}

/** A pattern matching loader ids, for hook filters. */
export const LOADER_ID_FILTER: RegExp = LOADER_FILE;
