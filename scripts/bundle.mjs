// Replaces each package's dist/index.js (tsc's output, one module per source file) with a single
// bundled module: Node loads ES modules at roughly a millisecond apiece, and a sandboxed program
// loads these before anything else, so one file per package keeps start-up cheap. Declarations
// and the separately exported subpaths (@syscage/core/errors, /self-pid, /landlock-rights) stay tsc's; core's
// bundle imports those rather than copy them. The pure subpaths the runtime inlines and that hold no
// class or state (/constants, /landlock-placeholders) are copied into core's bundle too.
//   node scripts/bundle.mjs   (run by `pnpm build` after tsc)
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PACKAGE_BUNDLE as shared } from './bundle-options.mjs';

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
  plugins: [keepSeparate(['errors', 'bpf/self-pid', 'landlock/rights'])],
});
// Two single-file entries: a built program's loader (`@syscage/runtime/loader`, the one module a
// sandboxed program loads before the sandbox: ~2 ms on Node 20 against ~5 ms for the three it took
// as a chunk shared with the public API) and the public API. Each carries its own copy of what it
// uses, core's small pure subpaths and the error class included: the sandbox state lives on
// `process` under a registered symbol and `instanceof SyscageError` recognises every copy, so the
// copies agree. Chunks of earlier builds (when the two shared one) are removed.
for (const file of readdirSync('packages/runtime/dist')) {
  if (/^shared-.*\.js(\.map)?$/.test(file)) rmSync(join('packages/runtime/dist', file));
}
await build({
  ...shared,
  entryPoints: ['packages/runtime/src/index.ts', 'packages/runtime/src/loader.ts'],
  outdir: 'packages/runtime/dist',
  allowOverwrite: true,
  external: ['ffi-rs', '@yuuang/*'],
  plugins: [
    {
      // esbuild's `external` for a package takes its subpaths along; only core's main entry stays
      // an import (the public API compiles unbuilt declarations with it; the loader never does).
      name: 'core-imports',
      setup(b) {
        b.onResolve({ filter: /^@syscage\/core$/ }, (args) => ({ path: args.path, external: true }));
      },
    },
  ],
});
// The gate's inline code (dist/gate.iife.js): the plugin copies it into every gate it writes, so that
// a restarted image applies its sandbox without resolving and loading the loader (~2.5 ms of its
// start-up). One statement, `var syscageGate = (() => {...})();`, importing nothing: a copy in a
// user's output directory finds nothing relative to itself (the restarted image is told where
// ffi-rs's binary is) and hands every other case to the installed loader. Minified (no names
// changed): it is parsed in front of every sandboxed program.
await build({
  ...shared,
  entryPoints: ['packages/runtime/src/gate.ts'],
  outfile: 'packages/runtime/dist/gate.iife.js',
  allowOverwrite: true,
  format: 'iife',
  globalName: 'syscageGate',
  sourcemap: false,
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  // ffi.ts's lookup of its binary (relative to import.meta.url) is bundled but never reached: the
  // gate opens the binary the restarted image was told about. Reached, the empty import.meta makes
  // every lookup fail, which refuses (FFI_UNAVAILABLE).
  logOverride: { 'empty-import-meta': 'silent' },
});
// The `syscage` command as one file (dist/bin.js): `syscage exec` runs in front of every command it
// sandboxes, and its start-up is overhead on the command's. The CLI's modules and commander are
// bundled (one file, not a chunk per command: each ES module Node loads costs about as much as the
// code a chunk would spare); core and the runtime stay imports of their own single-file bundles
// (one copy of each in the process; the runtime finds ffi-rs from its own place). The other dist
// files stay tsc's: the package's `.` export, declarations, and trace's preloaded marker. In the
// bundle, `import.meta.url` of a CLI module still means its tsc-built file (dist/<same path>.js), so
// paths relative to it (trace's marker) resolve as they do unbundled.
await build({
  ...shared,
  entryPoints: ['packages/cli/src/bin.ts'],
  outfile: 'packages/cli/dist/bin.js',
  allowOverwrite: true,
  // ts-morph is `trace --write`'s alone, loaded when it writes.
  external: ['@syscage/core', '@syscage/runtime', 'ffi-rs', 'ts-morph'],
  // commander is CommonJS and requires only Node's built-in modules.
  banner: { js: "const require = (id) => process.getBuiltinModule(id) ?? process.getBuiltinModule('node:module').createRequire(import.meta.url)(id);" },
  plugins: [
    {
      // core's kernel constants (@syscage/core/constants, used by exec's start-up rules) are a few
      // numbers: copied into the bundle, not one more module to load in front of every command.
      name: 'inline-core-constants',
      setup(b) {
        b.onResolve({ filter: /^@syscage\/core\/constants$/ }, () => ({ path: fileURLToPath(new URL('../packages/core/src/catalog/constants.ts', import.meta.url)) }));
      },
    },
    {
      // commander requires child_process when it loads, for executable sub-commands (syscage has
      // none): a few ms of every start. Here it gets the module on first use instead.
      name: 'lazy-child-process',
      setup(b) {
        b.onResolve({ filter: /^node:child_process$/ }, (args) => (args.importer.includes('/commander/') ? { path: args.path, namespace: 'lazy-builtin' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
          contents: `module.exports = new Proxy({}, { get: (_, key) => process.getBuiltinModule(${JSON.stringify(args.path)})[key] });`,
          loader: 'js',
        }));
      },
    },
    {
      name: 'cli-module-url',
      setup(b) {
        b.onLoad({ filter: /packages\/cli\/src\/.*\.ts$/ }, (args) => {
          const source = readFileSync(args.path, 'utf8');
          if (!source.includes('import.meta.url')) return undefined;
          const built = `./${relative('packages/cli/src', args.path).replace(/\.ts$/, '.js')}`;
          return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(built)}, import.meta.url).href`), loader: 'ts' };
        });
      },
    },
  ],
});
