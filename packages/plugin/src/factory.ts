/**
 * The one bundler-agnostic plugin, as an unplugin factory: the shared state of a build and which
 * hooks each bundler gets. The per-bundler entries hand it to unplugin's adapter for their bundler
 * alone (`createRollupPlugin`, …) rather than take a property of `createUnplugin`'s instance, so a
 * bundled entry carries that adapter and none of the others. It reads no declarations itself.
 */

import { resolve } from 'node:path';
import type { UnpluginFactory } from 'unplugin';
import { esbuildHooks } from './bundlers/esbuild.ts';
import { rollupIsEntry, rollupLikeHooks } from './bundlers/rollup-like.ts';
import { webpackLikeHook } from './bundlers/webpack-like.ts';
import { BuildState } from './core/build-state.ts';
import { diagnosticOf } from './core/diagnostics.ts';
import { RUNTIME_ID } from './core/gate.ts';
import type { Options } from './core/options.ts';
import { cleanId } from './core/transform.ts';

/** What the Vite dev server prints, once: it runs the program's modules unsandboxed. */
export const DEV_SERVER_NOTE = '[syscage] The Vite dev server is not sandboxed; `vite build` output is.';

/**
 * The syscage plugin for the bundler `meta.framework` names.
 * @example
 * import { createRollupPlugin } from 'unplugin';
 * export default createRollupPlugin(createSyscagePlugin);
 */
export const createSyscagePlugin: UnpluginFactory<Options | undefined, false> = (options, meta) => {
  const state = new BuildState(options);
  // esbuild, webpack and Rspack get their own plugins (see bundlers/): unplugin's generic hooks
  // would call JavaScript for every module.
  if (meta.framework === 'esbuild') return { name: 'syscage', esbuild: esbuildHooks(state) };
  if (meta.framework === 'webpack' || meta.framework === 'rspack') return { name: 'syscage', [meta.framework]: webpackLikeHook(state, meta.framework) as never };
  let serving = false;
  let devServerNoted = false;
  return {
    name: 'syscage',
    enforce: 'pre',
    // The program loads the installed runtime, the one its gate loads (see core/gate.ts), never a copy.
    resolveId: {
      filter: { id: RUNTIME_ID },
      handler: (id) => ({ id, external: true }),
    },
    transform: {
      // Without `entries`, only modules naming the runtime can declare anything.
      ...(state.options.entries.size === 0 ? { filter: { code: /["']@syscage\/runtime["']/ } } : {}),
      async handler(code, id) {
        if (serving) return null;
        // Rollup's and Rolldown's own parser (Vite's is Rolldown's), already loaded, reads a
        // JavaScript entry: no oxc-parser to load. Here `this` is the bundler's plugin context.
        const context = this as { parse?: (source: string) => unknown };
        const hostParse = typeof context.parse === 'function' ? (source: string) => context.parse?.(source) : undefined;
        try {
          const out = await state.transform(code, id, rollupIsEntry(this.getNativeBuildContext?.(), id), hostParse);
          return out ? { code: out.code, map: out.map } : null;
        } catch (error) {
          const diagnostic = diagnosticOf(error, state.options.root);
          if (diagnostic === undefined) throw error;
          // Rollup takes a position in this module (it prints the place and a code frame). Rolldown
          // and Vite (Rolldown's context) fail on one and print the stack of `this.error`'s caller,
          // and a place in a config is no position: the place goes into the text of an error
          // without stack frames then.
          const at = diagnostic.location;
          if (at && meta.framework === 'rollup' && resolve(state.options.root, at.file) === cleanId(id)) {
            return (this.error.bind(this) as unknown as (message: string, position: { line: number; column: number }) => never)(diagnostic.text, { line: at.line, column: at.column - 1 });
          }
          const reported = new Error(at ? `${at.file}:${at.line}:${at.column}: ${diagnostic.text}` : diagnostic.text);
          reported.stack = `SyscageError: ${reported.message}`;
          throw reported;
        }
      },
    },
    rollup: rollupLikeHooks(state),
    rolldown: rollupLikeHooks(state),
    vite: {
      ...rollupLikeHooks(state, true),
      configResolved(config: { command: 'build' | 'serve' }) {
        serving = config.command === 'serve';
      },
      configureServer(server: { config: { logger: { warn(message: string): void } } }) {
        if (devServerNoted) return;
        devServerNoted = true;
        server.config.logger.warn(DEV_SERVER_NOTE);
      },
    },
  };
};
