/**
 * @syscage/plugin: compiles a program's sandbox declaration at build time and injects a loader that
 * applies it as the entry's first act. The default export is the unplugin instance (`.esbuild`,
 * `.vite`, `.rollup`, `.webpack`, `.rspack`, `.rolldown`); the per-bundler subpaths re-export one
 * each. The bundler-agnostic pieces are exported for tools and tests: the transform runs without a
 * bundler.
 */

import { createUnplugin, type UnpluginInstance } from 'unplugin';
import { esbuildHooks } from './bundlers/esbuild.ts';
import { rollupIsEntry, rollupLikeHooks } from './bundlers/rollup-like.ts';
import { webpackLikeHook } from './bundlers/webpack-like.ts';
import { BuildState } from './core/build-state.ts';
import { LOADER_ID_FILTER, resolveLoaderId } from './core/loader.ts';
import type { Options } from './core/options.ts';

export { resolveOptions } from './core/options.ts';
export type { Options, ResolvedOptions } from './core/options.ts';
export { createTransformContext, mentionsRuntime, transformModule } from './core/transform.ts';
export type { DeclarationSource, SandboxedEntry, TransformContext, TransformOutput } from './core/transform.ts';
export { createManifest, formatManifest, manifestFileName } from './core/manifest.ts';
export type { ArchManifest, Manifest } from './core/manifest.ts';
export { lintGraph } from './core/lint.ts';
export type { GraphImport, LintFinding, ModuleGraph } from './core/lint.ts';
export { createLoaderModule, hasLoaderImport } from './core/loader.ts';
export type { LoaderModule } from './core/loader.ts';
export type { PrecompiledPayload } from './core/compile.ts';

/** What the Vite dev server prints, once: it runs the program's modules unsandboxed. */
export const DEV_SERVER_NOTE = '[syscage] The Vite dev server is not sandboxed; `vite build` output is.';

/**
 * The plugin for every bundler unplugin supports.
 * @example
 * import syscage from '@syscage/plugin';
 * await esbuild.build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', plugins: [syscage.esbuild()] });
 */
const syscage: UnpluginInstance<Options | undefined, false> = createUnplugin<Options | undefined, false>((options, meta) => {
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
    resolveId: {
      filter: { id: /^@syscage\/virtual-loader\// },
      handler: (id, importer) => resolveLoaderId(id, importer, state.options.root) ?? null,
    },
    load: {
      filter: { id: LOADER_ID_FILTER },
      handler: (id) => state.loadLoader(id) ?? null,
    },
    transform: {
      // Without `entries`, only modules naming the runtime can declare anything.
      ...(state.options.entries.size === 0 ? { filter: { code: /["']@syscage\/runtime["']/ } } : {}),
      async handler(code, id) {
        if (serving) return null;
        const out = await state.transform(code, id, rollupIsEntry(this.getNativeBuildContext?.(), id));
        return out ? { code: out.code, map: out.map } : null;
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
});

export default syscage;
