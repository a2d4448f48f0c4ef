/**
 * Builds whose modules come from the bundler's own cache, for test/plugin/cache.test.ts: Rollup with
 * the `cache` of an earlier build, webpack and Rspack with their persistent file-system cache. Each
 * call makes a fresh plugin instance, as a new process would. Lives in this package so the bundlers
 * (its devDependencies) resolve.
 */
import { join } from 'node:path';
import { rspack } from '@rspack/core';
import { rollup, type RollupCache } from 'rollup';
import webpack from 'webpack';
import rollupPlugin from '../src/rollup.ts';
import rspackPlugin from '../src/rspack.ts';
import webpackPlugin from '../src/webpack.ts';

const RUNTIME = /^@syscage\/runtime(\/.*)?$/;

/** A Rollup build of `app`'s `src/main.js` into `dir/main.mjs`; how often the entry was transformed, and the cache for the next build. */
export async function rollupBuild(app: string, dir: string, cache: RollupCache | undefined): Promise<{ transformed: number; cache: RollupCache | undefined }> {
  let transformed = 0;
  const counting = { name: 'count', transform: (_code: string, id: string) => void (id.endsWith('main.js') && transformed++) };
  const bundle = await rollup({ input: join(app, 'src/main.js'), cache, external: (id) => id.startsWith('node:') || RUNTIME.test(id), plugins: [rollupPlugin({ root: app }), counting] });
  await bundle.write({ dir, entryFileNames: 'main.mjs', format: 'es' });
  await bundle.close();
  return { transformed, cache: bundle.cache };
}

/** A webpack or Rspack build of `app`'s `src/main.js` into `dir/main.mjs` with a persistent cache in `cacheDirectory`. */
export function webpackLikeBuild(name: 'webpack' | 'rspack', app: string, dir: string, cacheDirectory: string): Promise<void> {
  const config = {
    mode: 'production',
    target: 'node20',
    context: app,
    entry: './src/main.js',
    devtool: false,
    output: { path: dir, filename: 'main.mjs', module: true, chunkFormat: 'module', library: { type: 'module' } },
    externalsPresets: { node: true },
    optimization: { minimize: false },
  };
  const compiler = (
    name === 'webpack'
      ? webpack({ ...config, cache: { type: 'filesystem', cacheDirectory }, experiments: { outputModule: true }, plugins: [webpackPlugin({ root: app })] } as webpack.Configuration)
      : rspack({ ...config, cache: true, experiments: { outputModule: true, cache: { type: 'persistent', storage: { type: 'filesystem', directory: cacheDirectory } } }, plugins: [rspackPlugin({ root: app })] } as never)
  ) as unknown as { run(cb: (error: Error | null, stats?: { hasErrors(): boolean; toString(): string }) => void): void; close(cb: () => void): void };
  return new Promise<void>((resolve, reject) =>
    compiler.run((error, stats) => {
      compiler.close(() => (error || stats?.hasErrors() ? reject(error ?? new Error(stats?.toString())) : resolve()));
    }),
  );
}
