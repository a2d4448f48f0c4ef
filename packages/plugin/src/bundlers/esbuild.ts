/**
 * Glue for esbuild, on esbuild's own plugin API rather than unplugin's generic hooks: unplugin's
 * esbuild adapter registers catch-all (`.*`) `onResolve` and `onLoad` callbacks, one round trip
 * between esbuild and JavaScript per module, which cost more than everything else the plugin does.
 * Here esbuild calls JavaScript only for the entries (to transform them) and for the imports of
 * `@syscage/runtime` (left external; a declaration outside an entry must fail the build). Entries
 * come from `entryPoints`; a metafile (turned on if the config did not ask for one) maps outputs
 * to entries and feeds the lint; `onEnd` puts the gate in front of each sandboxed output (on disk,
 * or in `outputFiles` with `write: false`), moves it beside a launcher where it can (core/gate.ts),
 * writes the gate module and the manifest beside it, and adds the lint findings to the result.
 */

import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import type { BuildOptions, BuildResult, Loader, Metafile, OnLoadResult, OutputFile, PartialMessage, PluginBuild } from 'esbuild';
import { SyscageError } from '@syscage/core';
import type { BuildState } from '../core/build-state.ts';
import { diagnosticOf } from '../core/diagnostics.ts';
import { RUNTIME_ID, insertGate, isGated, isLauncher, nearestPackageType, programFileName, type MapLike, type OutputFormat } from '../core/gate.ts';
import type { ModuleGraph } from '../core/lint.ts';
import { RUNTIME_MODULE } from '../core/scan/scan.ts';
import { exactPathPattern } from '../core/entries.ts';

const LOADERS: Readonly<Record<string, Loader>> = { '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx' };

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

      build.onStart(() => state.startBuild());
      const reported = <T>(run: () => Promise<T>) => async (): Promise<T | { errors: PartialMessage[] }> => {
        try {
          return await run();
        } catch (error) {
          const message = toMessage(error, state.options.root);
          if (message === undefined) throw error;
          return { errors: [message] };
        }
      };
      build.onLoad({ filter, namespace: 'file' }, (args) =>
        reported(async (): Promise<OnLoadResult | undefined> => {
          const code = await readFile(args.path, 'utf8');
          const out = await state.transform(code, args.path, entries === undefined ? undefined : true);
          return out ? { contents: out.code + sourceMapComment(out.map), loader: LOADERS[extname(args.path)] ?? 'js', resolveDir: dirname(args.path) } : undefined;
        })(),
      );
      // The program loads the installed runtime, the one its gate loads (see core/gate.ts), never a copy.
      build.onResolve({ filter: RUNTIME_ID }, (args) =>
        reported(async () => {
          if (entries !== undefined && args.path === RUNTIME_MODULE && args.importer && args.namespace === 'file' && !filter.test(args.importer)) await state.checkNonEntry(args.importer);
          return { path: args.path, external: true };
        })(),
      );

      const finish = async (result: BuildResult): Promise<undefined | { errors: PartialMessage[] }> => {
        if (!result.metafile) return undefined;
        state.startOutput();
        const files = new OutputFiles(result.outputFiles);
        for (const [out, output] of Object.entries(result.metafile.outputs)) {
          const entry = output.entryPoint ? await state.sandboxedEntry(resolve(cwd, output.entryPoint)) : undefined;
          if (!entry) continue;
          const file = resolve(cwd, out);
          const facts = outputFacts(result.metafile, cwd, out);
          const metafile = result.metafile;
          const format = formatOf(options, file);
          // An output split in an earlier build and left unchanged by esbuild: the program is beside it.
          const program = join(dirname(file), programFileName(basename(file)));
          const written = await files.read(file);
          if (written !== undefined && isLauncher(written)) {
            const gated = await files.read(program);
            if (gated === undefined) throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', location: entry.source.location, message: `@syscage/plugin: ${relative(cwd, file)} is a launcher from an earlier build, and the program it starts (${basename(program)}) is gone.`, hint: 'Delete the output and build again.' });
            await files.add(file, gated);
          }
          const code = (await files.read(file)) ?? '';
          const split = {
            code,
            exportsBindings: output.exports.length > 0,
            importedByOthers: () => Object.entries(metafile.outputs).some(([other, meta]) => other !== out && meta.imports.some((edge) => edge.path === out)),
            taken: (name: string): boolean => Object.hasOwn(metafile.outputs, relative(cwd, join(dirname(file), name))),
          };
          const report = state.reportOutput(entry, file, { ...facts, graph: () => graphOf(metafile, cwd, options.splitting === true), format, split });
          // Gated first: a failed build's output on disk still cannot run unsandboxed.
          await files.gate(file, report.gate.fileName, format);
          await files.add(join(dirname(file), report.gate.fileName), report.gate.source);
          if (report.launch) {
            await files.add(program, (await files.read(file)) ?? '');
            await files.add(file, report.launch.launcher);
          } else {
            await files.remove(program);
          }
          if (report.fatal) return { errors: report.findings.map((finding) => ({ id: finding.kind, text: finding.message })) };
          if (report.manifest && options.write !== false) await writeFile(join(dirname(file), report.manifest.fileName), report.manifest.source);
          result.warnings.push(...report.findings.map((finding) => ({ id: finding.kind, pluginName: 'syscage', text: finding.message, location: null, notes: [], detail: undefined })));
        }
        state.checkAllGated();
        result.warnings.push(...state.unusedEntryKeys().map((text) => ({ id: 'unused-entry', pluginName: 'syscage', text, location: null, notes: [], detail: undefined })));
        return undefined;
      };
      build.onEnd((result) => reported(() => finish(result))());
    },
  };
}

