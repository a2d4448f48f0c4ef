/**
 * What one plugin instance knows across a build (and a watch session): the resolved options, the
 * entries the bundler's configuration lists, the sandboxed entries (and which of them this build saw and gated), and
 * what to write and report once an entry's output file is known. Bundler-agnostic: the glue in
 * `bundlers/` feeds it bundler facts and carries its answers back.
 */

import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { SyscageError } from '@syscage/core';
import { EntrySet } from './entries.ts';
import { RUNTIME_LOADER, createGateModule, createLauncher, gateFileName, keepInPlace, programFileName, readGateCode, readLoaderFile, shebangOf, type OutputFormat } from './gate.ts';
import { lintGraph, mayFind, type LintFinding, type LintOutput, type ModuleGraph } from './lint.ts';
import { createManifest, formatManifest, manifestFileName } from './manifest.ts';
import { resolveOptions, type Options, type ResolvedOptions } from './options.ts';
import type { HostParse } from './scan/scan.ts';
import { cleanId, createTransformContext, mentionsRuntime, transformModule, wasTransformed, type SandboxedEntry, type TransformContext, type TransformOutput } from './transform.ts';

/** What the glue does with an output: write this gate beside it and load it first, write this manifest, report these findings. */
export interface OutputReport {
  /** The gate module, named beside the output (see `gate.ts`): the output must load it first. */
  readonly gate: { readonly fileName: string; readonly source: string; readonly format: OutputFormat };
  /**
   * Where the gated output moves and what takes its place (see `gate.ts`, the launcher); absent
   * when it stays gated in place.
   */
  readonly launch: { readonly programFileName: string; readonly launcher: string } | undefined;
  readonly manifest: { readonly fileName: string; readonly source: string } | undefined;
  readonly findings: readonly LintFinding[];
  /** Findings are errors (`strict: true`). */
  readonly fatal: boolean;
}

/** What the glue knows about one output, for the lint. */
export interface OutputFacts {
  /** Reads the module graph, called only when the lint needs it; undefined where the bundler exposes none. */
  readonly graph: () => ModuleGraph | undefined;
  /** Every specifier the output leaves external, when the bundler says (a cheap first look). */
  readonly externals?: Iterable<string> | undefined;
  /** The entry's lazily loaded chunks outside the program's directory (see `LintOutput`). */
  readonly chunksOutside: readonly string[];
  /** How Node will load the output. */
  readonly format: OutputFormat;
  /** What decides whether the output becomes a launcher (see `gate.ts`); absent: it stays in place. */
  readonly split?: SplitFacts | undefined;
}

/** What the glue knows about an entry output, to split it into a launcher and the program. */
export interface SplitFacts {
  /** The output's code as the bundler wrote it (before the gate). */
  readonly code: string;
  /** Whether the output exports bindings (an ES module's exports; CommonJS ones the launcher passes on). */
  readonly exportsBindings: boolean;
  /** Whether another output of the build imports this one. */
  readonly importedByOthers: () => boolean;
  /** Whether the build already has an output of this name beside the output. */
  readonly taken: (fileName: string) => boolean;
}

/** State of one plugin instance. */
export class BuildState {
  readonly options: ResolvedOptions;
  readonly entries: EntrySet = new EntrySet();
  readonly sandboxed: Map<string, SandboxedEntry> = new Map();
  /** Sandboxed entries the transform saw in the current build, and those of them the glue gated since {@link startOutput}. */
  readonly #seen = new Set<string>();
  readonly #gated = new Set<string>();
  /** Last result per module, reused while its code and entry-ness are unchanged (watch rebuilds). */
  readonly #lastResult = new Map<string, { code: string; isEntry: boolean | undefined; out: TransformOutput | undefined }>();
  /** Manifest text per entry result and gate name (the output's name and format): a rebuild that changed neither writes the same text. */
  readonly #manifests = new WeakMap<SandboxedEntry, Map<string, string>>();
  /** Lint findings per graph and entry (see {@link reportOutput}). */
  readonly #findings = new WeakMap<ModuleGraph, WeakMap<SandboxedEntry, { key: string; findings: readonly LintFinding[] }>>();
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

  /**
   * Every file that may declare a sandbox: the configuration's entries and the `entries` option's
   * keys. Undefined when the configuration's entries are unknown: then any module may.
   */
  entryFiles(): readonly string[] | undefined {
    const files = this.entries.files();
    return files === undefined ? undefined : [...new Set([...files, ...this.options.entries.keys()])];
  }

  /** Whether a module may declare a sandbox, so the transform must look at it (see {@link entryFiles}). */
  mayDeclare(id: string): boolean {
    return this.options.entries.has(cleanId(id)) || this.entries.has(cleanId(id)) !== false;
  }

  /**
   * Checks a module that is not an entry: if it names the runtime, a declaration there fails the
   * build (see `transformModule`). For glue that transforms entries only. A module that does not
   * name the runtime is not remembered, so glue may pass every module of a build.
   */
  async checkNonEntry(id: string): Promise<void> {
    const code = readCode(id);
    if (mentionsRuntime(code)) await this.transform(code, id, false);
  }

