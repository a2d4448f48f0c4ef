/**
 * Runs `node ...args` in a child process and collects how it ended: the one way every test suite
 * here runs a program that may install a sandbox (never in the test runner, which a sandbox could
 * not be taken off). NODE_OPTIONS and NODE_PATH (pnpm sets them for its scripts) are not passed on,
 * so the child resolves packages only the ordinary way.
 */
import { spawn, type ChildProcess } from 'node:child_process';

/** How a child ended. */
export interface NodeRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly pid: number | undefined;
}

/** Options of {@link runNode}. */
export interface RunNodeOptions {
  /** The Node binary (default: the one running the tests). */
  readonly node?: string;
  readonly cwd?: string;
  /** Added to this process's environment. */
  readonly env?: Record<string, string>;
  /** Killed after this long (default 20 s). */
  readonly timeoutMs?: number;
  /** Called once with the child, for programs that keep running (servers). */
  readonly onSpawn?: (child: ChildProcess) => void;
}

/** `node ...args`, resolved when the child has closed its output and ended. */
export function runNode(args: readonly string[], options: RunNodeOptions = {}): Promise<NodeRun> {
  const { NODE_OPTIONS: _options, NODE_PATH: _path, ...inherited } = process.env;
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [...args], {
      env: { ...inherited, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 20_000,
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, pid: child.pid }));
    options.onSpawn?.(child);
  });
}

/** A run as the suites compare it, without the pid that differs every time. */
export function withoutPid({ pid: _pid, ...run }: NodeRun): Omit<NodeRun, 'pid'> {
  return run;
}
