/**
 * Which modules are entries of the build, read from each bundler's own configuration (unplugin's
 * hooks do not say, except `isEntry` on resolution, before the path is known). Entry specifiers
 * are resolved to absolute files the simple way: as paths, with the usual extensions and
 * `index` files. It knows nothing of declarations.
 */

import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const EXTENSIONS = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The entry files of a build, as far as the bundler's configuration says. */
export class EntrySet {
  readonly #files = new Set<string>();
  #known = false;

  /** Adds entry specifiers written relative to `base` (an input option in any bundler's shape). */
  add(input: unknown, base: string): void {
    for (const spec of specifiers(input)) {
      if (spec === undefined) continue;
      this.#known = true;
      const file = resolveFile(resolve(base, spec));
      if (file) this.#files.add(file);
    }
  }

  /** Forgets everything (a new build reads its options again). */
  clear(): void {
    this.#files.clear();
    this.#known = false;
  }

  /** True/false when the configuration listed entries; undefined when it did not (a function entry, say). */
  has(id: string): boolean | undefined {
    if (!this.#known) return undefined;
    return this.#files.has(id) || this.#files.has(safeRealpath(id));
  }

  /** The entry files found; undefined when the configuration did not list entries. */
  files(): readonly string[] | undefined {
    return this.#known ? [...this.#files] : undefined;
  }
}

/** A pattern matching exactly the given paths (a bundler filter that lets only entries through to JavaScript). */
export function exactPathPattern(paths: readonly string[]): RegExp {
  return new RegExp(`^(?:${paths.map((path) => path.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')).join('|')})$`);
}

/** Every string in an input option: a string, an array, a record, esbuild's `{ in, out }`, webpack's `{ import }`. */
function specifiers(input: unknown): Array<string | undefined> {
  if (typeof input === 'string') return [input];
  if (Array.isArray(input)) return input.flatMap(specifiers);
  if (typeof input === 'object' && input !== null) {
    const record = input as Record<string, unknown>;
    if (typeof record.in === 'string') return [record.in];
    if ('import' in record) return specifiers(record.import);
    return Object.values(record).flatMap(specifiers);
  }
  return [undefined];
}

/** The file a path names, with extension and `index` probing, as a real path. */
export function resolveFile(path: string): string | undefined {
  for (const candidate of [...EXTENSIONS.map((ext) => path + ext), ...EXTENSIONS.slice(1).map((ext) => join(path, `index${ext}`))]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return safeRealpath(candidate);
  }
  return undefined;
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
