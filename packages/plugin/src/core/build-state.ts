/**
 * What one plugin instance knows across a build (and a watch session): the resolved options, the
 * entries the bundler's configuration lists, the sandboxed entries and their loader modules, and
 * what to write and report once an entry's output file is known. Bundler-agnostic: the glue in
 * `bundlers/` feeds it bundler facts and carries its answers back.
 */

import { basename, isAbsolute, relative } from 'node:path';
import { SyscageError } from '@syscage/core';
import { EntrySet } from '../bundlers/entries.ts';
import { lintGraph, type LintFinding, type ModuleGraph } from './lint.ts';
import { loaderKeyOf } from './loader.ts';
import { createManifest, formatManifest, manifestFileName } from './manifest.ts';
import { resolveOptions, type Options, type ResolvedOptions } from './options.ts';
import { cleanId, createTransformContext, transformModule, type SandboxedEntry, type TransformContext, type TransformOutput } from './transform.ts';

/** What the glue does with an output: write this manifest, report these findings. */
export interface OutputReport {
  readonly manifest: { readonly fileName: string; readonly source: string } | undefined;
  readonly findings: readonly LintFinding[];
  /** Findings are errors (`strict: true`). */
  readonly fatal: boolean;
}

/** State of one plugin instance. */
export class BuildState {
  readonly options: ResolvedOptions;
  readonly entries: EntrySet = new EntrySet();
  readonly sandboxed: Map<string, SandboxedEntry> = new Map();
  readonly #loaders = new Map<string, string>();
  /** Last result per module, reused while its code is unchanged (watch rebuilds). */
  readonly #lastResult = new Map<string, { code: string; out: TransformOutput | undefined }>();
  readonly #context: TransformContext;

  constructor(options: Options | undefined) {
    this.options = resolveOptions(options);
    this.#context = createTransformContext(this.options, (id) => this.isEntry(id));
  }

  /** Whether `id` is an entry: listed in `entries`, or in the bundler's configuration (undefined: unknown). */
  isEntry(id: string): boolean | undefined {
    if (this.options.entries.has(id)) return true;
    return this.entries.has(id);
  }

  /** The name messages and manifests use for `id`. */
  display(id: string): string {
    return isAbsolute(id) ? relative(this.options.root, id) || id : id;
  }

  /**
   * Transforms one module (see `transformModule`), remembering its loader.
   * @param isEntry What the bundler itself says about `id`, when it can.
   */
  async transform(code: string, id: string, isEntry?: boolean): Promise<TransformOutput | undefined> {
    const last = this.#lastResult.get(id);
    if (last !== undefined && last.code === code) return last.out;
    const out = await transformModule(code, id, this.#context, isEntry);
    if (out) this.#lastResult.set(id, { code, out });
    if (out) {
      this.sandboxed.set(out.entry.id, out.entry);
      this.#loaders.set(out.entry.loader.key, out.entry.loader.code);
    }
    return out;
  }

  /** The code of the loader module `id`, or undefined when `id` is not one. */
  loadLoader(id: string): string | undefined {
    const key = loaderKeyOf(cleanId(id));
    if (key === undefined) return undefined;
    const code = this.#loaders.get(key);
    if (code === undefined) {
      throw new SyscageError({ code: 'INVALID_FILTER', message: `@syscage/plugin: the loader module ${key} is not from this build (a stale bundler cache?).`, hint: "Clear the bundler's cache and build again." });
    }
    return code;
  }

  /** The sandboxed entry `id` (an absolute module path, perhaps with a query), if any. */
  sandboxedEntry(id: string | null | undefined): SandboxedEntry | undefined {
    return id ? this.sandboxed.get(cleanId(id)) : undefined;
  }

  /**
   * What to write and report for `entry` built into `output` (absolute).
   * @param graph The module graph, when the bundler exposes one.
   */
  reportOutput(entry: SandboxedEntry, output: string, graph: ModuleGraph | undefined): OutputReport {
    const manifest = this.options.manifest
      ? { fileName: manifestFileName(basename(output)), source: formatManifest(createManifest(entry, basename(output), this.display(entry.id))) }
      : undefined;
    const findings = graph ? lintGraph(entry.id, graph, entry.compiled.resolved, (id) => this.display(id)) : [];
    return { manifest, findings, fatal: this.options.strict && findings.length > 0 };
  }
}
