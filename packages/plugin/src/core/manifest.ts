/**
 * The manifest written beside each sandboxed output (`<output>.syscage.json`): the declaration,
 * where it came from, the Landlock plan the loader applies (the same object it embeds), and per
 * architecture the allowed syscalls with their conditions and the sha256 of each filter. It is
 * meant to be committed and reviewed, so it is deterministic (sorted, no timestamps, paths relative
 * to the root, short lists on one line) and a wider sandbox shows as a diff. Building the object
 * and naming the file only; the bundler glue writes it.
 */

import { describeAction, describeCondition, getArch, type ArchManifest, type ArchName, type Manifest } from '@syscage/core';
import type { SandboxedEntry } from './transform.ts';

/** The manifest's JSON shape lives in core, where its readers (the CLI) find it too. */
export type { ArchManifest, Manifest };

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
