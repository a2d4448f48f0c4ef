/**
 * Runs a fixture script from `test/fixtures/` in a fresh `node` child process and collects what it
 * did. Filters are only ever installed in those children, never in the test runner.
 */
import { fileURLToPath } from 'node:url';
import { runNode } from '../../../test/support/run-node.ts';

/** How a fixture process ended. */
export interface FixtureRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The absolute path of fixture `name` (e.g. `mkdir.mjs`). */
export function fixturePath(name: string): string {
  return fileURLToPath(new URL(`fixtures/${name}`, import.meta.url));
}

/**
 * Runs `node fixtures/<name> ...args` like a user would and resolves when it ends (killed after
 * 20 s); `options.node` picks another Node binary.
 */
export function runFixture(name: string, args: readonly string[] = [], options: { node?: string; nodeArgs?: readonly string[]; env?: Record<string, string>; cwd?: string } = {}): Promise<FixtureRun & { pid: number | undefined }> {
  return runNode([...(options.nodeArgs ?? []), fixturePath(name), ...args], options);
}

/** The fixture's last stdout line, parsed as JSON. */
export function lastJson<T>(run: FixtureRun): T {
  const line = run.stdout.trimEnd().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(`fixture printed no JSON (exit ${run.code}, signal ${run.signal}):\n${run.stdout}\n${run.stderr}`);
  }
}
