/**
 * `trace --write FILE`: writes the traced declaration into a program's entry (entry.ts) or into a
 * bundler config's `entries` option (config.ts, chosen when the file loads `@syscage/plugin`).
 * This is the only module that loads ts-morph, lazily: loading it (TypeScript inside) costs
 * 250–450 ms, which only `--write` pays. It reads and writes the one file, and writes nothing when
 * the file already says the same (so a second run leaves it unchanged).
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Capabilities, Manifest } from '@syscage/core';
import { failure } from '../exit-codes.ts';
import { mentionsPlugin, updateConfig } from './config.ts';
import { updateEntry } from './entry.ts';
import type { TsMorph } from './source.ts';

/** What `--write` did, for the report. */
export interface WriteResult {
  /** The file, relative to the working directory. */
  readonly file: string;
  readonly kind: 'entry' | 'config';
  readonly action: 'unchanged' | 'updated' | 'added';
  readonly notes: readonly string[];
}

/**
 * Checks before tracing that `file` can be written into: it exists and is not a build output (a
 * bundle with a `.syscage.json` manifest beside it).
 * @throws {CliError} exit 1, with what to pass instead.
 */
export function checkWriteTarget(file: string, cwd: string): void {
  const shown = relative(cwd, file) || file;
  if (!existsSync(file)) throw failure(`--write: ${shown} does not exist.`, 'Pass the program\'s entry (its source file) or the bundler config that builds it.');
  const manifest = readManifest(file);
  if (manifest !== undefined) {
    throw failure(`--write: ${shown} is a build output (${shown}.syscage.json is its manifest); a rebuild would overwrite it.`, `Write into its entry instead: --write ${manifest.entry}`);
  }
}

/**
 * Writes `declaration` into `file` (absolute). `script` is the traced program's main file, whose
 * manifest (when it was built with the plugin) says which entry a config's `entries` key is.
 * @example
 * await writeDeclaration('/project/src/cli.ts', { fs: { read: ['./data'] } }, undefined, '/project');
 */
export async function writeDeclaration(file: string, declaration: Capabilities, script: string | undefined, cwd: string): Promise<WriteResult> {
  const shown = relative(cwd, file) || file;
  const text = readFileSync(file, 'utf8');
  const tsMorph = await loadTsMorph();
  if (mentionsPlugin(text)) {
    const manifest = script === undefined ? undefined : readManifest(script);
    if (manifest !== undefined && manifest.source?.form !== undefined && manifest.source.form !== 'options') {
      throw failure(`--write: ${manifest.entry} declares its sandbox itself (line ${manifest.source.line}); the plugin refuses \`entries\` for an entry that also declares in its source.`, `Write into the entry instead: --write ${manifest.entry}`);
    }
    const result = updateConfig(tsMorph, shown, text, declaration, manifest?.entry);
    if (result.action !== 'unchanged') writeFileSync(file, result.text);
    return { file: shown, kind: 'config', action: result.action, notes: [] };
  }
  const result = updateEntry(tsMorph, shown, text, declaration, packageType(file));
  if (result.action !== 'unchanged') writeFileSync(file, result.text);
  return { file: shown, kind: 'entry', action: result.action, notes: result.notes };
}

/** ts-morph, imported by a name the CLI's bundler leaves alone, so it loads only here, and only now. */
async function loadTsMorph(): Promise<TsMorph> {
  const specifier = 'ts-morph';
  try {
    return (await import(specifier)) as TsMorph;
  } catch (error) {
    throw failure(`--write needs ts-morph, which could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`, 'Install it beside syscage: npm install ts-morph');
  }
}

/** The parts of the plugin's manifest `--write` reads; `source` may be missing from an older or hand-edited one. */
type EntryManifest = Pick<Manifest, 'entry'> & Partial<Pick<Manifest, 'source'>>;

/** `<file>.syscage.json`, the plugin's manifest beside a built output, if there is one. */
function readManifest(file: string): EntryManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(`${file}.syscage.json`, 'utf8')) as Partial<Manifest>;
    return typeof manifest.entry === 'string' ? (manifest as EntryManifest) : undefined;
  } catch {
    return undefined;
  }
}

/** The `type` of the package.json nearest to `file`. */
function packageType(file: string): string | undefined {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const type = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown }).type;
      return typeof type === 'string' ? type : 'commonjs';
    } catch {
      if (dirname(dir) === dir) return undefined;
    }
  }
}
