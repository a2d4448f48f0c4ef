/**
 * The bundler matrix's one table: `{ name, build }` for each of the six bundlers, building an entry
 * with the syscage plugin into ESM or CJS. Lives in this package so the bundlers (its
 * devDependencies) resolve; `test/plugin/` imports it. `@syscage/runtime` stays external: it loads
 * ffi-rs relative to itself, and a program depends on it like on any package.
 */
import { rspack } from '@rspack/core';
import { build as esbuild } from 'esbuild';
import { rolldown } from 'rolldown';
import { rollup } from 'rollup';
import { build as vite } from 'vite';
import webpack from 'webpack';
import type { Options } from '../src/core/options.ts';
import esbuildPlugin from '../src/esbuild.ts';
import rolldownPlugin from '../src/rolldown.ts';
import rollupPlugin from '../src/rollup.ts';
import rspackPlugin from '../src/rspack.ts';
import vitePlugin from '../src/vite.ts';
import webpackPlugin from '../src/webpack.ts';

/** What to build. */
export interface BuildInput {
  /** The program's directory (the plugin's root). */
  readonly app: string;
  /** The entry, relative to `app`. */
  readonly entry: string;
  readonly outDir: string;
  readonly format: 'esm' | 'cjs';
  readonly plugin?: Options;
  /** Modules left external besides Node builtins and `@syscage/runtime`. */
  readonly external?: readonly string[];
}

/** What a build produced. */
export interface BuildOutput {
  /** Absolute path of the entry's output file. */
  readonly file: string;
  readonly warnings: readonly string[];
}

/** One row of the matrix. */
export interface Bundler {
  readonly name: 'esbuild' | 'vite' | 'rollup' | 'webpack' | 'rspack' | 'rolldown';
  build(input: BuildInput): Promise<BuildOutput>;
}

const RUNTIME = /^@syscage\/runtime(\/.*)?$/;
const fileName = (input: BuildInput): string => `main.${input.format === 'esm' ? 'mjs' : 'cjs'}`;
const rollupExternal = (input: BuildInput) => (id: string) => id.startsWith('node:') || RUNTIME.test(id) || (input.external ?? []).includes(id);

/** Webpack and Rspack share their configuration shape. */
function webpackConfig(input: BuildInput, plugin: unknown): Record<string, unknown> {
  const esm = input.format === 'esm';
  const type = esm ? 'module' : 'commonjs';
  return {
    mode: 'production',
    target: 'node20',
    context: input.app,
    entry: `./${input.entry}`,
    devtool: false,
    output: { path: input.outDir, filename: fileName(input), module: esm, chunkFormat: esm ? 'module' : 'commonjs', library: { type: esm ? 'module' : 'commonjs2' } },
    externalsPresets: { node: true },
    externals: [({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) => (request && (RUNTIME.test(request) || (input.external ?? []).includes(request)) ? callback(null, `${type} ${request}`) : callback())],
    optimization: { minimize: false },
    ...(esm ? { experiments: { outputModule: true } } : {}),
    plugins: [plugin],
  };
}

function runCompiler(compiler: { run(cb: (error: Error | null, stats?: { hasErrors(): boolean; toJson(o: object): { errors?: Array<{ message: string }>; warnings?: Array<{ message: string }> } }) => void): void; close(cb: () => void): void }, input: BuildInput): Promise<BuildOutput> {
  return new Promise((resolve, reject) => {
    compiler.run((error, stats) => {
      compiler.close(() => undefined);
      const json = stats?.toJson({ errors: true, warnings: true, all: false });
      if (error || stats?.hasErrors()) return reject(error ?? new Error((json?.errors ?? []).map((e) => e.message).join('\n')));
      resolve({ file: `${input.outDir}/${fileName(input)}`, warnings: (json?.warnings ?? []).map((w) => w.message) });
    });
  });
}

/** The six bundlers. */
export const BUNDLERS: readonly Bundler[] = [
  {
    name: 'esbuild',
    async build(input) {
      const result = await esbuild({
        absWorkingDir: input.app,
        entryPoints: [input.entry],
        outfile: `${input.outDir}/${fileName(input)}`,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: input.format,
        logLevel: 'silent',
        external: ['@syscage/runtime', '@syscage/runtime/*', ...(input.external ?? [])],
        plugins: [esbuildPlugin({ root: input.app, ...input.plugin })],
      });
      return { file: `${input.outDir}/${fileName(input)}`, warnings: result.warnings.map((w) => w.text) };
    },
  },
  {
    name: 'rollup',
    async build(input) {
      const warnings: string[] = [];
      const bundle = await rollup({ input: `${input.app}/${input.entry}`, external: rollupExternal(input), plugins: [rollupPlugin({ root: input.app, ...input.plugin })], onwarn: (w) => void warnings.push(w.message) });
      await bundle.write({ dir: input.outDir, entryFileNames: fileName(input), format: input.format === 'esm' ? 'es' : 'cjs' });
      await bundle.close();
      return { file: `${input.outDir}/${fileName(input)}`, warnings };
    },
  },
  {
    name: 'rolldown',
    async build(input) {
      const warnings: string[] = [];
      const bundle = await rolldown({ input: `${input.app}/${input.entry}`, platform: 'node', external: rollupExternal(input), plugins: [rolldownPlugin({ root: input.app, ...input.plugin })], onwarn: (w) => void warnings.push(w.message), logLevel: 'warn' });
      await bundle.write({ dir: input.outDir, entryFileNames: fileName(input), format: input.format });
      await bundle.close();
      return { file: `${input.outDir}/${fileName(input)}`, warnings };
    },
  },
  {
    name: 'vite',
    async build(input) {
      const warnings: string[] = [];
      await vite({
        root: input.app,
        configFile: false,
        logLevel: 'silent',
        customLogger: { info: () => undefined, warn: (m: string) => void warnings.push(m), warnOnce: (m: string) => void warnings.push(m), error: () => undefined, clearScreen: () => undefined, hasErrorLogged: () => false, hasWarned: false },
        plugins: [vitePlugin({ root: input.app, ...input.plugin })],
        build: {
          ssr: input.entry,
          outDir: input.outDir,
          emptyOutDir: false,
          minify: false,
          rolldownOptions: { external: rollupExternal(input), output: { format: input.format, entryFileNames: fileName(input) } },
        },
      });
      return { file: `${input.outDir}/${fileName(input)}`, warnings };
    },
  },
  { name: 'webpack', build: (input) => runCompiler(webpack(webpackConfig(input, webpackPlugin({ root: input.app, ...input.plugin })) as webpack.Configuration) as never, input) },
  { name: 'rspack', build: (input) => runCompiler(rspack(webpackConfig(input, rspackPlugin({ root: input.app, ...input.plugin })) as never) as never, input) },
];
