// Replaces @syscage/plugin's per-bundler entries (dist/rollup.js, …; tsc's output) with bundled
// modules: a cold build pays for every module the plugin loads, and unplugin's index loads the
// adapter of every bundler it supports, with their dependencies (some 40 ms). Each entry hands its
// own bundler's adapter the plugin (see src/factory.ts); the code the entries share is inlined
// once, into one chunk under dist/chunks/ (ES module code splitting) that they all import: the
// plugin's own code, `@syscage/core` (its four modules cost ≈ 4 ms more to load than inlined; its
// SyscageError recognises every copy), magic-string, and unplugin's helpers and adapters (one
// module, so all six; they do nothing when loaded). Against one self-contained file per entry,
// this costs an entry ≈ 2–3 ms more to load and keeps the package at ≈ 0.6 MB instead of six copies.
// oxc-parser (native, loaded on the first declaration a bundler cannot parse itself) and the
// bundlers stay imports. dist/index.js (the unplugin instance for every bundler, and the tools'
// API) and the declarations stay tsc's. The bundles' source maps (≈ 0.7 MB) only on request.
//   node scripts/bundle-plugin.mjs [--sourcemap]   (run by `pnpm build` after tsc and scripts/bundle.mjs)
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PACKAGE_BUNDLE } from './bundle-options.mjs';

const plugin = fileURLToPath(new URL('../packages/plugin/', import.meta.url));
const ENTRIES = ['esbuild', 'vite', 'rollup', 'webpack', 'rspack', 'rolldown'];
const EXTERNAL = ['@syscage/runtime', 'oxc-parser', 'esbuild', 'vite', 'rollup', 'rolldown', 'webpack', '@rspack/core'];

/**
 * unplugin's modules find their webpack and Rspack loaders, and `require` their own dependencies
 * (webpack-virtual-modules), relative to themselves through `import.meta`. Inlined, they would
 * look beside the plugin's dist files instead; this points them back at the installed unplugin,
 * which the plugin depends on for exactly that (and for the transform loader the webpack glue uses).
 */
const UNPLUGIN_FILE = /[\\/]unplugin[\\/]dist[\\/](.*\.mjs)$/;
const unpluginMeta = {
  name: 'unplugin-meta',
  setup(b) {
    b.onLoad({ filter: UNPLUGIN_FILE }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!/\bimport\.meta\b/.test(source)) return undefined;
      // The module's place relative to unplugin's main entry, dist/index.mjs.
      const self = (UNPLUGIN_FILE.exec(args.path)?.[1] ?? '').replaceAll('\\', '/');
      const contents = source.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, key) => `__unpluginMeta.${key}`);
      if (/\bimport\.meta\b/.test(contents)) throw new Error(`${args.path} uses import.meta in a way scripts/bundle-plugin.mjs does not redirect.`);
      const prelude = [
        "import { unpluginDist as __unpluginDist } from 'unplugin-meta:dist';",
        "import { dirname as __unpluginDirname, join as __unpluginJoin } from 'node:path';",
        "import { pathToFileURL as __unpluginPathToFileURL } from 'node:url';",
        `const __unpluginFile = __unpluginJoin(__unpluginDist, ${JSON.stringify(self)});`,
        'const __unpluginMeta = { url: __unpluginPathToFileURL(__unpluginFile).href, filename: __unpluginFile, dirname: __unpluginDirname(__unpluginFile) };',
      ].join('\n');
      return { contents: `${prelude}\n${contents}`, loader: 'js', resolveDir: dirname(args.path) };
    });
    // The installed unplugin's dist directory, resolved once for all the inlined modules.
    b.onResolve({ filter: /^unplugin-meta:dist$/ }, (args) => ({ path: args.path, namespace: 'unplugin-meta' }));
    b.onLoad({ filter: /.*/, namespace: 'unplugin-meta' }, () => ({
      contents: "import { createRequire } from 'node:module';\nimport { dirname } from 'node:path';\nexport const unpluginDist = dirname(createRequire(import.meta.url).resolve('unplugin'));",
      loader: 'js',
      resolveDir: plugin,
    }));
  },
};

/**
 * unplugin's webpack and Rspack helpers `import process from 'node:process'`. In the chunk every
 * entry loads, that import would cost every bundler ≈ 6 ms: Node builds the module's namespace
 * by reading every property of `process`, which loads the lazily defined ones. The global is the
 * same object.
 */
const processGlobal = {
  name: 'process-global',
  setup(b) {
    b.onResolve({ filter: /^(node:)?process$/ }, (args) => ({ path: args.path, namespace: 'process-global' }));
    b.onLoad({ filter: /.*/, namespace: 'process-global' }, () => ({ contents: 'export default process;', loader: 'js' }));
  },
};

const sourcemap = process.argv.includes('--sourcemap');
// Chunk names carry a content hash, and a build without maps must not leave an earlier build's
// maps beside it: both would otherwise be packed.
await rm(join(plugin, 'dist/chunks'), { recursive: true, force: true });
await Promise.all(ENTRIES.map((name) => rm(join(plugin, `dist/${name}.js.map`), { force: true })));
const { metafile } = await build({
  absWorkingDir: plugin,
  metafile: true,
  entryPoints: ENTRIES.map((name) => `src/${name}.ts`),
  outdir: 'dist',
  allowOverwrite: true,
  ...PACKAGE_BUNDLE,
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap,
  external: EXTERNAL,
  plugins: [unpluginMeta, processGlobal],
});

/**
 * The inlined packages' licences travel with the bundles (MIT and the like ask that their notice
 * stays with every copy; none of them carries a legal comment esbuild could keep):
 * dist/THIRD-PARTY-NOTICES.md names each package inlined from node_modules, with its licence text.
 */
const packageDirs = new Set();
for (const input of Object.keys(metafile.inputs)) {
  const match = /^(.*node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(input.replaceAll('\\', '/'));
  if (match) packageDirs.add(join(plugin, match[1]));
}
const notices = [];
for (const dir of [...packageDirs].sort()) {
  const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  const licenceFile = (await readdir(dir)).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  if (!licenceFile) throw new Error(`${manifest.name} is inlined into @syscage/plugin's bundles but ships no licence file to reproduce.`);
  notices.push(`## ${manifest.name} ${manifest.version} (${manifest.license})\n\n\`\`\`\n${(await readFile(join(dir, licenceFile), 'utf8')).trim()}\n\`\`\`\n`);
}
await writeFile(join(plugin, 'dist/THIRD-PARTY-NOTICES.md'), `# Third-party code in @syscage/plugin's bundled entries\n\nThe per-bundler entries (dist/esbuild.js, dist/vite.js, …) and the chunks they share (dist/chunks/) inline code from these packages.\n\n${[...new Set(notices)].join('\n')}`);
