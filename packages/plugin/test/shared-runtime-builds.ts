/**
 * webpack and Rspack builds of two sandboxed entries sharing one runtime chunk
 * (`optimization.runtimeChunk: 'single'`), for test/plugin/shared-runtime.test.ts. Lives in this
 * package so the bundlers (its devDependencies) resolve.
 */
import { rspack } from '@rspack/core';
import webpack from 'webpack';
import rspackPlugin from '../src/rspack.ts';
import webpackPlugin from '../src/webpack.ts';

/** Builds `entries` (name → path relative to `app`) into `dir` as `<name>.cjs`, with one shared runtime chunk. */
export function buildSharedRuntime(name: 'webpack' | 'rspack', app: string, dir: string, entries: Record<string, string>): Promise<void> {
  const config = {
    mode: 'production',
    target: 'node20',
    context: app,
    entry: entries,
    devtool: false,
    output: { path: dir, filename: '[name].cjs' },
    externalsPresets: { node: true },
    externals: [({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) => (request?.startsWith('@syscage/runtime') ? callback(null, `commonjs ${request}`) : callback())],
    optimization: { minimize: false, runtimeChunk: 'single' },
  };
  const compiler = (name === 'webpack' ? webpack({ ...config, plugins: [webpackPlugin({ root: app })] } as webpack.Configuration) : rspack({ ...config, plugins: [rspackPlugin({ root: app })] } as never)) as unknown as {
    run(cb: (error: Error | null, stats?: { hasErrors(): boolean; toString(): string }) => void): void;
    close(cb: () => void): void;
  };
  return new Promise<void>((resolve, reject) => compiler.run((error, stats) => compiler.close(() => (error || stats?.hasErrors() ? reject(error ?? new Error(stats?.toString())) : resolve()))));
}
