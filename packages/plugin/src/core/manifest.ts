/**
 * The manifest written beside each sandboxed output (`<output>.syscage.json`): the declaration,
 * where it came from, the Landlock plan the loader applies (the same object it embeds), and per
 * architecture the allowed syscalls with their conditions and the sha256 of each filter. It is
 * meant to be committed and reviewed, so it is deterministic (sorted, no timestamps, paths relative
 * to the root, short lists on one line) and a wider sandbox shows as a diff. Building the object
 * and naming the file only; the bundler glue writes it.
 */

import { describeAction, describeCondition, getArch, type ArchName, type LandlockPlan } from '@syscage/core';
import type { SandboxedEntry } from './transform.ts';

/** The manifest's JSON shape. */
export interface Manifest {
  readonly $schema: 'syscage-manifest/2';
  readonly generatedBy: '@syscage/plugin';
  /** The output file, relative to the manifest. */
  readonly output: string;
  /** The gate beside the output that its first statement loads (applies the sandbox), relative to the manifest. */
  readonly gate?: string;
  /**
   * Where the program lives when the output is its launcher (applies the sandbox, then starts
   * the program; see the plugin's gate.ts), relative to the manifest. Absent: the output is the program.
   */
  readonly program?: string;
  readonly entry: string;
  readonly source: { readonly form: 'call' | 'decorator' | 'options'; readonly line: number; readonly column: number };
  readonly declaration: unknown;
  readonly grants: readonly string[];
  readonly onViolation: 'kill' | 'errno';
  readonly unsupported: 'error' | 'warn';
  /** What Landlock enforces: handled rights, path and port rules (each saying which capability grants it), required rights, mode. */
  readonly landlock: LandlockPlan;
  readonly arches: Readonly<Partial<Record<ArchName, ArchManifest>>>;
}

/** One architecture's part of a {@link Manifest}. */
export interface ArchManifest {
  readonly filterSha256: string;
  readonly stage1Sha256: string;
  readonly instructions: number;
  /** Syscall → `allow`, an errno answer, or the conditions under which it is allowed (any one suffices). */
  readonly syscalls: Readonly<Record<string, string | readonly string[]>>;
  readonly defaultAction: string;
}

/** `<output>.syscage.json`. */
export function manifestFileName(output: string): string {
  return `${output}.syscage.json`;
}

export { describeCondition };

function archManifest(entry: SandboxedEntry, arch: ArchName): ArchManifest | undefined {
  const filter = entry.compiled.filters[arch];
  const stage1 = entry.compiled.stage1[arch];
  if (!filter || !stage1) return undefined;
  const table = getArch(arch).syscalls;
  const syscalls: Record<string, string | string[]> = {};
  for (const rule of entry.compiled.policy.rules) {
    if (!Object.hasOwn(table, rule.syscall)) continue;
    const answer = rule.action.kind === 'ALLOW' ? 'allow' : describeAction(rule.action);
    const current = syscalls[rule.syscall];
    if (rule.when.length === 0) syscalls[rule.syscall] = current === undefined || answer !== 'allow' ? answer : 'allow';
    else if (typeof current !== 'string') syscalls[rule.syscall] = [...(current ?? []), `${rule.when.map(describeCondition).join(' && ')}${answer === 'allow' ? '' : ` → ${answer}`}`];
  }
  const sorted = Object.fromEntries(Object.keys(syscalls).sort().map((name) => [name, syscalls[name] as string | string[]]));
  return { filterSha256: filter.sha256, stage1Sha256: stage1.sha256, instructions: filter.instructions, syscalls: sorted, defaultAction: describeAction(entry.compiled.policy.defaultAction) };
}

/**
 * The manifest for `entry` built into `output` (both relative to the root).
 * @example
 * JSON.stringify(createManifest(entry, 'main.js', 'src/main.ts'), null, 2);
 */
export function createManifest(entry: SandboxedEntry, output: string, entryFile: string, gate?: string, program?: string): Manifest {
  const { resolved } = entry.compiled;
  const arches: Partial<Record<ArchName, ArchManifest>> = {};
  for (const arch of Object.keys(entry.compiled.filters).sort() as ArchName[]) {
    const part = archManifest(entry, arch);
    if (part) arches[arch] = part;
  }
  return {
    $schema: 'syscage-manifest/2',
    generatedBy: '@syscage/plugin',
    output,
    ...(gate === undefined ? {} : { gate }),
    ...(program === undefined ? {} : { program }),
    entry: entryFile,
    source: { form: entry.source.form, line: entry.source.location.line, column: entry.source.location.column },
    declaration: entry.declaration,
    grants: [...resolved.grants].sort(),
    onViolation: resolved.onViolation,
    unsupported: resolved.unsupported,
    landlock: entry.compiled.landlock,
    arches,
  };
}

/** A list of strings and numbers that fits on one line once inlined. */
const SHORT_LIST = /\[\n\s+((?:"(?:[^"\\]|\\.)*"|-?[\d.]+)(?:,\n\s+(?:"(?:[^"\\]|\\.)*"|-?[\d.]+))*)\n\s*\]/g;

/** The manifest as committed: two-space JSON with a final newline, short lists of values on one line. */
export function formatManifest(manifest: Manifest): string {
  const text = JSON.stringify(manifest, null, 2).replace(SHORT_LIST, (list: string, items: string) => {
    const inline = `[${items.split(/,\n\s+/).join(', ')}]`;
    return inline.length <= 100 ? inline : list;
  });
  return `${text}\n`;
}
