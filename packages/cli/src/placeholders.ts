/**
 * Gathers the facts that fill the implicit read set's placeholders (core's landlock/placeholders.ts
 * fills them) for a program that is not this process: the command `exec` runs, the built program
 * `inspect` reads, the program `trace` watched. The runtime gathers the same facts for its own
 * process (its placeholders.ts); here they are gathered for a program's location. Reading
 * directories and resolving links is all it does.
 */

import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { dirsAbove, type PlaceholderFacts } from '@syscage/core';

/**
 * The `program` fact of a program whose main module is in `dir`: its real directory and the names
 * in it (`{program}`, `{modules}`, `{package-json}`).
 * @example
 * fillPlaceholders({ program: programFacts('/srv/app/dist') }).modules; // ['/srv/app/dist/node_modules', '/srv/app/node_modules', '/srv/node_modules']
 */
export function programFacts(dir: string): NonNullable<PlaceholderFacts['program']> {
  const real = realPath(dir);
  return { dir: real, entries: list(real) };
}

/** The `listings` fact (`{all-but-processes}`): the names in `/` and `/proc` now. */
export function rootListings(): NonNullable<PlaceholderFacts['listings']> {
  return { root: list('/') ?? [], proc: list('/proc') ?? [] };
}

/** `path` with its links resolved, or as given when it does not exist. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function list(dir: string): string[] | undefined {
  try {
    return readdirSync(dir);
  } catch {
    return undefined;
  }
}

/**
 * The `loader` fact for a program in `dir`: the real directories of the packages its gate loads,
 * found as Node would from there (`@syscage/runtime`, and beside it `@syscage/core`, ffi-rs and
 * ffi-rs's platform packages); empty when the program cannot find its runtime.
 */
export function loaderDirs(dir: string): string[] {
  const runtime = findPackage('@syscage/runtime', realPath(dir));
  if (runtime === undefined) return [];
  const ffiRs = findPackage('ffi-rs', runtime);
  const platform = ['gnu', 'musl'].map((libc) => `@yuuang/ffi-rs-linux-${process.arch}-${libc}`);
  const found = [runtime, findPackage('@syscage/core', runtime), ffiRs, ...platform.flatMap((name) => [findPackage(name, runtime), ffiRs && findPackage(name, ffiRs)])];
  return [...new Set(found.filter((path): path is string => path !== undefined))];
}

/** The real directory of package `name` as Node finds it from `dir` (node_modules in it and above it). */
function findPackage(name: string, dir: string): string | undefined {
  for (const candidate of dirsAbove(dir).map((d) => join(d, 'node_modules', name))) {
    const found = realPath(candidate);
    if (existsSync(join(found, 'package.json'))) return found;
  }
  return undefined;
}
