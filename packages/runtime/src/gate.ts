/**
 * What a built program's gate runs before anything of the program. The plugin writes this
 * module's bundle (dist/gate.iife.js, built by scripts/bundle.mjs) into every gate, so that a
 * restarted image, the common case, applies its sandbox without loading a module: the runtime's
 * loader costs a package resolution and a parse of its own. Inline, it finishes the sandbox of a
 * restarted image (restarted.ts) with the ffi-rs binary the image before the restart named. In
 * every other case (no restart behind it, a marker it cannot finish) it hands the payload to the
 * installed runtime's `applyPrecompiled()`, loaded synchronously, so that it still runs first.
 * Nothing in it derives a path from where it was copied.
 */

import { checkApplicable, checkNotApplied } from './checks.ts';
import { failClosed } from './fail-closed.ts';
import { useFfiBinary } from './ffi.ts';
import { preparePrecompiled, type PrecompiledSandbox } from './prepared.ts';
import { peekReexecMarker, takeReexecMarker } from './reexec.ts';
import { applyRestarted, needsRebuild } from './restarted.ts';
import { takeLaunched } from './state.ts';

/** The loader the gate hands anything but a restarted image to. */
const LOADER = '@syscage/runtime/loader';

/**
 * Applies `sandbox` for the program the gate belongs to; `from` is the gate's own file
 * (`import.meta.url`, or `__filename` in CommonJS), where the loader is resolved from. On any
 * failure it prints one line and exits 1.
 * @example
 * syscageGate.applyPrecompiledGate({ grants: [], ... }, import.meta.url);
 */
export function applyPrecompiledGate(sandbox: PrecompiledSandbox, from: string): void {
  if (takeLaunched(sandbox)) return;
  const marker = peekReexecMarker();
  if (marker?.ffi === undefined || process.platform !== 'linux' || needsRebuild(sandbox.landlock, marker)) {
    const loader = process.getBuiltinModule('node:module').createRequire(from)(LOADER) as { applyPrecompiled(sandbox: PrecompiledSandbox): void };
    loader.applyPrecompiled(sandbox);
    return;
  }
  try {
    checkNotApplied();
    const prepared = preparePrecompiled(sandbox);
    const arch = checkApplicable(prepared.unsupported);
    if (arch === undefined) return;
    takeReexecMarker();
    useFfiBinary(marker.ffi);
    applyRestarted(prepared, arch, marker, undefined);
  } catch (error) {
    failClosed(error);
  }
}
