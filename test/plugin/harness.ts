/**
 * Helpers for the plugin's bundler matrix: a scratch directory whose `node_modules` links the
 * runtime (so built programs resolve `@syscage/runtime/loader` like an installed app), running a
 * built program in a child process (never in the test runner), and reading which gate an output
 * loads first and what it applies.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runNode, withoutPid, type NodeRun } from '../support/run-node.ts';

/** The repository root. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The fixture program. */
export const APP = fileURLToPath(new URL('fixtures/app', import.meta.url));

/** A fresh directory with `node_modules/@syscage/runtime` (and `ffi-rs`) linked in. */
export function makeScratch(): string {
  if (!existsSync(join(REPO, 'packages/runtime/dist/loader.js'))) throw new Error('The plugin tests run built programs against packages/runtime/dist: run `pnpm build` first.');
  const dir = mkdtempSync(join(tmpdir(), 'syscage-plugin-'));
  mkdirSync(join(dir, 'node_modules/@syscage'), { recursive: true });
  symlinkSync(join(REPO, 'packages/runtime'), join(dir, 'node_modules/@syscage/runtime'));
  symlinkSync(join(REPO, 'packages/core'), join(dir, 'node_modules/@syscage/core'));
  symlinkSync(join(REPO, 'packages/runtime/node_modules/ffi-rs'), join(dir, 'node_modules/ffi-rs'));
  return dir;
}

/** Node 22, 24 and 26 binaries (installed on first use by scripts/baseline/install-node.mjs). */
export function otherNodes(): Array<{ major: number; version: string; path: string }> {
  const json = execFileSync(process.execPath, [join(REPO, 'scripts/baseline/install-node.mjs'), '--json', '22,24,26'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(json);
}

/** How a program run ended. */
export type ProgramRun = Omit<NodeRun, 'pid'>;

/** Runs `node file ...args` in a child process, without NODE_OPTIONS or NODE_PATH from this one. */
export function runProgram(file: string, args: readonly string[], options: { node?: string; env?: Record<string, string>; cwd?: string } = {}): Promise<ProgramRun> {
  return runNode([file, ...args], { ...options, node: options.node ?? 'node' }).then(withoutPid);
}

/**
 * The program a launcher starts (see the plugin's core/gate.ts), as an absolute path, or
 * undefined when `file` is no launcher (the output is the program).
 */
export function programOf(file: string): string | undefined {
  const code = readFileSync(file, 'utf8');
  if (!/^(?:#![^\n]*\n)?\/\/ Written by @syscage\/plugin: starts /.test(code)) return undefined;
  const program = /launchPrecompiled\(.*, \{ self: (?:import\.meta\.url|__filename), program: ("\.\/[^"]+"), main: /.exec(code)?.[1];
  if (program === undefined) throw new Error(`${file} is a launcher that names no program`);
  return join(dirname(file), JSON.parse(program) as string);
}

/**
 * The gate an output loads as its first statement (after a `#!` line, comments and `'use strict'`),
 * as an absolute path, or undefined when its first statement loads none. For a launcher, the gate
 * of the program it starts.
 */
export function gateOf(file: string): string | undefined {
  const program = programOf(file);
  if (program !== undefined) return gateOf(program);
  const code = readFileSync(file, 'utf8');
  const first = /^(?:#![^\n]*\n)?(?:\s|\/\*(?:[^*]|\*(?!\/))*\*\/|\/\/[^\n]*\n|(["'])use strict\1;?)*(?:import\s*(["'])(\.\.?\/[^"']+\.syscage\.mjs)\2|require\(\s*(["'])(\.\.?\/[^"']+\.syscage\.cjs)\4\s*\))/.exec(code);
  const specifier = first?.[3] ?? first?.[5];
  return specifier === undefined ? undefined : join(dirname(file), specifier);
}

/**
 * The payloads a built program applies: the gate's, when the output loads one first, followed by
 * every `applyPrecompiled(...)` call in the output itself (there should be none). For a launcher,
 * those of the program it starts; the launcher's own payload must be the gate's.
 */
export function embeddedPayloads(file: string): Array<{ grants: string[]; onViolation: string; filters: Record<string, string>; stage1: Record<string, string> }> {
  const program = programOf(file);
  if (program !== undefined) {
    const launched = payloadsIn(readFileSync(file, 'utf8'), 'launchPrecompiled');
    const applied = embeddedPayloads(program);
    if (launched.length !== 1 || JSON.stringify(launched[0]) !== JSON.stringify(applied[0])) throw new Error(`${file} launches with another sandbox than its program's gate applies`);
    return applied;
  }
  const gate = gateOf(file);
  return [...(gate ? payloadsIn(readFileSync(gate, 'utf8')) : []), ...payloadsIn(readFileSync(file, 'utf8'))];
}

/** Every `applyPrecompiled(...)` call's literal argument in `code`, however a bundler printed or renamed it. */
function payloadsIn(code: string, call = 'applyPrecompiled'): Array<{ grants: string[]; onViolation: string; filters: Record<string, string>; stage1: Record<string, string> }> {
  return [...code.matchAll(new RegExp(`${call}[\\w$]*\\)?\\(\\s*\\{`, 'g'))].map((match) => {
    const open = (match.index ?? 0) + match[0].length - 1;
    let depth = 0;
    let end = open;
    for (; end < code.length; end++) {
      if (code[end] === '{') depth++;
      if (code[end] === '}' && --depth === 0) break;
    }
    return JSON.parse(code.slice(open, end + 1));
  });
}

/** How many times a bundle imports or requires `specifier` (comments aside). */
export function countImports(file: string, specifier: string): number {
  const quoted = `["']${specifier.replace(/[/.]/g, '\\$&')}["']`;
  return readFileSync(file, 'utf8').match(new RegExp(`(\\bfrom\\s*${quoted}|\\brequire\\(\\s*${quoted}\\s*\\)|^import\\s*${quoted})`, 'gm'))?.length ?? 0;
}

/**
 * How `bundler` shows a plugin error about `file` at `line`:`column` (1-based): esbuild counts
 * columns from 0 and tags the plugin, Rollup prints `file (line:column)` counting from 0, the
 * others get `file:line:column:` in the text.
 */
export function locatedError(bundler: string, file: string, line: number, column: number, text: string): RegExp {
  const escape = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
  if (bundler === 'esbuild') return new RegExp(`${escape(`${file}:${line}:${column - 1}: ERROR: [plugin: syscage] ${text}`)}`);
  if (bundler === 'rollup') return new RegExp(`${escape(file)} ${escape(`(${line}:${column - 1}): ${text}`)}`);
  return new RegExp(escape(`${file}:${line}:${column}: ${text}`));
}
