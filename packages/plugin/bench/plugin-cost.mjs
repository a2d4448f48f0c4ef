#!/usr/bin/env node
/**
 * Build-time cost of @syscage/plugin per bundler: a synthetic 300-module program (each module
 * imports two others and a Node builtin; the entry declares `sandbox()`), built with and without
 * the plugin. Cold = a fresh process per build, timed from before the bundler and the plugin are
 * imported (so it includes loading the parser); warm = later builds in the same process with the
 * same plugin instance, as in watch mode (median of 7; webpack and Rspack run the same compiler
 * again, without their cache, so every module is built again each time). Variants run interleaved, in a shuffled
 * order each round, each in its own process: the machine's load drifts, so each round's delta is
 * taken against the plugin-less build of the same round, and medians and ranges of those are
 * printed. Uses the built plugin (`pnpm build` first). A benchmark, not a test: nothing is asserted.
 *   node packages/plugin/bench/plugin-cost.mjs [--rounds N] [bundler...]
 * With SYSCAGE_BENCH_BASELINE=<dir> (a directory holding another build's `esbuild.js`, `vite.js`,
 * … entries), that build is measured too, as `baseline`, for before/after comparisons.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/** One plugin instance (and webpack or Rspack compiler) per process, reused by warm builds as a watch session would. */
let pluginInstance;
let compiler;
async function buildOnce(bundler, app, variant) {
  if (variant !== 'without' && !pluginInstance) {
    const from = variant === 'baseline' ? pathToFileURL(join(process.env.SYSCAGE_BENCH_BASELINE, `${bundler}.js`)).href : `@syscage/plugin/${bundler}`;
    pluginInstance = (await import(from)).default({ root: app, manifest: false });
  }
  const plugin = pluginInstance ? [pluginInstance] : [];
  const out = join(app, `out-${bundler}-${variant}`);
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
      // One compiler per process, run again by warm builds as `compiler.watch` would: webpack and
      // Rspack apply a plugin to each new compiler, so a new compiler would start it afresh.
      if (!compiler) {
        const create = bundler === 'webpack' ? (await import('webpack')).default : (await import('@rspack/core')).rspack;
        compiler = create({ mode: 'production', target: 'node20', context: app, entry: './src/main.js', output: { path: out }, externalsPresets: { node: true }, externals: [({ request }, cb) => (request?.startsWith('@syscage/runtime') ? cb(null, `commonjs ${request}`) : cb())], optimization: { minimize: false }, plugins: plugin });
      }
      return new Promise((resolve, reject) => compiler.run((error, stats) => (error || stats.hasErrors() ? reject(error ?? new Error(stats.toString())) : resolve())));
    }
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/** Wall time and this process's CPU time (all its threads; esbuild's own process is not counted), in ms. */
async function timed(fn) {
  const [t0, c0] = [performance.now(), process.cpuUsage()];
  await fn();
  const cpu = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (cpu.user + cpu.system) / 1000 };
}

if (process.argv[2] === '--one') {
  // Child mode: one cold build, then warm builds; prints JSON.
  const [, , , bundler, app, variant] = process.argv;
  const cold = await timed(() => buildOnce(bundler, app, variant));
  const warm = [];
  for (let i = 0; i < 7; i++) warm.push(await timed(() => buildOnce(bundler, app, variant)));
  await new Promise((resolve) => (compiler ? compiler.close(resolve) : resolve()));
  console.log(JSON.stringify({ cold: cold.wall, coldCpu: cold.cpu, warm: median(warm.map((w) => w.wall)), warmCpu: median(warm.map((w) => w.cpu)) }));
} else {
  const args = process.argv.slice(2);
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args.splice(roundsAt, 2)[1]) : 5;
  const variants = ['without', 'with', ...(process.env.SYSCAGE_BENCH_BASELINE ? ['baseline'] : [])];
  const app = makeApp();
  const self = fileURLToPath(import.meta.url);
  const run = (bundler, variant) => JSON.parse(execFileSync(process.execPath, [self, '--one', bundler, app, variant], { encoding: 'utf8', cwd: join(self, '../..') }).trim().split('\n').at(-1));
  const shuffle = (xs) => xs.map((x) => [Math.random(), x]).sort((a, b) => a[0] - b[0]).map(([, x]) => x);
  const range = (xs) => `${Math.min(...xs).toFixed(0)}…${Math.max(...xs).toFixed(0)}`;
  console.log(`${MODULES + 1} modules; node ${process.version}; ${rounds} interleaved rounds; ms: median (range) of per-round values; added = with − without of the same round`);
  console.log('Wall time, then CPU time of the building process (steadier when the machine is shared; excludes the esbuild service process).');
  console.log('bundler   variant   measure | cold w/o   cold  added (range)            ratio | warm w/o   warm  added (range)           ratio');
  for (const bundler of args.length ? args : BUNDLERS) {
    const results = Object.fromEntries(variants.map((v) => [v, []]));
    for (let r = 0; r < rounds; r++) for (const variant of shuffle(variants)) results[variant].push(run(bundler, variant));
    for (const variant of variants.slice(1)) {
      const cell = (k) => {
        const base = results.without.map((x) => x[k]);
        const mine = results[variant].map((x) => x[k]);
        const added = mine.map((x, i) => x - base[i]);
        const ratios = mine.map((x, i) => x / base[i]);
        return `${median(base).toFixed(0).padStart(8)} ${median(mine).toFixed(0).padStart(6)} ${median(added).toFixed(0).padStart(6)} (${range(added)})`.padEnd(40) + `${median(ratios).toFixed(2).padStart(5)}`;
      };
      console.log(`${bundler.padEnd(9)} ${variant.padEnd(9)} wall    | ${cell('cold')} | ${cell('warm')}`);
      console.log(`${bundler.padEnd(9)} ${variant.padEnd(9)} cpu     | ${cell('coldCpu')} | ${cell('warmCpu')}`);
    }
  }
  rmSync(app, { recursive: true, force: true });
}