/**
 * How Node loads `file`: esbuild's `format`, or without one what esbuild picks for Node (CommonJS
 * when bundling for Node, ES modules for `.mjs` output); an `iife` runs as whatever its file is.
 */
function formatOf(options: BuildOptions, file: string): OutputFormat {
  if (options.format === 'esm') return 'esm';
  if (options.format === 'cjs') return 'cjs';
  if (file.endsWith('.mjs')) return 'esm';
  if (file.endsWith('.cjs') || options.format === undefined) return 'cjs';
  return nearestPackageType(file) === 'module' ? 'esm' : 'cjs';
}

/** esbuild's outputs at `onEnd`: written files on disk, or `outputFiles` under `write: false`. */
class OutputFiles {
  readonly #memory: OutputFile[] | undefined;

  constructor(memory: OutputFile[] | undefined) {
    this.#memory = memory;
  }

  /** Puts the gate in front of `file` and moves its source map (a `.map` file beside it, or inline) along. */
  async gate(file: string, gateFile: string, format: OutputFormat): Promise<void> {
    const code = await this.#read(file);
    if (code === undefined || isGated(code, gateFile, format)) return;
    const gated = insertGate(code, gateFile, format);
    await this.#write(file, gated.code);
    const map = await this.#read(`${file}.map`);
    if (map === undefined) return;
    const json = JSON.parse(map) as MapLike;
    json.mappings = gated.shiftMappings(json.mappings);
    await this.#write(`${file}.map`, JSON.stringify(json));
  }

  /** Adds (or replaces) a file beside the outputs. */
  async add(file: string, text: string): Promise<void> {
    await this.#write(file, text);
  }

  /** Removes a file a plugin wrote in an earlier build, if it is there. */
  async remove(file: string): Promise<void> {
    if (!this.#memory) return rm(file, { force: true });
    const at = this.#memory.findIndex((existing) => existing.path === file);
    if (at !== -1) this.#memory.splice(at, 1);
  }

  /** An output's text, if it exists. */
  read(file: string): Promise<string | undefined> {
    return this.#read(file);
  }

  async #read(file: string): Promise<string | undefined> {
    if (this.#memory) return this.#memory.find((output) => output.path === file)?.text;
    return existsSync(file) ? readFile(file, 'utf8') : undefined;
  }

  async #write(file: string, text: string): Promise<void> {
    if (!this.#memory) return writeFile(file, text);
    const contents = new TextEncoder().encode(text);
    const output: OutputFile = { path: file, contents, hash: '', get text() { return text; } };
    const at = this.#memory.findIndex((existing) => existing.path === file);
    if (at === -1) this.#memory.push(output);
    else this.#memory[at] = output;
  }
}

/** esbuild's message for a syscage error (location columns are 0-based there), or undefined for any other error. */
function toMessage(error: unknown, root: string): PartialMessage | undefined {
  const diagnostic = diagnosticOf(error, root);
  if (diagnostic === undefined) return undefined;
  const at = diagnostic.location;
  return { text: diagnostic.text, location: at ? { file: at.file, line: at.line, column: at.column - 1, lineText: at.lineText } : null };
}

/** An inline source map, so esbuild maps the rewritten entry back to the original. */
function sourceMapComment(map: { toUrl(): string }): string {
  return `\n//# sourceMappingURL=${map.toUrl()}\n`;
}
