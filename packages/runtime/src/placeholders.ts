/**
 * Gathers the facts about this process that fill the implicit read set's placeholders, and fills
 * them with core's `fillPlaceholders` (which decides what each placeholder is). Made from what the
 * process already knows, cheaply, since it runs before the program: no module resolver on the
 * common path (~1 ms a package), packages found beside the runtime's own, the native binding
 * ffi.ts loaded, and one listing each of the main module's directory, `/` and `/proc` (the last
 * two only when a rule asks for them).
 */

import { fillPlaceholders, type LandlockPlaceholders } from '@syscage/core/landlock-placeholders';
import { readInterpreter } from './elf.ts';
import { loadFfi } from './ffi.ts';

type Real = (file: string | undefined) => string | undefined;
type PackageRoot = (file: string | undefined) => string | undefined;

/** The placeholders' values for this process (core's implicit.ts says what each is). */
export function ownPlaceholders(): LandlockPlaceholders {
  const { dirname } = process.getBuiltinModule('node:path');
  const { existsSync, readdirSync, realpathSync } = process.getBuiltinModule('node:fs');
  const real: Real = (file) => {
    try {
      // One realpath(3) call: the JavaScript realpathSync walks the path a component at a time.
      return file === undefined ? undefined : realpathSync.native(file);
    } catch {
      return undefined;
    }
  };
  const list = (dir: string): string[] | undefined => {
    try {
      return readdirSync(dir);
    } catch {
      return undefined;
    }
  };
  const packageRoot: PackageRoot = (file) => {
    for (let dir = file && dirname(file); dir !== undefined && dir !== dirname(dir); dir = dirname(dir)) {
      if (existsSync(`${dir}/package.json`)) return dir;
    }
    return undefined;
  };
  // This module's own package, only when it is @syscage/runtime: a copy a bundler inlined into a
  // program would otherwise make the program's package (its whole project) readable.
  const own = packageRoot(real(new URL(import.meta.url).pathname));
  const runtime = own !== undefined && packageName(own) === '@syscage/runtime' ? own : undefined;
  const main = real(process.argv[1]);
  const programDir = main && dirname(main);
  const values = fillPlaceholders({
    program: programDir === undefined ? undefined : { dir: programDir, entries: list(programDir) },
    loader: loaderPackages(runtime, real, packageRoot),
    extraCaCerts: process.env['NODE_EXTRA_CA_CERTS'],
    node: real(process.execPath),
    interpreter: real(readInterpreter(process.execPath)),
  });
  // `/` and /proc are listed only for a plan that reads everything (fs.read: true).
  return Object.defineProperty({ ...values }, 'all-but-processes', {
    enumerable: true,
    get: () => fillPlaceholders({ listings: { root: list('/') ?? [], proc: list('/proc') ?? [] } })['all-but-processes'],
  });
}

/**
 * The facts of `{loader}`: what loading the runtime reads again after the restart. The runtime's
 * package, the package of the native binding ffi.ts loaded (and, when it came through ffi-rs's own
 * entry, the platform packages it picks from), ffi-rs, and @syscage/core, which the public API
 * imports: found beside the runtime as npm, pnpm and a workspace place dependencies, else by the
 * resolver.
 */
function loaderPackages(runtime: string | undefined, real: Real, packageRoot: PackageRoot): (string | undefined)[] {
  const ffi = loadFfi();
  let ours: NodeJS.Require | undefined; // made only where a package is not beside the runtime
  const resolveReal = (id: string, from?: NodeJS.Require): string | undefined => {
    try {
      return real((from ?? (ours ??= process.getBuiltinModule('node:module').createRequire(import.meta.url))).resolve(id));
    } catch {
      return undefined;
    }
  };
  const besideRuntime = (name: string): string | undefined => {
    if (runtime === undefined) return undefined;
    const { existsSync } = process.getBuiltinModule('node:fs');
    const found = [`${runtime}/node_modules/${name}`, `${runtime}/../../${name}`].find((dir) => existsSync(`${dir}/package.json`));
    return found === undefined ? undefined : real(found);
  };
  const core = besideRuntime('@syscage/core') ?? packageRoot(resolveReal('@syscage/core'));
  const binding = packageRoot(real(ffi.file));
  // ffi-rs's own entry: loaded only as the fallback, but a program may use ffi-rs itself (it is
  // the runtime's dependency, so it sits beside it).
  const ffiRs = besideRuntime('ffi-rs');
  const throughFfiRs = ffi.source === 'ffi-rs' ? [packageRoot(resolveReal('ffi-rs')), ...platformBindings(resolveReal('ffi-rs'), resolveReal).map(packageRoot)] : [];
  return [runtime, core, binding, ffiRs, ...throughFfiRs];
}

/** The `name` in `dir`'s package.json, if it can be read. */
function packageName(dir: string): unknown {
  try {
    return (JSON.parse(process.getBuiltinModule('node:fs').readFileSync(`${dir}/package.json`, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

/** ffi-rs's platform packages seen from `from` (ffi-rs's file): its entry loads one of them. */
function platformBindings(from: string | undefined, resolveReal: (id: string, from: NodeJS.Require) => string | undefined): (string | undefined)[] {
  if (from === undefined) return [];
  const near = process.getBuiltinModule('node:module').createRequire(from);
  return ['gnu', 'musl'].map((libc) => resolveReal(`@yuuang/ffi-rs-linux-${process.arch}-${libc}`, near));
}
