// Replaces each package's dist/index.js (tsc's output, one module per source file) with a single
// bundled module: Node loads ES modules at roughly a millisecond apiece, and a sandboxed program
// loads these before anything else, so one file per package keeps start-up cheap. Declarations
// and the separately exported subpaths (@syscage/core/errors, /self-pid, /landlock-rights) stay tsc's, and the
// bundles import those rather than copy them, so there is one SyscageError class.
//   node scripts/bundle.mjs   (run by `pnpm build` after tsc)
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const shared = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** Keeps imports of `modules` (source paths, without extension) as imports of their built .js. */
function keepSeparate(modules) {
  return {
    name: 'keep-separate',
    setup(b) {
      b.onResolve({ filter: /\.ts$/ }, (args) => {
        const match = modules.find((m) => args.path.endsWith(`/${m}.ts`) && args.importer.includes('/src/'));
        if (!match) return undefined;
        const fromSrc = args.importer.slice(args.importer.indexOf('/src/') + 5);
        const depth = fromSrc.split('/').length - 1;
        return { path: `${depth === 0 ? './' : '../'.repeat(depth)}${match}.js`.replace(/^(\.\.\/)+/, './'), external: true };
      });
    },
  };
}

await build({
  ...shared,
  entryPoints: ['packages/core/src/index.ts'],
  outfile: 'packages/core/dist/index.js',
  allowOverwrite: true,
  plugins: [keepSeparate(['errors', 'catalog/self-pid', 'landlock/rights'])],
});
// Two entries sharing one chunk: a built program's loader and the public API must see the same
// sandbox state (status() after applyPrecompiled()). core's small pure subpaths (self-pid,
// landlock-rights) are bundled in, a module load less each before the sandbox; errors stays
// separate, so there is one SyscageError class. Chunks of earlier builds are removed first.
for (const file of readdirSync('packages/runtime/dist')) {
  if (/^shared-.*\.js(\.map)?$/.test(file)) rmSync(join('packages/runtime/dist', file));
}
await build({
  ...shared,
  entryPoints: ['packages/runtime/src/index.ts', 'packages/runtime/src/loader.ts'],
  outdir: 'packages/runtime/dist',
  splitting: true,
  chunkNames: 'shared-[hash]',
  allowOverwrite: true,
  external: ['ffi-rs', '@yuuang/*'],
  plugins: [
    {
      // esbuild's `external` for a package takes its subpaths along; only these two stay imports.
      name: 'core-imports',
      setup(b) {
        b.onResolve({ filter: /^@syscage\/core(\/errors)?$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
