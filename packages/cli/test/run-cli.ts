/**
 * Runs the built `syscage` (packages/cli/dist/bin.js) in a child process, never in the test
 * runner: exec installs a sandbox in the process it runs in.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built executable. */
export const CLI = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

/** How a run ended. */
export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `node dist/bin.js ...args`, with `cwd` and extra environment. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; node?: string } = {}): Promise<CliRun> {
  if (!existsSync(CLI)) throw new Error('The CLI tests run the built CLI: run `pnpm build` (or `pnpm exec tsc -b packages/cli/tsconfig.build.json`) first.');
  const { NODE_OPTIONS: _o, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [CLI, ...args], { cwd: options.cwd, env: { ...inherited, NO_COLOR: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 50_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}
