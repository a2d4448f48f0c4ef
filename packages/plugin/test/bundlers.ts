/**
 * The bundler matrix's one table: `{ name, build, watch }` for each of the six bundlers, building an
 * entry with the syscage plugin into ESM or CJS, once or in the bundler's own watch mode. Lives in
 * this package so the bundlers (its devDependencies) resolve; `test/plugin/` imports it.
 * `@syscage/runtime` stays external: it loads ffi-rs relative to itself, and a program depends on it
 * like on any package.
 */
import { rspack } from '@rspack/core';
import { context as esbuildContext, build as esbuild } from 'esbuild';
import { rolldown, watch as rolldownWatch } from 'rolldown';
import { rollup, watch as rollupWatch } from 'rollup';
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
  /** Let the configuration bundle `@syscage/runtime` (the plugin must keep it external anyway). */
  readonly bundleRuntime?: boolean;
  /** A TypeScript entry's decorators: `experimentalDecorators` or standard (only bundlers with a TS compiler). */
  readonly decorators?: 'legacy' | 'standard';
  /** Put the entry's output in this subdirectory of `outDir`, and chunks at its top (the lint's "outside" case). */
  readonly entryDir?: string;
}

/** A watch session: the first build is done; `next()` waits for the rebuild a file change starts. */
export interface WatchSession {
  readonly file: string;
  next(): Promise<void>;
  close(): Promise<void>;
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
  /** Builds in the bundler's watch mode (esbuild: a context rebuilt on demand), one plugin instance throughout. */
  watch(input: BuildInput): Promise<WatchSession>;
  /** Why this bundler cannot build TypeScript decorators of that kind without another plugin, if it cannot. */
  readonly noDecorators?: Partial<Record<'legacy' | 'standard', string>>;
  /** Why this bundler cannot bundle a CommonJS entry without another plugin, if it cannot. */
  readonly noCommonJs?: string;
}

const RUNTIME = /^@syscage\/runtime(\/.*)?$/;
const runtimeExternal = (input: BuildInput, request: string): boolean => !input.bundleRuntime && RUNTIME.test(request);
const fileName = (input: BuildInput): string => `${input.entryDir ? `${input.entryDir}/` : ''}main.${input.format === 'esm' ? 'mjs' : 'cjs'}`;
const rollupExternal = (input: BuildInput) => (id: string) => id.startsWith('node:') || runtimeExternal(input, id) || (input.external ?? []).includes(id);

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
    output: { path: input.outDir, filename: fileName(input), chunkFilename: `[id].chunk.${esm ? 'mjs' : 'cjs'}`, module: esm, chunkFormat: esm ? 'module' : 'commonjs', library: { type: esm ? 'module' : 'commonjs2' } },
    externalsPresets: { node: true },
    ...(input.decorators ? { module: { rules: [{ test: /\.ts$/, loader: 'builtin:swc-loader', options: swcDecorators(input.decorators) }] } } : {}),
    externals: [({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) => (request && (runtimeExternal(input, request) || (input.external ?? []).includes(request)) ? callback(null, `${type} ${request}`) : callback())],
    optimization: { minimize: false },
    ...(esm ? { experiments: { outputModule: true } } : {}),
    plugins: [plugin],
  };
}

/** Rspack's built-in SWC loader options for TypeScript decorators. */
function swcDecorators(kind: 'legacy' | 'standard'): object {
  return { jsc: { parser: { syntax: 'typescript', decorators: true }, target: 'es2022', transform: kind === 'legacy' ? { legacyDecorator: true } : { decoratorVersion: '2022-03' } } };
}

type WatchEmitter = { on(event: 'event', listener: (event: { code: string; error?: Error; result?: { close(): unknown } }) => void): unknown; close(): unknown };

/** A session over Rollup-style watcher events: each `END` is a finished build, `ERROR` a failed one (whose `END` is ignored). */
function rollupStyleSession(file: string, start: () => WatchEmitter | Promise<WatchEmitter>): Promise<WatchSession> {
  return new Promise((resolveFirst, rejectFirst) => {
    let waiting: { resolve: () => void; reject: (error: Error) => void } = { resolve: () => undefined, reject: rejectFirst };
    let first = true;
    let failed = false;
    Promise.resolve(start()).then((watcher) => {
      watcher.on('event', (event) => {
        if (event.code === 'BUNDLE_END') void event.result?.close();
        if (event.code === 'ERROR') {
          failed = true;
          waiting.reject(event.error ?? new Error('watch build failed'));
        }
        if (event.code !== 'END') return;
        // Rolldown ends a failed build too, possibly after the test has asked for the next one.
        if (failed) {
          failed = false;
          return;
        }
        if (first) {
          first = false;
          resolveFirst({
            file,
            next: () => new Promise<void>((resolve, reject) => (waiting = { resolve, reject })),
            close: async () => void (await watcher.close()),
          });
        } else waiting.resolve();
      });
    }, rejectFirst);
  });
}

