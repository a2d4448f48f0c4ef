/**
 * Glue for Rollup, Rolldown and Vite (all speak Rollup's plugin API): entries from the `options`
 * hook's `input`, entry-ness from the module info, and in `generateBundle` the gate in front of
 * each sandboxed entry chunk (its code and source map edited in place, the gate module beside it;
 * the gated code then moves beside a launcher where it can, see core/gate.ts),
 * the manifest, and the lint, which reads the module graph only when the chunks' external imports
 * and locations leave something to find. The transform's code filter is a native hook filter
 * here, so modules that do not name the runtime never reach JavaScript. Nothing here reads
 * declarations.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { SyscageError } from '@syscage/core';
import type { BuildState } from '../core/build-state.ts';
import { insertGate, isGated, type MapLike, type OutputFormat } from '../core/gate.ts';
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
  code?: string;
  map?: MapLike | null;
  readonly sourcemapFileName?: string | null;
  source?: string | Uint8Array;
  /** Imported chunk file names and external specifiers. */
  readonly imports?: readonly string[];
  /** The chunk's export names. */
  readonly exports?: readonly string[];
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
    buildStart() {
      state.startBuild();
    },
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
    async generateBundle(this: RollupContextLike, output: { dir?: string; file?: string; format?: string }, bundle: Record<string, ChunkLike>) {
      const dir = output.dir ?? (output.file ? dirname(output.file) : process.cwd());
      state.startOutput();
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunk.isEntry) continue;
        const entry = await state.sandboxedEntry(chunk.facadeModuleId);
        if (!entry) continue;
        const format = formatOf(output.format, entry.source.location);
        const split = {
          code: chunk.code ?? '',
          exportsBindings: (chunk.exports?.length ?? 0) > 0,
          importedByOthers: () => Object.values(bundle).some((other) => other !== chunk && [...(other.imports ?? []), ...(other.dynamicImports ?? [])].includes(chunk.fileName)),
          taken: (name: string) => bundle[join(dirname(chunk.fileName), name)] !== undefined,
        };
        const report = state.reportOutput(entry, resolve(dir, chunk.fileName), { ...outputFacts(bundle, chunk, dir), graph: () => graphOf(this), format, split });
        const files = [{ fileName: join(dirname(chunk.fileName), report.gate.fileName), source: report.gate.source }];
        if (report.manifest) files.push({ fileName: join(dirname(chunk.fileName), report.manifest.fileName), source: report.manifest.source });
        gateChunk(chunk, bundle, report.gate.fileName, format);
        if (report.launch) {
          // The gated program moves beside the chunk (its source map comment and map asset stay
          // as they are); the chunk's file becomes the launcher.
          files.push({ fileName: join(dirname(chunk.fileName), report.launch.programFileName), source: chunk.code ?? '' });
          chunk.code = report.launch.launcher;
          chunk.map = null;
        }
        for (const file of files) {
          if (writeManifests) pending.push({ file: resolve(dir, file.fileName), source: file.source });
          else this.emitFile({ type: 'asset', ...file });
        }
        if (report.fatal) this.error(report.findings.map((finding) => finding.message).join('\n'));
        for (const finding of report.findings) this.warn(finding.message);
      }
      try {
        state.checkAllGated();
      } catch (error) {
        this.error((error as Error).message);
      }
      for (const text of state.unusedEntryKeys()) this.warn(text);
    },
  };
}

/** How Node loads an output of Rollup's `format`; other formats cannot carry a gate. */
function formatOf(format: string | undefined, location: { file: string; line: number; column: number }): OutputFormat {
  if (format === undefined || format === 'es' || format === 'esm' || format === 'module') return 'esm';
  if (format === 'cjs' || format === 'commonjs') return 'cjs';
  throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', location, message: `@syscage/plugin: a sandboxed entry cannot be built to the \`${format}\` output format.`, hint: "Build it with `format: 'es'` or `format: 'cjs'`, the formats Node runs." });
}

/** Puts the gate in front of `chunk` and moves its source map (the object and the `.map` asset) along. */
function gateChunk(chunk: ChunkLike, bundle: Record<string, ChunkLike>, gateFile: string, format: OutputFormat): void {
  const code = chunk.code ?? '';
  if (isGated(code, gateFile, format)) return;
  const gated = insertGate(code, gateFile, format);
  chunk.code = gated.code;
  if (chunk.map) chunk.map.mappings = gated.shiftMappings(chunk.map.mappings);
  const asset = bundle[chunk.sourcemapFileName ?? `${chunk.fileName}.map`];
  if (asset?.type === 'asset' && asset.source !== undefined) {
    const map = JSON.parse(typeof asset.source === 'string' ? asset.source : Buffer.from(asset.source).toString('utf8')) as MapLike;
    map.mappings = gated.shiftMappings(map.mappings);
    asset.source = JSON.stringify(map);
  }
}

/** What a Rollup-family bundler says about `id` being an entry, if it can say. */
export function rollupIsEntry(native: { framework: string; context?: unknown } | undefined, id: string): boolean | undefined {
  if (!native || !['rollup', 'rolldown', 'vite'].includes(native.framework)) return undefined;
  const info = (native.context as Partial<RollupContextLike> | undefined)?.getModuleInfo?.(id);
  return typeof info?.isEntry === 'boolean' ? info.isEntry : undefined;
}
