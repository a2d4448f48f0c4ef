/**
 * What the examples' tests share: running a built example in a child process (never in the test
 * runner: a sandbox cannot be taken off), the Node binaries to run it on, and whether a build's
 * path and port lists are enforced yet (Landlock, issue 4) or only the kinds of operation (seccomp).
 */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode, withoutPid, type NodeRun } from '../test/support/run-node.ts';

/** The repository root. */
export const REPO = fileURLToPath(new URL('..', import.meta.url));

/** How a run ended. */
export type Run = Omit<NodeRun, 'pid'>;

/** Options of {@link runExample}. */
export interface RunOptions {
  /** The working directory: relative paths in a declaration are resolved against it at run time. */
  readonly cwd: string;
  /** The Node binary (default: the one running the tests, Node 20 in CI). */
  readonly node?: string;
  readonly env?: Record<string, string>;
  /** Called once with the child, for programs that keep running (servers). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** Runs `node file ...args` and resolves when it ends (killed after 20 s). */
export function runExample(file: string, args: readonly string[], options: RunOptions): Promise<Run> {
  return runNode([file, ...args], options).then(withoutPid);
}

/** The Node versions the examples run on: this one (20) and 22, 24 and 26 from scripts/baseline/install-node.mjs. */
export function nodeVersions(): Array<{ major: number; path: string }> {
  const json = execFileSync(process.execPath, [`${REPO}scripts/baseline/install-node.mjs`, '--json', '22,24,26'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return [{ major: Number(process.versions.node.split('.')[0]), path: process.execPath }, ...(JSON.parse(json) as Array<{ major: number; path: string }>)];
}

/**
 * True when the built program `bundle` carries Landlock rules, so the kernel enforces its path and
 * port lists and not only the kinds of operation: the manifest's `landlock` is then a plan with
 * path rules (schema 2), or the loader's embedded payload has a `landlock` part. Before issue 4,
 * `landlock` only restated the declared lists; the scoping tests then skip themselves.
 */
export function landlockEnforced(bundle: string): boolean {
  const { landlock } = readManifest(bundle);
  const planned = Array.isArray((landlock as { paths?: unknown } | undefined)?.paths);
  const embedded = /applyPrecompiled[\w$]*\)?\(\s*\{[^\n]*"landlock"\s*:/.test(readFileSync(bundle, 'utf8'));
  return planned || embedded;
}

/** The manifest written beside a built example. */
export function readManifest(bundle: string): { grants: string[]; declaration: unknown; landlock: unknown } {
  return JSON.parse(readFileSync(`${bundle}.syscage.json`, 'utf8'));
}
