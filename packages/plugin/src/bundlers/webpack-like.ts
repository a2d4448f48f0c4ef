/**
 * Glue for webpack 5 and Rspack: entries from `compiler.options.entry`, once all modules are built
 * the module graph and the check of non-entry modules that import the runtime (the transform sees
 * entries only), and at the report stage of
 * `processAssets` the manifest beside each sandboxed entry's JavaScript files and the lint over the
 * module graph (where the bundler exposes outgoing connections). Typed structurally, so it depends
 * on neither bundler's types.
 */

import { dirname, join, relative, resolve } from 'node:path';
import type { BuildState } from '../core/build-state.ts';
import type { GraphImport, ModuleGraph } from '../core/lint.ts';
import { RUNTIME_MODULE } from '../core/scan/scan.ts';
import { resolveFile } from './entries.ts';

const NAME = 'syscage';

interface ModuleLike {
  readonly resource?: string;
  readonly request?: unknown;
  readonly userRequest?: unknown;
  identifier(): string;
}
interface ConnectionLike {
  readonly module: ModuleLike | null;
  readonly dependency?: { readonly type?: string; readonly request?: string } | null;
}
interface ChunkLike {
  readonly files: Iterable<string>;
  getAllAsyncChunks(): Iterable<ChunkLike>;
}
interface CompilationLike {
  readonly entrypoints: ReadonlyMap<string, { getFiles(): readonly string[]; readonly chunks: Iterable<ChunkLike> }>;
  readonly modules: Iterable<ModuleLike>;
  readonly moduleGraph?: { getOutgoingConnections?(module: ModuleLike): Iterable<ConnectionLike> };
  readonly outputOptions: { readonly path?: string };
  readonly errors: unknown[];
  readonly warnings: unknown[];
  readonly hooks: {
    processAssets: { tap(options: { name: string; stage: number }, fn: () => void): void };
    finishModules: { tapPromise(name: string, fn: () => Promise<void>): void };
  };
  emitAsset(file: string, source: unknown): void;
}
/** The parts of a webpack or Rspack compiler the glue uses. */
export interface CompilerLike {
  readonly options: { readonly context?: string; readonly entry?: unknown };
  readonly hooks: { thisCompilation: { tap(name: string, fn: (compilation: CompilationLike) => void): void } };
  readonly webpack?: { readonly Compilation: { readonly PROCESS_ASSETS_STAGE_REPORT: number }; readonly sources: { RawSource: new (source: string) => unknown }; WebpackError: new (message: string) => Error };
  readonly rspack?: CompilerLike['webpack'];
}

/** A module's path, or for an external module the request it stands for (`node:net`). */
function idOf(module: ModuleLike): string {
  if (module.resource) return module.resource.replace(/[?#].*$/, '');
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
 * the inner modules' edges later), and the modules that import the runtime. Undefined where the
 * bundler exposes no outgoing connections. One pass over the modules per build: in Rspack each
 * module and connection read crosses into Rust, so this is read once rather than per dependency.
 */
function snapshotGraph(compilation: CompilationLike): { graph: ModuleGraph; runtimeImporters: string[] } | undefined {
  const outgoing = compilation.moduleGraph?.getOutgoingConnections?.bind(compilation.moduleGraph);
  if (!outgoing) return undefined;
  const edges = new Map<string, GraphImport[]>();
  const runtimeImporters: string[] = [];
  for (const module of compilation.modules) {
    const list: GraphImport[] = [];
    const id = idOf(module);
    for (const connection of outgoing(module)) {
      if (!connection.module) continue;
      const to = idOf(connection.module);
      list.push({ id: to, dynamic: connection.dependency?.type === 'import()' });
      if (to === RUNTIME_MODULE || connection.dependency?.request === RUNTIME_MODULE) runtimeImporters.push(id);
    }
    edges.set(id, list);
  }
  return { graph: (id) => edges.get(id) ?? [], runtimeImporters };
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
 * The `webpack` / `rspack` escape hatch of the unplugin.
 * @example
 * createUnplugin(() => ({ name: 'syscage', webpack: webpackLikeHook(state), rspack: webpackLikeHook(state) }));
 */
export function webpackLikeHook(state: BuildState): (compiler: CompilerLike) => void {
  return (compiler) => {
    const base = compiler.options.context ?? process.cwd();
    const entryOption = compiler.options.entry;
    state.entries.clear();
    if (typeof entryOption !== 'function') state.entries.add(entryOption, base);
    const api = compiler.webpack ?? compiler.rspack;
    if (!api) return;
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      let graph: ModuleGraph | undefined;
      compilation.hooks.finishModules.tapPromise(NAME, async () => {
        const snapshot = snapshotGraph(compilation);
        graph = snapshot?.graph;
        // The transform sees entries only (see `index.ts`); a module that imports the runtime
        // without being an entry is read here, so a declaration in it fails the build (the error
        // fails the compilation before anything is emitted).
        for (const id of new Set(snapshot?.runtimeImporters)) if (!state.mayDeclare(id)) await state.checkNonEntry(id);
      });
      compilation.hooks.processAssets.tap({ name: NAME, stage: api.Compilation.PROCESS_ASSETS_STAGE_REPORT }, () => {
        for (const [name, entrypoint] of compilation.entrypoints) {
          const specs = (entryOption as Record<string, { import?: readonly string[] }> | undefined)?.[name]?.import ?? [];
          const entry = specs.map((spec) => state.sandboxedEntry(resolveFile(resolve(base, spec)))).find((found) => found !== undefined);
          if (!entry) continue;
          for (const file of entrypoint.getFiles().filter((f) => /\.[cm]?js$/.test(f))) {
            const report = state.reportOutput(entry, resolve(compilation.outputOptions.path ?? base, file), { graph: () => graph, chunksOutside: chunksOutside(entrypoint, file) });
            if (report.manifest) compilation.emitAsset(join(dirname(file), report.manifest.fileName), new api.sources.RawSource(report.manifest.source));
            for (const finding of report.findings) (report.fatal ? compilation.errors : compilation.warnings).push(new api.WebpackError(finding.message));
          }
        }
      });
    });
  };
}
