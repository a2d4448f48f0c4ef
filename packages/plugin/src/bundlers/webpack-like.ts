/**
 * Glue for webpack 5 and Rspack, on the compiler's own API rather than unplugin's generic hooks
 * (which call JavaScript for every module and dependency; in Rspack each call crosses from Rust).
 * Entries come from `compiler.options.entry`; a module rule with a `test` pattern (matched inside
 * the bundler) sends only the entries through JavaScript, and `@syscage/runtime` stays external.
 * Once all modules are built, the script files that changed since the last build are checked (a
 * non-entry that declares a sandbox fails the build) and, if any changed, the module graph is read
 * again. In `processAssets`, after minification and before source maps are made, each sandboxed
 * entry's initial JavaScript files get the gate in front (the gate module and the manifest go
 * beside them; the gated entry file then moves beside a launcher where it can, see
 * core/gate.ts) and the lint runs over that graph (where the bundler exposes outgoing
 * connections). Typed structurally, so it depends on neither bundler's types.
 */

import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import type { BuildState } from '../core/build-state.ts';
import { RUNTIME_ID, insertionPoint, gateStatement, mentionsFile, type OutputFormat } from '../core/gate.ts';
import { withoutStack } from '../core/diagnostics.ts';
import type { GraphImport, ModuleGraph } from '../core/lint.ts';
import { cleanId } from '../core/transform.ts';
import { exactPathPattern, resolveFile } from '../core/entries.ts';

const NAME = 'syscage';
const require = createRequire(import.meta.url);
const SCRIPT_FILE = /\.[cm]?[jt]sx?$/;
const OUTPUT_SCRIPT = /\.[cm]?js$/;
/**
 * How webpack and Rspack end an ES module output whose entry exports bindings (`library: { type:
 * 'module' }`): one `export { … }` statement, last (before comments); an entry without exports
 * gets none.
 */
const TRAILING_EXPORT = /\bexport\s*\{\s*[^\s}][^}]*\}\s*;?\s*(?:\/\/[^\n]*\s*|\/\*(?:[^*]|\*(?!\/))*\*\/\s*)*$/;

interface ModuleLike {
  readonly resource?: string;
  readonly matchResource?: string | undefined;
  readonly request?: unknown;
  readonly userRequest?: unknown;
  identifier(): string;
}
interface ConnectionLike {
  readonly module: ModuleLike | null;
  readonly dependency?: { readonly type?: string } | null;
}
interface ChunkLike {
  readonly files: Iterable<string>;
  getAllAsyncChunks(): Iterable<ChunkLike>;
}
interface SourceLike {
  source(): string | Buffer;
}
interface EntrypointLike {
  getFiles(): readonly string[];
  getEntrypointChunk(): ChunkLike;
  readonly chunks: Iterable<ChunkLike>;
}
interface CompilationLike {
  readonly entrypoints: ReadonlyMap<string, EntrypointLike>;
  readonly modules: Iterable<ModuleLike>;
  readonly fileDependencies: Iterable<string>;
  readonly moduleGraph?: { getOutgoingConnections?(module: ModuleLike): Iterable<ConnectionLike> };
  readonly outputOptions: { readonly path?: string; readonly module?: boolean; readonly library?: unknown };
  readonly errors: unknown[];
  readonly warnings: unknown[];
  readonly hooks: {
    processAssets: { tapPromise(options: { name: string; stage: number }, fn: () => Promise<void>): void };
  };
  emitAsset(file: string, source: unknown): void;
  getAsset(file: string): { readonly source: SourceLike } | undefined;
  getAssets(): ReadonlyArray<{ readonly name: string; readonly source: SourceLike }>;
  updateAsset(file: string, update: (source: SourceLike) => unknown): void;
}
/** The parts of a webpack or Rspack compiler the glue uses. */
export interface CompilerLike {
  readonly options: { readonly context?: string; readonly entry?: unknown; readonly module: { readonly rules: unknown[] }; readonly output: { readonly module?: boolean } };
  /** In watch mode, the files changed since the last build. */
  readonly modifiedFiles?: ReadonlySet<string> | undefined;
  readonly hooks: {
    thisCompilation: { tap(name: string, fn: (compilation: CompilationLike) => void): void };
    finishMake: { tapPromise(name: string, fn: (compilation: CompilationLike) => Promise<void>): void };
  };
  readonly webpack?: {
    readonly Compilation: { readonly PROCESS_ASSETS_STAGE_DEV_TOOLING: number };
    readonly sources: { RawSource: new (source: string) => unknown; ReplaceSource: new (source: SourceLike) => SourceLike & { insert(pos: number, text: string): void } };
    readonly ExternalsPlugin: new (type: string, externals: unknown) => { apply(compiler: CompilerLike): void };
    WebpackError: new (message: string) => Error;
  };
  readonly rspack?: CompilerLike['webpack'];
}

