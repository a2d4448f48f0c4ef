/**
 * Runs one workload once, the way every measurement and check must run it: a clean environment
 * (like `env -i`, plus PATH, HOME and the workload's own variables), a fresh scratch directory as
 * cwd, and stdio as a Node parent would give it (socketpairs from `stdio: 'pipe'`) or as regular
 * files. An optional command prefix wraps the Node binary: `strace ... --` for the measurement, a
 * sandboxing loader for the filter check. It does not trace or interpret anything itself.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WORKLOADS_DIR } from './workloads.mjs';

/** PATH given to workloads: enough for `spawn('true')` and `/bin/sh`, nothing user-specific. */
export const CLEAN_PATH = '/usr/local/bin:/usr/bin:/bin';

/**
 * The whole environment a workload sees. Deliberately without NODE_EXTRA_CA_CERTS, NODE_OPTIONS,
 * UV_USE_IO_URING, TZ, LANG: anything of that kind comes from the workload's own `env`.
 *
 * @param {import('./workloads.mjs').Workload} workload
 * @param {string} workDir
 * @returns {Record<string, string>}
 */
export function cleanEnv(workload, workDir) {
  return { PATH: CLEAN_PATH, HOME: workDir, SYSCAGE_WORK_DIR: workDir, ...workload.env };
}

/**
 * @typedef {object} RunResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {boolean} timedOut
 * @property {number} ms  wall time, prefix included.
 * @property {string} workDir  the scratch directory the run used as cwd, HOME and
 *   SYSCAGE_WORK_DIR (already removed; returned so traces can be normalised).
 */

/**
 * Runs `[...prefix, node, ...nodeArgs, workloads/<file>]` once and waits for it.
 *
 * @param {object} options
 * @param {string} options.node        Node binary.
 * @param {import('./workloads.mjs').Workload} options.workload
 * @param {readonly string[]} [options.prefix]  command placed before the Node binary.
 * @param {readonly string[]} [options.nodeArgs]  Node options placed before the workload file
 *   (e.g. `--import <loader>` for the filter check).
 * @param {number} [options.timeoutMs]  the whole process group is killed after this.
 * @returns {Promise<RunResult>}
 * @example
 *   const result = await runWorkload({ node: process.execPath, workload: findWorkload('timers') });
 *   if (result.code !== 0) throw new Error(result.stderr);
 */
export async function runWorkload({ node, workload, prefix = [], nodeArgs = [], timeoutMs = 30_000 }) {
  const workDir = mkdtempSync(join(tmpdir(), 'syscage-baseline-'));
  const toFiles = workload.stdio === 'file';
  /** @type {number[]} */
  const fds = [];
  try {
    if (toFiles) fds.push(openSync(join(workDir, 'stdout.txt'), 'w'), openSync(join(workDir, 'stderr.txt'), 'w'));
    const stdio = toFiles ? ['ignore', fds[0], fds[1]] : ['pipe', 'pipe', 'pipe'];
    const argv = [...prefix, node, ...nodeArgs, join(WORKLOADS_DIR, workload.file)];
    const started = performance.now();
    // detached: the workload gets its own process group, so a timeout kills strace, Node and
    // any grandchildren together.
    const child = spawn(/** @type {string} */ (argv[0]), argv.slice(1), {
      cwd: workDir, env: cleanEnv(workload, workDir), stdio: /** @type {any} */ (stdio), detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
    child.stderr?.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
    child.stdin?.on('error', () => {});
    child.stdin?.end(workload.stdin ?? '');
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try { process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    /** @type {[number | null, NodeJS.Signals | null]} */
    const [code, signal] = await new Promise((done, fail) => {
      child.on('error', fail);
      child.on('close', (c, s) => done([c, s]));
    });
    clearTimeout(timer);
    const ms = performance.now() - started;
    if (toFiles) {
      stdout = readFileSync(join(workDir, 'stdout.txt'), 'utf8');
      stderr = readFileSync(join(workDir, 'stderr.txt'), 'utf8');
    }
    return { code, signal, stdout, stderr, timedOut, ms, workDir };
  } finally {
    for (const fd of fds) closeSync(fd);
    rmSync(workDir, { recursive: true, force: true });
  }
}
