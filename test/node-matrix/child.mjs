/**
 * Runs `run-op.mjs` once in a fresh child process (never a filter in this process) and collects
 * what happened: each operation's start/end/skip event, the status line, and how the child
 * ended. Operations marked `tty` get a pseudo-terminal on stdio through util-linux `script`,
 * whose exit status 128+n stands for "killed by signal n". It interprets nothing beyond that.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareOpDirs } from './fixtures.mjs';

/** Absolute path of the runner fixture. */
export const RUN_OP = fileURLToPath(new URL('./run-op.mjs', import.meta.url));

const MARK = '@@matrix ';

/** What a child reads from a piped stdin (`readline.stdin-pipe`). */
export const STDIN_TEXT = 'alpha\nbeta\ngamma\n';

/**
 * @typedef {object} ChildSpec
 * @property {string} nodePath
 * @property {Record<string, unknown> | null} declaration  null: unsandboxed.
 * @property {readonly string[]} ops
 * @property {boolean} tty
 * @property {string} runRoot  where the run's private directory is made (and removed).
 * @property {string} fixtures
 * @property {Record<string, unknown>} peers
 * @property {number} opTimeoutMs
 * @property {boolean} [expectKill]  a denied case in kill mode (the harness's bookkeeping only).
 */

/**
 * @typedef {object} OpEvents
 * @property {boolean} started
 * @property {{ ok: boolean, value?: unknown, error?: Record<string, any>, ms?: number } | undefined} end
 * @property {string | undefined} skip
 */

/**
 * @typedef {object} ChildRun
 * @property {Map<string, OpEvents>} ops
 * @property {Record<string, any> | undefined} status  the runner's status line.
 * @property {number | null} code
 * @property {string | null} signal  a signal name, also when `script` reported it as 128+n.
 * @property {boolean} timedOut
 * @property {boolean} done  the runner reported the end of its list.
 * @property {string} output  stdout and stderr without the event lines (last 2000 characters).
 * @property {number | undefined} pid  the runner's pid (from its status line, else the child's).
 * @property {string[]} [killedBy]  syscalls the kernel log names for a seccomp kill of `pid`
 *   (filled in by the harness when it can read the kernel log).
 */

const signalNames = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

/** @param {string} word */
const shellQuote = (word) => `'${word.replaceAll("'", "'\\''")}'`;

/**
 * Runs one child and resolves when it has ended (it is killed, with its process group, after
 * the time its operations may take plus a margin).
 *
 * @param {ChildSpec} spec
 * @returns {Promise<ChildRun>}
 */
export async function runChild(spec) {
  const runDir = prepareOpDirs(mkdtempSync(join(spec.runRoot, 'run-')), spec.ops);
  const argv = [spec.nodePath, RUN_OP, JSON.stringify(spec.declaration), spec.ops.join(',')];
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: spec.runRoot,
    TERM: 'xterm',
    SYSCAGE_MATRIX_DIR: runDir,
    SYSCAGE_MATRIX_FIXTURES: spec.fixtures,
    SYSCAGE_MATRIX_PEERS: JSON.stringify(spec.peers),
    SYSCAGE_MATRIX_OP_TIMEOUT_MS: String(spec.opTimeoutMs),
  };
  const [command, ...args] = spec.tty ? ['script', '-qfec', argv.map(shellQuote).join(' '), '/dev/null'] : argv;
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(/** @type {string} */ (command), args, { cwd: runDir, env, stdio: [spec.tty ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      child.stdout?.setEncoding('utf8').on('data', (chunk) => { stdout += chunk; });
      child.stderr?.setEncoding('utf8').on('data', (chunk) => { stderr += chunk; });
      child.stdin?.on('error', () => {});
      child.stdin?.end(STDIN_TEXT);
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try { process.kill(-(/** @type {number} */ (child.pid)), 'SIGKILL'); } catch { /* already gone */ }
      }, spec.ops.length * spec.opTimeoutMs + 15_000);
      child.on('error', (error) => { clearTimeout(timer); reject(error); });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        const viaScript = spec.tty && code !== null && code > 128 ? signalNames.get(code - 128) : undefined;
        const parsed = parse(stdout, stderr);
        const pid = typeof parsed.status?.pid === 'number' ? parsed.status.pid : spec.tty ? undefined : child.pid;
        resolve({ ...parsed, code: viaScript ? null : code, signal: viaScript ?? signal, timedOut, pid });
      });
    });
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
}

/**
 * @param {string} stdout
 * @param {string} stderr
 * @returns {Pick<ChildRun, 'ops' | 'status' | 'done' | 'output'>}
 */
function parse(stdout, stderr) {
  /** @type {Map<string, OpEvents>} */
  const ops = new Map();
  const entry = (/** @type {string} */ name) => {
    let events = ops.get(name);
    if (events === undefined) ops.set(name, (events = { started: false, end: undefined, skip: undefined }));
    return events;
  };
  /** @type {Record<string, any> | undefined} */
  let status;
  let done = false;
  const rest = [];
  for (const raw of stdout.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const at = line.indexOf(MARK);
    if (at < 0) {
      rest.push(line);
      continue;
    }
    if (at > 0) rest.push(line.slice(0, at));
    let event;
    try {
      event = JSON.parse(line.slice(at + MARK.length));
    } catch {
      rest.push(line);
      continue;
    }
    if (event.event === 'status') status = event;
    else if (event.event === 'done') done = true;
    else if (event.event === 'start') entry(event.op).started = true;
    else if (event.event === 'end') entry(event.op).end = { ok: event.ok, value: event.value, error: event.error, ms: event.ms };
    else if (event.event === 'skip') entry(event.op).skip = event.reason;
    else rest.push(line);
  }
  const output = `${rest.join('\n').trim()}\n${stderr.trim()}`.trim();
  return { ops, status, done, output: output.slice(-2000) };
}
