/**
 * The module-graph lint of a sandboxed entry: Node builtins its bundle imports whose capability
 * the declaration does not grant (a call through them will be stopped by the kernel), and dynamic
 * imports whose chunk cannot be read once the sandbox runs. The program's own directory (the entry
 * output's directory and everything below it) is always readable (`{program}` in core's
 * `NODE_IMPLICIT_PATHS`), so only chunks emitted elsewhere need `fs.read`. Pure: it walks a graph
 * the bundler glue extracted and returns findings, naming the chain of importers; it reports
 * nothing itself. {@link mayFind} lets the glue skip the walk when a bundle's external imports and
 * chunks already show that there is nothing to find.
 */

import type { CapabilityName, ResolvedCapabilities } from '@syscage/core';

/** One import edge. */
export interface GraphImport {
  /** Absolute path of a bundled module, or the specifier of an external one (`node:fs`). */
  readonly id: string;
  readonly dynamic: boolean;
}

/** The module graph as the glue extracted it: the imports of each module. */
export type ModuleGraph = (id: string) => readonly GraphImport[];

/** One thing the lint found. */
export interface LintFinding {
  readonly kind: 'undeclared-builtin' | 'dynamic-import' | 'runtime-unreachable' | 'output-at-root';
  /** The importer chain, entry first, ending with the imported specifier. */
  readonly chain: readonly string[];
  readonly message: string;
}

/** Node builtins and the capabilities any one of which makes them usable. */
const BUILTIN_CAPABILITIES: Readonly<Record<string, readonly CapabilityName[]>> = {
  fs: ['fs.read', 'fs.write'],
  'fs/promises': ['fs.read', 'fs.write'],
  net: ['net.connect', 'net.listen', 'net.unix'],
  http: ['net.connect', 'net.listen'],
  https: ['net.connect', 'net.listen'],
  http2: ['net.connect', 'net.listen'],
  tls: ['net.connect', 'net.listen'],
  dgram: ['net.udp'],
  dns: ['dns'],
  'dns/promises': ['dns'],
  child_process: ['spawn'],
  cluster: ['spawn'],
  worker_threads: ['worker'],
  tty: ['tty'],
};

/** What the glue knows about the entry's output. */
export interface LintOutput {
  /**
   * Lazily loaded chunks of this entry whose files lie outside the program's directory, as the
   * messages name them. Chunks beside or below the entry's output file are readable.
   */
  readonly chunksOutside: readonly string[];
}

/** `node:fs/promises` → `fs/promises`; undefined for anything that is not a builtin the lint knows. */
export function builtinName(specifier: string): string | undefined {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  return Object.hasOwn(BUILTIN_CAPABILITIES, name) ? name : undefined;
}

/** Whether importing `specifier` would be reported under `capabilities`. */
function isUndeclaredBuiltin(specifier: string, capabilities: ResolvedCapabilities): boolean {
  const builtin = builtinName(specifier);
  const grants: ReadonlySet<string> = capabilities.grants;
  return builtin !== undefined && !(BUILTIN_CAPABILITIES[builtin] ?? []).some((name) => grants.has(name));
}

/**
 * Whether {@link lintGraph} can find anything, judged from the bundle alone: the specifiers it
 * leaves external (Node builtins are always external in a Node bundle) and its chunks. False means
 * the walk can be skipped, which keeps a rebuild from reading the whole module graph.
 * @param externals Every external specifier of the entry's output, or undefined when unknown.
 */
export function mayFind(externals: Iterable<string> | undefined, output: LintOutput, capabilities: ResolvedCapabilities): boolean {
  if (externals === undefined) return true;
  if (output.chunksOutside.length > 0 && capabilities.scopes['fs.read'] !== 'any') return true;
  for (const specifier of externals) if (isUndeclaredBuiltin(specifier, capabilities)) return true;
  return false;
}

/**
 * Walks the graph from `entry` (breadth first, so each chain is a shortest one).
 * @param display Turns an id into the name messages use (relative paths).
 * @example
 * lintGraph('/app/main.ts', graph, resolveCapabilities({ fs: { read: true } }), (id) => relative('/app', id));
 */
export function lintGraph(entry: string, graph: ModuleGraph, capabilities: ResolvedCapabilities, display: (id: string) => string, output: LintOutput): LintFinding[] {
  const parents = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  const findings: LintFinding[] = [];
  const reported = new Set<string>();
  const chainTo = (id: string): string[] => {
    const chain: string[] = [];
    for (let at: string | undefined = id; at !== undefined; at = parents.get(at)) chain.unshift(display(at));
    return chain;
  };
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const edge of graph(id)) {
      const builtin = builtinName(edge.id);
      if (builtin !== undefined) {
        const needs = BUILTIN_CAPABILITIES[builtin] ?? [];
        if (isUndeclaredBuiltin(edge.id, capabilities) && !reported.has(builtin)) {
          reported.add(builtin);
          const chain = [...chainTo(id), edge.id];
          findings.push({ kind: 'undeclared-builtin', chain, message: `${chain.join(' → ')}: \`${edge.id}\` is imported, but the sandbox grants none of ${needs.join(', ')}; calls through it will be stopped. Declare the capability, or remove the import if that code never runs.` });
        }
        continue;
      }
      if (edge.dynamic && output.chunksOutside.length > 0 && capabilities.scopes['fs.read'] !== 'any') {
        const chain = [...chainTo(id), display(edge.id)];
        findings.push({
          kind: 'dynamic-import',
          chain,
          message: `${chain.join(' → ')}: a dynamic import loads a chunk from disk after the sandbox starts. Chunks in the program's own directory are readable, but ${output.chunksOutside.map((c) => `\`${c}\``).join(', ')} ${output.chunksOutside.length === 1 ? 'is' : 'are'} outside it. Emit chunks beside the entry or below it, add their directory to \`fs.read\`, or import the module statically.`,
        });
      }
      if (!parents.has(edge.id) && edge.id.startsWith('/')) {
        parents.set(edge.id, id);
        queue.push(edge.id);
      }
    }
  }
  return findings;
}
