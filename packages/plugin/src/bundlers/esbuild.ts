/**
 * Glue for esbuild, on esbuild's own plugin API rather than unplugin's generic hooks: unplugin's
 * esbuild adapter registers catch-all (`.*`) `onResolve` and `onLoad` callbacks, one round trip
 * between esbuild and JavaScript per module, which cost more than everything else the plugin does.
 * Here esbuild calls JavaScript only for the entries (to transform them), for the loader module,
 * and for the modules that import `@syscage/runtime` (a declaration outside an entry must fail the
 * build). Entries come from `entryPoints`; a metafile (turned on if the config did not ask for one)
 * maps outputs to entries and feeds the lint; `onEnd` writes the manifest beside each sandboxed
 * output and adds the lint findings to the result.
 */

import { readFile, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve } from 'node:path';
import type { Loader, Metafile, OnLoadResult, PluginBuild } from 'esbuild';
import type { BuildState } from '../core/build-state.ts';
import type { ModuleGraph } from '../core/lint.ts';
import { LOADER_ID_FILTER, LOADER_SPECIFIER_PREFIX, resolveLoaderId } from '../core/loader.ts';
import { RUNTIME_MODULE } from '../core/scan/scan.ts';
import { exactPathPattern } from './entries.ts';

const NAMESPACE = 'syscage';
const LOADERS: Readonly<Record<string, Loader>> = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' };
const escape = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** The graph from the metafile; without `splitting`, esbuild inlines dynamic imports, so none reads a chunk. */
function graphOf(metafile: Metafile, cwd: string, splitting: boolean): ModuleGraph {
  const inputs = new Map(Object.entries(metafile.inputs).map(([path, input]) => [resolve(cwd, path), input]));
  return (id) =>
    (inputs.get(id)?.imports ?? []).map((edge) => ({
      id: edge.external ? (edge.original ?? edge.path) : resolve(cwd, edge.path),
      dynamic: splitting && edge.kind === 'dynamic-import',
    }));
}

/** The external specifiers of `out` and of the chunks it imports, and those chunks outside the program's directory. */
function outputFacts(metafile: Metafile, cwd: string, out: string): { externals: string[]; chunksOutside: string[] } {
  const externals: string[] = [];
  const chunksOutside: string[] = [];
  const programDir = dirname(resolve(cwd, out));
  const seen = new Set([out]);
  for (const file of seen) {
    for (const edge of metafile.outputs[file]?.imports ?? []) {
      if (edge.external) externals.push(edge.path);
      else if (!seen.has(edge.path)) {
        seen.add(edge.path);
        if (relative(programDir, resolve(cwd, edge.path)).startsWith('..')) chunksOutside.push(edge.path);
      }
    }
  }
  return { externals, chunksOutside };
}

/**
 * The `esbuild` escape hatch of the unplugin: the whole esbuild plugin.
 * @example
 * createUnplugin(() => ({ name: 'syscage', esbuild: esbuildHooks(state) }));
 */
export function esbuildHooks(state: BuildState): { setup: (build: PluginBuild) => void } {
  return {
    setup(build) {
      const options = build.initialOptions;
      const cwd = options.absWorkingDir ?? process.cwd();
      state.entries.clear();
      state.entries.add(options.entryPoints, cwd);
      options.metafile = true;
      const entries = state.entryFiles();
      // Without a list of entries (stdin, say) every module goes through the text check.
      const filter = entries === undefined ? /.*/ : exactPathPattern(entries);

      // esbuild prints a module's namespace and path into the bundle (`// syscage:src/…`): the
      // loader's path is relative to the working directory, as esbuild prints files, so no build
      // machine's directory ships in the output.
      build.onResolve({ filter: new RegExp(`^${escape(LOADER_SPECIFIER_PREFIX)}`) }, (args) => ({ path: relative(cwd, resolveLoaderId(args.path, args.importer || undefined, state.options.root) ?? args.path), namespace: NAMESPACE }));
      build.onLoad({ filter: LOADER_ID_FILTER, namespace: NAMESPACE }, (args) => ({ contents: state.loadLoader(args.path) ?? '', loader: 'js', resolveDir: dirname(resolve(cwd, args.path)) }));
      build.onLoad({ filter, namespace: 'file' }, async (args): Promise<OnLoadResult | undefined> => {
        const code = await readFile(args.path, 'utf8');
        const out = await state.transform(code, args.path, entries === undefined ? undefined : true);
        return out ? { contents: out.code + sourceMapComment(out.map), loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) } : undefined;
      });
      if (entries !== undefined) {
        build.onResolve({ filter: new RegExp(`^${escape(RUNTIME_MODULE)}$`) }, async (args) => {
          if (args.importer && args.namespace === 'file' && !filter.test(args.importer)) await state.checkNonEntry(args.importer);
          return undefined;
        });
      }

      build.onEnd(async (result) => {
        if (!result.metafile) return;
        for (const [out, output] of Object.entries(result.metafile.outputs)) {
          const entry = output.entryPoint ? state.sandboxedEntry(resolve(cwd, output.entryPoint)) : undefined;
          if (!entry) continue;
          const file = resolve(cwd, out);
          const facts = outputFacts(result.metafile, cwd, out);
          const metafile = result.metafile;
          const report = state.reportOutput(entry, file, { ...facts, graph: () => graphOf(metafile, cwd, options.splitting === true) });
          if (report.manifest && options.write !== false) await writeFile(join(dirname(file), report.manifest.fileName), report.manifest.source);
          // esbuild ignores errors added to the result here; throwing fails the build.
          if (report.fatal) throw new Error(report.findings.map((finding) => finding.message).join('\n'));
          result.warnings.push(...report.findings.map((finding) => ({ id: finding.kind, pluginName: 'syscage', text: finding.message, location: null, notes: [], detail: undefined })));
        }
      });
    },
  };
}

/** An inline source map, so esbuild maps the rewritten entry back to the original. */
function sourceMapComment(map: { toUrl(): string }): string {
  return `\n//# sourceMappingURL=${map.toUrl()}\n`;
}
