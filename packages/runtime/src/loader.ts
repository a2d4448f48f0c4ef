/**
 * What a built program's files call, exported as `@syscage/runtime/loader`: its gate calls
 * `applyPrecompiled()`, which takes the filters the plugin compiled at build time (base64, per
 * architecture) and applies them exactly as `sandbox()` would, without loading the compiler; its
 * launcher calls `launchPrecompiled()`, which applies the same payload before a line of the
 * program is even read and restarts straight into the program.
 */

import { applySandbox } from './apply.ts';
import { failClosed } from './fail-closed.ts';
import { preparePrecompiled, type PrecompiledSandbox } from './prepared.ts';
import { markLaunched, takeLaunched } from './state.ts';

export type { PrecompiledSandbox };

/** Where a launcher sits and what it starts. */
export interface LaunchTarget {
  /** The launcher's own file: `import.meta.url`, or `__filename` in CommonJS. */
  readonly self: string;
  /** The program beside it, relative to `self` (`./main.program.mjs`). */
  readonly program: string;
  /** Whether the launcher is the process's main module, when the module system can say (`import.meta.main`, `require.main === module`). */
  readonly main: boolean | undefined;
}

/**
 * Applies a precompiled sandbox; on any failure prints one line and exits 1.
 * @example
 * import { applyPrecompiled } from '@syscage/runtime/loader';
 * applyPrecompiled({ grants: ['fs.read'], onViolation: 'kill', unsupported: 'error', filters: { x86_64: '...' }, stage1: { x86_64: '...' } });
 */
export function applyPrecompiled(sandbox: PrecompiledSandbox): void {
  if (takeLaunched(sandbox)) return;
  try {
    applySandbox(preparePrecompiled(sandbox));
  } catch (error) {
    failClosed(error);
  }
}

/**
 * Starts a built program from its launcher (the file the bundler wrote for the entry; the program
 * is beside it, see the plugin's gate.ts). As the main module it applies `sandbox` before any of
 * the program is loaded: where a restart is needed (io_uring rings, Landlock below ABI 8, dropped
 * capabilities) the restart runs the program itself as the main module, else the sandbox is
 * applied here and the program started as Node starts a main module (`module.runMain`). Either
 * way the program is the process's main module (`import.meta.main`, `require.main`), with
 * `process.argv[1]` naming it. Returns true when the launcher is not the main module (imported by
 * another): the caller then loads the program, whose gate applies the sandbox; on any failure it
 * prints one line and exits 1.
 * @example
 * if (launchPrecompiled(payload, { self: import.meta.url, program: './main.program.mjs', main: import.meta.main })) await import('./main.program.mjs');
 */
export function launchPrecompiled(sandbox: PrecompiledSandbox, target: LaunchTarget): boolean {
  try {
    const { fileURLToPath } = process.getBuiltinModule('node:url');
    const { resolve, dirname } = process.getBuiltinModule('node:path');
    const self = target.self.startsWith('file:') ? fileURLToPath(target.self) : target.self;
    if (!(target.main ?? isMainModule(self))) return true;
    const program = resolve(dirname(self), target.program);
    applySandbox(preparePrecompiled(sandbox), { restartInto: program });
    // No restart was needed: the sandbox holds; the program starts as the main module.
    markLaunched(sandbox);
    process.argv[1] = program;
    (process.getBuiltinModule('node:module') as unknown as { runMain(main: string): void }).runMain(program);
    return false;
  } catch (error) {
    failClosed(error);
  }
}

/**
 * Whether `file` is the main module, where the module system cannot say (ES modules before Node
 * 24.2): `process.argv[1]` resolved as Node resolves the main module (extensions, real path).
 */
function isMainModule(file: string): boolean {
  const main = process.argv[1];
  if (main === undefined) return false;
  const { existsSync, realpathSync } = process.getBuiltinModule('node:fs');
  const { resolve } = process.getBuiltinModule('node:path');
  const path = resolve(main);
  const found = [path, `${path}.js`, `${path}.mjs`, `${path}.cjs`].find((candidate) => existsSync(candidate));
  try {
    return found !== undefined && realpathSync(found) === realpathSync(file);
  } catch {
    return false;
  }
}
