/**
 * Runs the built `syscage` (packages/cli/dist/bin.js) in a child process, never in the test
 * runner: exec installs a sandbox in the process it runs in.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runNode, withoutPid, type NodeRun } from '../../../test/support/run-node.ts';

/** The built executable. */
export const CLI = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** How a run ended. */
export type CliRun = Omit<NodeRun, 'pid'>;

/** `node dist/bin.js ...args`, with `cwd` and extra environment. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; node?: string } = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error('The CLI tests run the built CLI: run `pnpm build` (or `pnpm exec tsc -b packages/cli/tsconfig.build.json`) first.');
  return runNode([CLI, ...args], { ...options, env: { NO_COLOR: '1', ...options.env }, timeoutMs: 50_000 }).then(withoutPid);
}
