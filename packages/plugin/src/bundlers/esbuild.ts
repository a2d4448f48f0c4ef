/**
 * Glue for esbuild: entries from `entryPoints`, a metafile (turned on if the config did not ask
 * for one) to map outputs to entries and to walk the module graph, and in `onEnd` the manifest
 * written beside each sandboxed output and the lint findings added to the result.
 */

import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { BuildOptions, Metafile, PluginBuild } from 'esbuild';
import type { BuildState } from '../core/build-state.ts';
import type { ModuleGraph } from '../core/lint.ts';

/** The graph from the metafile; without `splitting`, esbuild inlines dynamic imports, so none reads a chunk. */
function graphOf(metafile: Metafile, cwd: string, splitting: boolean): ModuleGraph {
  const inputs = new Map(Object.entries(metafile.inputs).map(([path, input]) => [resolve(cwd, path), input]));
  return (id) =>
    (inputs.get(id)?.imports ?? []).map((edge) => ({
      id: edge.external ? (edge.original ?? edge.path) : resolve(cwd, edge.path),
      dynamic: splitting && edge.kind === 'dynamic-import',
    }));
}

/**
 * The `esbuild` escape hatch of the unplugin.
 * @example
 * createUnplugin(() => ({ name: 'syscage', esbuild: esbuildHooks(state) }));
 */
export function esbuildHooks(state: BuildState): { config: (options: BuildOptions) => void; setup: (build: PluginBuild) => void } {
  return {
    config(options) {
      state.entries.clear();
      state.entries.add(options.entryPoints, options.absWorkingDir ?? process.cwd());
      options.metafile = true;
    },
    setup(build) {
      build.onEnd((result) => {
        if (!result.metafile) return;
        const cwd = build.initialOptions.absWorkingDir ?? process.cwd();
        for (const [out, output] of Object.entries(result.metafile.outputs)) {
          const entry = output.entryPoint ? state.sandboxedEntry(resolve(cwd, output.entryPoint)) : undefined;
          if (!entry) continue;
          const file = resolve(cwd, out);
          const report = state.reportOutput(entry, file, graphOf(result.metafile, cwd, build.initialOptions.splitting === true));
          if (report.manifest && build.initialOptions.write !== false) writeFileSync(join(dirname(file), report.manifest.fileName), report.manifest.source);
          // esbuild ignores errors added to the result here; throwing fails the build.
          if (report.fatal) throw new Error(report.findings.map((finding) => finding.message).join('\n'));
          result.warnings.push(...report.findings.map((finding) => ({ id: finding.kind, pluginName: 'syscage', text: finding.message, location: null, notes: [], detail: undefined })));
        }
      });
    },
  };
}