/** A session over a webpack-style `compiler.watch` callback. */
function webpackStyleSession(file: string, compiler: { watch(options: object, cb: (error: Error | null, stats?: { hasErrors(): boolean; toString(): string }) => void): { close(cb: () => void): void } }): Promise<WatchSession> {
  return new Promise((resolveFirst, rejectFirst) => {
    let waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;
    let first = true;
    const watching = compiler.watch({ aggregateTimeout: 50 }, (error, stats) => {
      const failure = error ?? (stats?.hasErrors() ? new Error(stats.toString()) : undefined);
      if (first) {
        first = false;
        if (failure) return rejectFirst(failure);
        return resolveFirst({ file, next: () => new Promise<void>((resolve, reject) => (waiting = { resolve, reject })), close: () => new Promise<void>((resolve) => watching.close(resolve)) });
      }
      if (failure) waiting?.reject(failure);
      else waiting?.resolve();
    });
  });
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

/** esbuild's options for `input`, the same for a build and a watch session. */
function esbuildOptions(input: BuildInput) {
  return {
    absWorkingDir: input.app,
    entryPoints: [input.entry],
    outfile: `${input.outDir}/${fileName(input)}`,
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: input.format,
    logLevel: 'silent' as const,
    external: [...(input.bundleRuntime ? [] : ['@syscage/runtime', '@syscage/runtime/*']), ...(input.external ?? [])],
    ...(input.decorators ? { tsconfigRaw: { compilerOptions: { experimentalDecorators: input.decorators === 'legacy' } } } : {}),
    plugins: [esbuildPlugin({ root: input.app, ...input.plugin })],
  };
}

/** The six bundlers. */
export const BUNDLERS: readonly Bundler[] = [
  {
    name: 'esbuild',
    async build(input) {
      const result = await esbuild(esbuildOptions(input));
      return { file: `${input.outDir}/${fileName(input)}`, warnings: result.warnings.map((w) => w.text) };
    },
    async watch(input) {
      const ctx = await esbuildContext(esbuildOptions(input));
      await ctx.rebuild();
      return { file: `${input.outDir}/${fileName(input)}`, next: async () => void (await ctx.rebuild()), close: () => ctx.dispose() };
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
    watch: (input) =>
      rollupStyleSession(`${input.outDir}/${fileName(input)}`, () =>
        rollupWatch({ input: `${input.app}/${input.entry}`, external: rollupExternal(input), plugins: [rollupPlugin({ root: input.app, ...input.plugin })], onwarn: () => undefined, output: { dir: input.outDir, entryFileNames: fileName(input), format: input.format === 'esm' ? 'es' : 'cjs' }, watch: { buildDelay: 20 } }) as unknown as WatchEmitter,
      ),
    noDecorators: { legacy: 'Rollup has no TypeScript compiler of its own (it needs @rollup/plugin-typescript or similar).', standard: 'Rollup has no TypeScript compiler of its own (it needs @rollup/plugin-typescript or similar).' },
    noCommonJs: 'Rollup reads ES modules only; a CommonJS entry needs @rollup/plugin-commonjs.',
  },
  {
    name: 'rolldown',
    async build(input) {
      const warnings: string[] = [];
      const bundle = await rolldown({
        input: `${input.app}/${input.entry}`,
        platform: 'node',
        external: rollupExternal(input),
        plugins: [rolldownPlugin({ root: input.app, ...input.plugin })],
        onwarn: (w) => void warnings.push(w.message),
        logLevel: 'warn',
        ...(input.decorators === 'legacy' ? { transform: { decorator: { legacy: true } } } : {}),
      });
      await bundle.write({ dir: input.outDir, entryFileNames: fileName(input), format: input.format });
      await bundle.close();
      return { file: `${input.outDir}/${fileName(input)}`, warnings };
    },
    watch: (input) =>
      rollupStyleSession(`${input.outDir}/${fileName(input)}`, () =>
        rolldownWatch({ input: `${input.app}/${input.entry}`, platform: 'node', external: rollupExternal(input), plugins: [rolldownPlugin({ root: input.app, ...input.plugin })], logLevel: 'silent', output: { dir: input.outDir, entryFileNames: fileName(input), format: input.format }, watch: { buildDelay: 20 } }) as unknown as WatchEmitter,
      ),
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
        ...(input.decorators === 'legacy' ? { oxc: { decorator: { legacy: true } } } : {}),
      });
      return { file: `${input.outDir}/${fileName(input)}`, warnings };
    },
    watch: (input) =>
      rollupStyleSession(
        `${input.outDir}/${fileName(input)}`,
        async () =>
          (await vite({
            root: input.app,
            configFile: false,
            logLevel: 'silent',
            plugins: [vitePlugin({ root: input.app, ...input.plugin })],
            build: { ssr: input.entry, outDir: input.outDir, emptyOutDir: false, minify: false, watch: { buildDelay: 20 }, rolldownOptions: { external: rollupExternal(input), output: { format: input.format, entryFileNames: fileName(input) } } },
          })) as unknown as WatchEmitter,
      ),
  },
  {
    name: 'webpack',
    build: (input) => runCompiler(webpack(webpackConfig(input, webpackPlugin({ root: input.app, ...input.plugin })) as webpack.Configuration) as never, input),
    watch: (input) => webpackStyleSession(`${input.outDir}/${fileName(input)}`, webpack(webpackConfig(input, webpackPlugin({ root: input.app, ...input.plugin })) as webpack.Configuration) as never),
    noDecorators: { legacy: 'webpack has no TypeScript compiler of its own (it needs ts-loader, babel-loader or swc-loader).', standard: 'webpack has no TypeScript compiler of its own (it needs ts-loader, babel-loader or swc-loader).' },
  },
  {
    name: 'rspack',
    build: (input) => runCompiler(rspack(webpackConfig(input, rspackPlugin({ root: input.app, ...input.plugin })) as never) as never, input),
    watch: (input) => webpackStyleSession(`${input.outDir}/${fileName(input)}`, rspack(webpackConfig(input, rspackPlugin({ root: input.app, ...input.plugin })) as never) as never),
  },
];
