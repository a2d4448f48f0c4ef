#!/usr/bin/env node
/**
 * Build-time cost of @syscage/plugin per bundler: a synthetic 300-module program (each module
 * imports two others and a Node builtin; the entry declares `sandbox()`), built with and without
 * the plugin. Cold = a fresh process per build (includes loading ts-morph); warm = later builds in
 * the same process with the same plugin instance, as in watch mode (median of 7). Prints ms and the ratio with/without. Uses the built plugin
 * (`pnpm build` first). A benchmark, not a test: nothing is asserted.
 *   node packages/plugin/bench/plugin-cost.mjs [bundler...]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const MODULES = 300;
const BUNDLERS = ['esbuild', 'rollup', 'rolldown', 'vite', 'webpack', 'rspack'];
const external = (id) => id.startsWith('node:') || id.startsWith('@syscage/runtime');

function makeApp() {
  const app = mkdtempSync(join(tmpdir(), 'syscage-bench-'));
  mkdirSync(join(app, 'src'));
  for (let i = 0; i < MODULES; i++) {
    const deps = [2 * i + 1, 2 * i + 2].filter((d) => d < MODULES);
    writeFileSync(join(app, `src/m${i}.js`), `${deps.map((d) => `import { v as v${d} } from './m${d}.js';`).join('\n')}\nimport { sep } from 'node:path';\nexport const v = [${deps.map((d) => `v${d}`).join(', ')}].join(sep) + ${i};\n`);
  }
  writeFileSync(join(app, 'src/main.js'), "import { sandbox } from '@syscage/runtime';\nimport { v } from './m0.js';\nsandbox({ fs: { read: true } });\nconsole.log(v.length);\n");
  return app;
}

/** One plugin instance per process, reused by warm builds as a watch session would. */
let pluginInstance;
async function buildOnce(bundler, app, withPlugin) {
  pluginInstance ??= withPlugin ? (await import(`@syscage/plugin/${bundler}`)).default({ root: app, manifest: false }) : undefined;
  const plugin = pluginInstance ? [pluginInstance] : [];
  const out = join(app, `out-${bundler}-${withPlugin}`);
  const input = join(app, 'src/main.js');
  switch (bundler) {
    case 'esbuild':
      return (await import('esbuild')).build({ entryPoints: [input], outdir: out, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', external: ['@syscage/runtime', '@syscage/runtime/*'], plugins: plugin });
    case 'rollup':
    case 'rolldown': {
      const make = bundler === 'rollup' ? (await import('rollup')).rollup : (await import('rolldown')).rolldown;
      const bundle = await make({ input, external, plugins: plugin, onwarn: () => undefined, ...(bundler === 'rolldown' ? { platform: 'node', logLevel: 'silent' } : {}) });
      await bundle.write({ dir: out, format: 'esm' });
      return bundle.close();
    }
    case 'vite':
      return (await import('vite')).build({ root: app, configFile: false, logLevel: 'silent', plugins: plugin, build: { ssr: 'src/main.js', outDir: out, minify: false, rolldownOptions: { external } } });
    default: {
      const create = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack;
      const compiler = create({ mode: 'production', target: 'node20', context: app, entry: './src/main.js', output: { path: out }, externalsPresets: { node: true }, externals: [({ request }, cb) => (request?.startsWith('@syscage/runtime') ? cb(null, `commonjs ${request}`) : cb())], optimization: { minimize: false }, plugins: plugin });
      return new Promise((resolve, reject) => compiler.run((error, stats) => compiler.close(() => (error || stats.hasErrors() ? reject(error ?? new Error(stats.toString())) : resolve()))));
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(fn) {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

if (process.argv[2] === '--one') {
  // Child mode: one cold build, then warm builds; prints JSON.
  const [, , , bundler, app, withPlugin] = process.argv;
  const cold = await timed(() => buildOnce(bundler, app, withPlugin === 'true'));
  const warm = [];
  for (let i = 0; i < 7; i++) warm.push(await timed(() => buildOnce(bundler, app, withPlugin === 'true')));
  console.log(JSON.stringify({ cold, warm: median(warm) }));
} else {
  const app = makeApp();
  const self = fileURLToPath(import.meta.url);
  const run = (bundler, withPlugin) => JSON.parse(execFileSync(process.execPath, [self, '--one', bundler, app, String(withPlugin)], { encoding: 'utf8', cwd: join(self, '../..') }).trim().split('\n').at(-1));
  console.log(`${MODULES + 1} modules; node ${process.version}; ms (median of 3 cold processes; warm = median of 7 in-process rebuilds)`);
  console.log('bundler   cold w/o  cold with  added   ratio | warm w/o  warm with  added   ratio');
  for (const bundler of process.argv.slice(2).length ? process.argv.slice(2) : BUNDLERS) {
    const runs = (w) => Array.from({ length: 3 }, () => run(bundler, w));
    const [without, withIt] = [runs(false), runs(true)];
    const pick = (rs, k) => median(rs.map((r) => r[k]));
    const row = (k) => {
      const [a, b] = [pick(without, k), pick(withIt, k)];
      return `${a.toFixed(0).padStart(8)} ${b.toFixed(0).padStart(10)} ${(b - a).toFixed(0).padStart(6)} ${(b / a).toFixed(2).padStart(7)}`;
    };
    console.log(`${bundler.padEnd(9)} ${row('cold')} | ${row('warm')}`);
  }
  rmSync(app, { recursive: true, force: true });
}