  /**
   * {@link checkNonEntry} for any module of a build: one that may declare (see {@link mayDeclare})
   * is the transform's and passes. The text check comes first: hardly any module names the
   * runtime, and `mayDeclare` may look up a real path.
   */
  async checkModule(id: string): Promise<void> {
    const code = readCode(id);
    if (mentionsRuntime(code) && !this.mayDeclare(id)) await this.transform(code, id, false);
  }

  /** The name messages and manifests use for `id`. */
  display(id: string): string {
    return isAbsolute(id) ? relative(this.options.root, id) || id : id;
  }

  /**
   * Transforms one module (see `transformModule`), remembering a sandboxed entry and that this
   * build saw it (see {@link checkAllGated}).
   * @param isEntry What the bundler itself says about `id`, when it can.
   * @param hostParse The bundler's own parser, when it has one (see the scanner's `HostParse`).
   */
  async transform(code: string, id: string, isEntry?: boolean, hostParse?: HostParse): Promise<TransformOutput | undefined> {
    const key = cleanId(id);
    const entryNow = isEntry ?? this.isEntry(key);
    const last = this.#lastResult.get(key);
    if (last !== undefined && last.code === code && last.isEntry === entryNow) {
      if (last.out) this.#seen.add(last.out.entry.id);
      return last.out;
    }
    const out = await transformModule(code, id, this.#context, isEntry, hostParse);
    this.#lastResult.set(key, { code, isEntry: entryNow, out });
    if (out) {
      this.sandboxed.set(out.entry.id, out.entry);
      this.#seen.add(out.entry.id);
    } else if (!wasTransformed(code)) {
      this.sandboxed.delete(key);
    }
    return out;
  }

  /** A new build starts: forget which entries it transformed. */
  startBuild(): void {
    this.#seen.clear();
    this.#gated.clear();
  }

  /** A new output of the build starts (Rollup writes several outputs of one build): none is gated yet. */
  startOutput(): void {
    this.#gated.clear();
  }

  /**
   * The sandboxed entry `id` (an absolute module path, perhaps with a query). When this build's
   * transform did not see it (a bundler cache restored the module without calling the plugin),
   * the entry's file is read again: its declaration must still be applied.
   */
  async sandboxedEntry(id: string | null | undefined): Promise<SandboxedEntry | undefined> {
    if (!id) return undefined;
    const known = this.sandboxed.get(cleanId(id));
    if (known) return known;
    const file = cleanId(id);
    if (!isAbsolute(file) || !existsSync(file)) return undefined;
    return (await this.transform(readCode(file), file, true))?.entry;
  }

  /**
   * Fails when an entry this build sandboxed was not gated in the output just written: the glue
   * could not tell which output file is that entry's, so the program would run unsandboxed.
   */
  checkAllGated(): void {
    this.#checkEntryKeys();
    const missed = [...this.#seen].filter((id) => !this.#gated.has(id));
    const entry = missed.length > 0 ? this.sandboxed.get(missed[0] as string) : undefined;
    if (!entry) return;
    throw new SyscageError({
      code: 'DECLARATION_NOT_STATIC',
      location: entry.source.location,
      message: `@syscage/plugin: this entry declares a sandbox, but no output file of the build was found to be its entry file, so the sandbox could not be put in front of it.`,
      hint: 'Build it as an entry of its own (not only imported by another entry), with an entry name the bundler maps to one output file.',
    });
  }

  /**
   * Fails when an `entries` key names no file: the entry meant to be sandboxed (a mistyped path, a
   * `.js` for a `.ts`) would be built without its sandbox and nothing would say so.
   */
  #checkEntryKeys(): void {
    for (const [key] of this.options.entries) {
      if (existsSync(key)) continue;
      const location = this.options.entryPlaces.get(key);
      throw new SyscageError({
        code: 'INVALID_CAPABILITY',
        ...(location === undefined ? {} : { location }),
        message: `@syscage/plugin: \`entries\` lists ${this.display(key)}, which does not exist, so no sandbox is applied from it.`,
        hint: `Write the path of the entry file the bundler builds, relative to the root (${this.display(this.options.root) || '.'}) or absolute.`,
      });
    }
  }

  /**
   * The `entries` keys this build did not build as an entry (a declaration meant for another
   * build sharing the plugin, or a path that is not this build's entry), one warning each.
   */
  unusedEntryKeys(): string[] {
    // Each key is kept under its path and its real path (options.ts); one file, one warning.
    const byFile = new Map<string, string[]>();
    for (const key of this.options.entries.keys()) {
      const file = realPathOf(key);
      byFile.set(file, [...(byFile.get(file) ?? []), key]);
    }
    return [...byFile.values()]
      .filter((keys) => !keys.some((key) => this.#seen.has(key)))
      .map((keys) => `@syscage/plugin: \`entries\` lists ${this.display(keys[0] as string)}, which this build did not build as an entry, so its declaration applies to no output of this build.`);
  }

  /**
   * What to write and report for `entry` built into `output` (absolute). The module graph is read
   * only when the output's externals and chunks leave something to find.
   */
  reportOutput(entry: SandboxedEntry, output: string, facts: OutputFacts): OutputReport {
    this.#gated.add(entry.id);
    const gate = { fileName: gateFileName(basename(output), facts.format), source: createGateModule(entry.payload, facts.format, this.#gateCode(entry, output)), format: facts.format };
    const launch = facts.split && this.#launch(entry, output, facts.format, facts.split);
    const manifest = this.options.manifest ? { fileName: manifestFileName(basename(output)), source: this.#manifestText(entry, basename(output), gate.fileName, launch?.programFileName) } : undefined;
    const resolved = entry.compiled.resolved;
    const graph = mayFind(facts.externals, facts, resolved) ? facts.graph() : undefined;
    const findings = [...(graph ? this.#lint(entry, graph, facts) : []), ...runtimeReachable(output, this.display(output)), ...outputAtPackageRoot(output, this.display(output))];
    return { gate, launch, manifest, findings, fatal: this.options.strict && findings.length > 0 };
  }

  /** The runtime's gate code for `output`; without any `@syscage/runtime` installed, a build error at the declaration. */
  #gateCode(entry: SandboxedEntry, output: string): string {
    try {
      return readGateCode(output);
    } catch (error) {
      throw new SyscageError({
        code: 'API_MISUSE',
        location: entry.source.location,
        message: `@syscage/plugin: @syscage/runtime cannot be found from the output's directory or beside the plugin, and the gate put in front of the program carries its code (${(error as Error).message.split('\n')[0]}).`,
        hint: 'Install @syscage/runtime (the plugin\'s peer dependency) as a dependency of the program.',
      });
    }
  }

  /** The launcher for `output`, unless it stays gated in place (see `gate.ts`). */
  #launch(entry: SandboxedEntry, output: string, format: OutputFormat, split: NonNullable<OutputFacts['split']>): OutputReport['launch'] {
    const programFile = programFileName(basename(output));
    if (split.taken(programFile) || keepInPlace(format, { exportsBindings: split.exportsBindings, importedByOthers: split.importedByOthers() }) !== undefined) return undefined;
    return { programFileName: programFile, launcher: createLauncher(entry.payload, format, programFile, shebangOf(split.code), readLoaderFile(output)) };
  }

  /** The lint's findings, remembered while the glue hands over the same graph (a rebuild that changed no module). */
  #lint(entry: SandboxedEntry, graph: ModuleGraph, output: LintOutput): readonly LintFinding[] {
    const key = output.chunksOutside.join('\0');
    let byEntry = this.#findings.get(graph);
    if (!byEntry) this.#findings.set(graph, (byEntry = new WeakMap()));
    const last = byEntry.get(entry);
    if (last?.key === key) return last.findings;
    const findings = lintGraph(entry.id, graph, entry.compiled.resolved, (id) => this.display(id), output);
    byEntry.set(entry, { key, findings });
    return findings;
  }

  #manifestText(entry: SandboxedEntry, output: string, gate: string, program: string | undefined): string {
    let byOutput = this.#manifests.get(entry);
    if (!byOutput) this.#manifests.set(entry, (byOutput = new Map()));
    const key = `${gate}\0${program ?? ''}`;
    let text = byOutput.get(key);
    if (text === undefined) byOutput.set(key, (text = formatManifest(createManifest(entry, output, this.display(entry.id), gate, program))));
    return text;
  }
}

/**
 * A finding when `@syscage/runtime` cannot be loaded from where `output` lies: the gate loads it
 * at run time, so the program would stop there (it never runs unsandboxed).
 */
function runtimeReachable(output: string, shown: string): LintFinding[] {
  try {
    createRequire(output).resolve(RUNTIME_LOADER);
    return [];
  } catch {
    const message = `${shown}: ${RUNTIME_LOADER} cannot be found from the output's directory, and the program loads it first to apply its sandbox (it refuses to start without it). Install @syscage/runtime as a dependency of the program where the output runs.`;
    return [{ kind: 'runtime-unreachable', chain: [shown], message }];
  }
}

/**
 * A finding when `output` lies in a directory with a `package.json` (a project's root): the
 * program's own directory is readable inside its sandbox (lazily loaded chunks live there), and
 * here that is the whole project, its `.env` and sources included.
 */
function outputAtPackageRoot(output: string, shown: string): LintFinding[] {
  if (!existsSync(join(dirname(output), 'package.json'))) return [];
  const message = `${shown}: the output lies beside a package.json, so the directory the sandboxed program may read as its own is the whole project (its .env, sources, .git). Write the output to a directory of its own (dist/, say).`;
  return [{ kind: 'output-at-root', chain: [shown], message }];
}

/** `file` with its links resolved, or as given when it does not exist. */
function realPathOf(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return file;
  }
}

/**
 * The code of module `id`, read synchronously: glue checks every module of a cold build one after
 * another, and each awaited read would wait on the thread pool several times (about 50 ms for 300
 * small files, against 3 ms).
 */
function readCode(id: string): string {
  return readFileSync(cleanId(id), 'utf8');
}