/** A module's path, or for an external module the request it stands for (`node:net`). */
function idOf(module: ModuleLike): string {
  const path = module.matchResource ?? module.resource;
  if (path) return cleanId(path);
  const identifier = module.identifier();
  if (identifier.startsWith('external ')) {
    // webpack's ExternalModule carries `request`; Rspack's only `userRequest`.
    if (typeof module.request === 'string') return module.request;
    if (typeof module.userRequest === 'string') return module.userRequest;
  }
  return identifier;
}

/**
 * The module graph, read when every module is built and before optimisation (concatenation hides
 * the inner modules' edges later). Undefined where the bundler exposes no outgoing connections. In
 * Rspack each module and connection read crosses into Rust (about 10 ms for 300 modules), so the
 * glue reads it only when a module file changed (see {@link ModuleFiles}).
 */
function snapshotGraph(compilation: CompilationLike): ModuleGraph | undefined {
  const outgoing = compilation.moduleGraph?.getOutgoingConnections?.bind(compilation.moduleGraph);
  if (!outgoing) return undefined;
  const edges = new Map<string, GraphImport[]>();
  for (const module of compilation.modules) {
    const list: GraphImport[] = [];
    for (const connection of outgoing(module)) {
      if (connection.module) list.push({ id: idOf(connection.module), dynamic: connection.dependency?.type === 'import()' });
    }
    edges.set(idOf(module), list);
  }
  return (id) => edges.get(id) ?? [];
}

/**
 * The script files of one compiler's builds so far (its entries stay the same), each with the
 * stamp (mtime, ctime, size) it had when last found clean. A build hands over its file
 * dependencies (a list the bundler keeps anyway, not a walk of its modules); the files that
 * changed are read, and a non-entry that declares a sandbox fails the build (the transform sees
 * entries only). In watch mode the bundler's own list of modified files spares the stat calls.
 * A file that failed loses its stamp, so it is checked, and fails, again. {@link check} also says
 * whether any script file changed, appeared or went away: if none did, the graph read last stands.
 */
class ModuleFiles {
  #stamps = new Map<string, string>();

  /**
   * Checks the files that changed since the last build; true when any did.
   * @param modified The files the watcher saw change since the last build, in watch mode.
   */
  async check(files: Iterable<string>, state: BuildState, modified: ReadonlySet<string> | undefined): Promise<boolean> {
    const next = new Map<string, string>();
    let changed = false;
    for (const file of files) {
      if (!SCRIPT_FILE.test(file)) continue;
      const last = this.#stamps.get(file);
      if (modified !== undefined && last !== undefined && !modified.has(file)) {
        next.set(file, last);
        continue;
      }
      const stat = statSync(file, { throwIfNoEntry: false });
      if (!stat?.isFile()) continue;
      const stamp = `${stat.mtimeMs}:${stat.ctimeMs}:${stat.size}`;
      if (last !== stamp) {
        changed = true;
        await this.#checkModule(file, state);
      }
      next.set(file, stamp);
    }
    changed ||= next.size !== this.#stamps.size;
    this.#stamps = next;
    return changed;
  }

  async #checkModule(file: string, state: BuildState): Promise<void> {
    try {
      await state.checkModule(file);
    } catch (error) {
      this.#stamps.delete(file);
      throw error;
    }
  }
}

/** JavaScript files of the entry's async chunks that lie outside the directory of `entryFile`. */
function chunksOutside(entrypoint: { readonly chunks: Iterable<ChunkLike> }, entryFile: string): string[] {
  const outside = new Set<string>();
  for (const chunk of entrypoint.chunks) {
    for (const async of chunk.getAllAsyncChunks()) {
      for (const file of async.files) if (/\.[cm]?js$/.test(file) && relative(dirname(entryFile), file).startsWith('..')) outside.add(file);
    }
  }
  return [...outside];
}

/**
 * The rule that runs JavaScript for the entries only: a `test` pattern is matched inside the
 * bundler, where a function would be called for every module. unplugin's transform loader runs
 * the transform, so errors reach the bundler as before.
 */
function entryRule(state: BuildState, framework: 'webpack' | 'rspack'): object {
  const loader = require.resolve(`unplugin/${framework}/loaders/transform`);
  const entries = state.entryFiles();
  const transformEntry = async (code: string, id: string): Promise<{ code: string; map: unknown } | null> => {
    try {
      const out = await state.transform(code, id);
      return out ? { code: out.code, map: out.map } : null;
    } catch (error) {
      throw withoutStack(error);
    }
  };
  // Without a list of entries (a function entry) every script goes through the transform's text check.
  return { test: entries === undefined ? SCRIPT_FILE : exactPathPattern(entries), enforce: 'pre', use: [{ loader, ident: NAME, options: { plugin: { transform: transformEntry } } }] };
}

/** Puts the statement that loads `gatePath` (relative to the output directory) in front of the output file `file`. */
function gateAsset(compilation: CompilationLike, api: NonNullable<CompilerLike['webpack']>, file: string, gatePath: string, format: OutputFormat): void {
  const specifier = relative(dirname(file), gatePath);
  compilation.updateAsset(file, (old) => {
    const code = String(old.source());
    const at = insertionPoint(code, format);
    const statement = gateStatement(specifier, format);
    if (code.startsWith(statement, at)) return old;
    const gated = new api.sources.ReplaceSource(old);
    gated.insert(at, `${at > 0 && code[at - 1] !== '\n' ? '\n' : ''}${statement}\n`);
    return gated;
  });
}

