/**
 * Runs a fixture script from `test/fixtures/` in a fresh `node` child process and collects what it
 * did. Filters are only ever installed in those children, never in the test runner.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
 * 20 s); `options.node` picks another Node binary. `NODE_PATH` (pnpm sets it for its scripts) and `NODE_OPTIONS` are not passed on, so the
 * child resolves packages only the ordinary way.
 */
export function runFixture(name: string, args: readonly string[] = [], options: { node?: string; nodeArgs?: readonly string[]; env?: Record<string, string>; cwd?: string } = {}): Promise<FixtureRun & { pid: number | undefined }> {
  const { NODE_PATH: _path, NODE_OPTIONS: _options, ...inherited } = process.env;
  const env = { ...inherited, ...options.env };
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [...(options.nodeArgs ?? []), fixturePath(name), ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000, ...(options.cwd ? { cwd: options.cwd } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid }));
  });
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
