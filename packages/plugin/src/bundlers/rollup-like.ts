/**
 * Glue for Rollup, Rolldown and Vite (all speak Rollup's plugin API): entries from the `options`
 * hook's `input`, entry-ness from the module info, and in `generateBundle` the manifest beside each
 * sandboxed entry chunk and the lint, which reads the module graph only when the chunks' external
 * imports and locations leave something to find. The transform's code filter is a native hook
 * filter here, so modules that do not name the runtime never reach JavaScript. Nothing here reads
 * declarations.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildState } from '../core/build-state.ts';
import type { ModuleGraph } from '../core/lint.ts';

interface ModuleInfoLike {
  readonly isEntry?: boolean;
  readonly importedIds?: readonly string[];
  readonly dynamicallyImportedIds?: readonly string[];
}
interface ChunkLike {
  readonly type: 'chunk' | 'asset';
  readonly isEntry?: boolean;
  readonly facadeModuleId?: string | null;
  readonly fileName: string;
  /** Imported chunk file names and external specifiers. */
  readonly imports?: readonly string[];
  readonly dynamicImports?: readonly string[];
}
interface RollupContextLike {
  getModuleInfo(id: string): ModuleInfoLike | null;
  emitFile(file: { type: 'asset'; fileName: string; source: string }): string;
  warn(message: string): void;
  error(message: string): never;
}

/** The module graph as Rollup's module info describes it. */
function graphOf(context: RollupContextLike): ModuleGraph {
  return (id) => {
    const info = context.getModuleInfo(id);
    return [...(info?.importedIds ?? []).map((to) => ({ id: to, dynamic: false })), ...(info?.dynamicallyImportedIds ?? []).map((to) => ({ id: to, dynamic: true }))];
  };
}

/** The externals of `entry`'s chunk and of every chunk it loads, and those chunks outside the program's directory. */
function outputFacts(bundle: Record<string, ChunkLike>, entry: ChunkLike, dir: string): { externals: string[]; chunksOutside: string[] } {
  const externals: string[] = [];
  const chunksOutside: string[] = [];
  const programDir = dirname(resolve(dir, entry.fileName));
  const seen = new Set([entry.fileName]);
  for (const fileName of seen) {
    const chunk = bundle[fileName];
    for (const id of [...(chunk?.imports ?? []), ...(chunk?.dynamicImports ?? [])]) {
      if (bundle[id] === undefined) externals.push(id);
      else if (!seen.has(id)) {
        seen.add(id);
        if (relative(programDir, resolve(dir, id)).startsWith('..')) chunksOutside.push(id);
      }
    }
  }
  return { externals, chunksOutside };
}

/**
 * The native hooks unplugin merges into the Rollup, Rolldown and Vite plugins.
 * @param writeManifests Write manifests to disk in `writeBundle` instead of emitting them as
 * assets: Vite drops assets from SSR builds unless `build.ssrEmitAssets` is set.
 * @example
 * createUnplugin(() => ({ name: 'syscage', rollup: rollupLikeHooks(state) }));
 */
export function rollupLikeHooks(state: BuildState, writeManifests = false): Record<string, unknown> {
  let pending: Array<{ file: string; source: string }> = [];
  return {
    writeBundle() {
      for (const { file, source } of pending) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, source);
      }
      pending = [];
    },
    options(options: { input?: unknown }) {
      state.entries.clear();
      state.entries.add(options.input, process.cwd());
      return null;
    },
    generateBundle(this: RollupContextLike, output: { dir?: string; file?: string }, bundle: Record<string, ChunkLike>) {
      const dir = output.dir ?? (output.file ? dirname(output.file) : process.cwd());
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const entry = state.sandboxedEntry(chunk.facadeModuleId);
        if (!entry) continue;
        const report = state.reportOutput(entry, resolve(dir, chunk.fileName), { ...outputFacts(bundle, chunk, dir), graph: () => graphOf(this) });
        const manifest = report.manifest ? { fileName: join(dirname(chunk.fileName), report.manifest.fileName), source: report.manifest.source } : undefined;
        if (manifest && writeManifests) pending.push({ file: resolve(dir, manifest.fileName), source: manifest.source });
        else if (manifest) this.emitFile({ type: 'asset', ...manifest });
        if (report.fatal) this.error(report.findings.map((finding) => finding.message).join('\n'));
        for (const finding of report.findings) this.warn(finding.message);
      }
    },
  };
}

/** What a Rollup-family bundler says about `id` being an entry, if it can say. */
export function rollupIsEntry(native: { framework: string; context?: unknown } | undefined, id: string): boolean | undefined {
  if (!native || !['rollup', 'rolldown', 'vite'].includes(native.framework)) return undefined;
  const info = (native.context as Partial<RollupContextLike> | undefined)?.getModuleInfo?.(id);
  return typeof info?.isEntry === 'boolean' ? info.isEntry : undefined;
}