/**
 * The whole webpack or Rspack plugin, on the compiler's own API rather than unplugin's generic
 * hooks (which call JavaScript for every module and dependency).
 * @example
 * createUnplugin(() => ({ name: 'syscage', webpack: webpackLikeHook(state, 'webpack') }));
 */
export function webpackLikeHook(state: BuildState, framework: 'webpack' | 'rspack'): (compiler: CompilerLike) => void {
  return (compiler) => {
    const base = compiler.options.context ?? process.cwd();
    const entryOption = compiler.options.entry;
    state.entries.clear();
    if (typeof entryOption !== 'function') state.entries.add(entryOption, base);
    const api = compiler.webpack ?? compiler.rspack;
    if (!api) return;
    compiler.options.module.rules.unshift(entryRule(state, framework));
    // The program loads the installed runtime, the one its gate loads (see core/gate.ts), never a copy.
    new api.ExternalsPlugin('commonjs', ({ request }: { request?: string }, callback: (error?: Error | null, result?: string) => void) =>
      request && RUNTIME_ID.test(request) ? callback(null, `${compiler.options.output.module ? 'module' : 'commonjs'} ${request}`) : callback(),
    ).apply(compiler);
    const files = new ModuleFiles();
    let graph: ModuleGraph | undefined;
    // `finishMake`, not `finishModules`: Rspack hands `finishModules` taps every module, read from
    // Rust each build. A failed check is a compilation error, as a failed transform is (a thrown
    // one would end a watch session).
    compiler.hooks.finishMake.tapPromise(NAME, async (compilation) => {
      try {
        if ((await files.check(compilation.fileDependencies, state, compiler.modifiedFiles)) || graph === undefined) graph = snapshotGraph(compilation);
      } catch (error) {
        compilation.errors.push(new api.WebpackError(error instanceof Error ? error.message : String(error)));
      }
    });
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      state.startBuild();
      // After minification, before source maps are made: the gate's line is mapped like the rest.
      compilation.hooks.processAssets.tapPromise({ name: NAME, stage: api.Compilation.PROCESS_ASSETS_STAGE_DEV_TOOLING - 1 }, async () => {
        state.startOutput();
        const format: OutputFormat = compilation.outputOptions.module ? 'esm' : 'cjs';
        for (const [name, entrypoint] of compilation.entrypoints) {
          const specs = (entryOption as Record<string, { import?: readonly string[] }> | undefined)?.[name]?.import ?? [];
          let entry;
          for (const spec of specs) entry ??= await state.sandboxedEntry(resolveFile(resolve(base, spec)));
          if (!entry) continue;
          const main = [...entrypoint.getEntrypointChunk().files].find((f) => OUTPUT_SCRIPT.test(f));
          if (main === undefined) continue;
          const code = String(compilation.getAsset(main)?.source.source() ?? '');
          const split = {
            code,
            exportsBindings: TRAILING_EXPORT.test(code),
            importedByOthers: () => compilation.getAssets().some((asset) => asset.name !== main && OUTPUT_SCRIPT.test(asset.name) && mentionsFile(String(asset.source.source()), main.split('/').at(-1) ?? main)),
            taken: (fileName: string) => compilation.getAsset(join(dirname(main), fileName)) !== undefined,
          };
          const report = state.reportOutput(entry, resolve(compilation.outputOptions.path ?? base, main), { graph: () => graph, chunksOutside: chunksOutside(entrypoint, main), format, split });
          const gatePath = join(dirname(main), report.gate.fileName);
          // The entry chunk is the file Node runs; it loads the entrypoint's other initial files
          // (a runtime chunk, shared by several entries) after its first statement, the gate.
          gateAsset(compilation, api, main, gatePath, format);
          if (report.launch) {
            // The gated program moves beside the entry file, made into the launcher; the program's
            // source map is made for it at the next stage.
            const gated = compilation.getAsset(main)?.source;
            if (gated) compilation.emitAsset(join(dirname(main), report.launch.programFileName), gated);
            const launcher = report.launch.launcher;
            compilation.updateAsset(main, () => new api.sources.RawSource(launcher));
          }
          compilation.emitAsset(gatePath, new api.sources.RawSource(report.gate.source));
          if (report.manifest) compilation.emitAsset(join(dirname(main), report.manifest.fileName), new api.sources.RawSource(report.manifest.source));
          for (const finding of report.findings) (report.fatal ? compilation.errors : compilation.warnings).push(new api.WebpackError(finding.message));
        }
        try {
          state.checkAllGated();
        } catch (error) {
          compilation.errors.push(new api.WebpackError((error as Error).message));
        }
        for (const text of state.unusedEntryKeys()) compilation.warnings.push(new api.WebpackError(text));
      });
    });
  };
}
