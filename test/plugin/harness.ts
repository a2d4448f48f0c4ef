/**
 * Helpers for the plugin's bundler matrix: a scratch directory whose `node_modules` links the
 * runtime (so built programs resolve `@syscage/runtime/loader` like an installed app), running a
 * built program in a child process (never in the test runner), and reading what a bundle embeds.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/** Node 22 and 24 binaries (installed on first use by scripts/baseline/install-node.mjs). */
export function otherNodes(): Array<{ major: number; version: string; path: string }> {
  const json = execFileSync(process.execPath, [join(REPO, 'scripts/baseline/install-node.mjs'), '--json', '22,24'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(json);
}

/** How a program run ended. */
export type ProgramRun = Omit<NodeRun, 'pid'>;

/** Runs `node file ...args` in a child process, without NODE_OPTIONS or NODE_PATH from this one. */
export function runProgram(file: string, args: readonly string[], options: { node?: string; env?: Record<string, string> } = {}): Promise<ProgramRun> {
  return runNode([file, ...args], { ...options, node: options.node ?? 'node' }).then(withoutPid);
}

/** The payloads of every `applyPrecompiled(...)` call in a bundle, however the bundler printed or renamed it. */
export function embeddedPayloads(file: string): Array<{ grants: string[]; onViolation: string; filters: Record<string, string>; stage1: Record<string, string> }> {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(/applyPrecompiled[\w$]*\)?\(\s*\{/g)].map((match) => {
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
