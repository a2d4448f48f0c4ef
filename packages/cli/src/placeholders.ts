/**
 * The values of the implicit read set's placeholders (core's landlock/implicit.ts) for a program
 * that is not this process: the command `exec` runs, or the built program `inspect` reads. The
 * runtime fills them for its own process (apply.ts); here they are filled for a program's location,
 * with the same rules: `{program}` is the program's real directory without its hidden entries
 * (the runtime's programReadPaths), `{modules}` and `{package-json}` the node_modules directories
 * and package.json files in it and above it. Reading directories is all it does.
 */

import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { programReadPaths, type LandlockPlaceholders } from '@syscage/runtime';

/**
 * `{program}`, `{modules}` and `{package-json}` for a program whose main module is in `dir`.
 * @example
 * programPlaceholders('/srv/app/dist'); // { program: ['/srv/app/dist'], modules: ['/srv/app/dist/node_modules', '/srv/app/node_modules', …], … }
 */
export function programPlaceholders(dir: string): Pick<LandlockPlaceholders, 'program' | 'modules' | 'package-json'> {
  const real = realPath(dir);
  const dirs = above(real);
  return { program: programReadPaths(real), modules: dirs.map((d) => join(d, 'node_modules')), 'package-json': dirs.map((d) => join(d, 'package.json')) };
}

/** `path` with its links resolved, or as given when it does not exist. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** `dir` and every directory above it, short of the root. */
function above(dir: string): string[] {
  return dir === dirname(dir) ? [] : [dir, ...above(dirname(dir))];
}

/**
 * `{loader}` for a program in `dir`: the real directories of the packages its gate loads, found as
 * Node would from there (`@syscage/runtime`, and beside it `@syscage/core`, ffi-rs and ffi-rs's
 * platform packages); empty when the program cannot find its runtime.
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
  for (const candidate of above(dir).map((d) => join(d, 'node_modules', name))) {
    const found = realPath(candidate);
    if (existsSync(join(found, 'package.json'))) return found;
  }
  return undefined;
}
