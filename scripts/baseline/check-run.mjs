/**
 * One run of a workload for the filter check, and how it compares with the unsandboxed reference:
 * every run goes through run-workload.mjs with `node --import check-preload.mjs`, which sandboxes
 * only when told to through the environment. No filter is ever installed in this process.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runWorkload } from './run-workload.mjs';

/** The preload every run gets (`--import`); it sandboxes only when SYSCAGE_CHECK_CAPS is set. */
export const PRELOAD = fileURLToPath(new URL('./workloads/check-preload.mjs', import.meta.url));
/** {@link PRELOAD} as the `--import` argument gives it. */
export const PRELOAD_URL = pathToFileURL(PRELOAD).href;

/** @typedef {import('./workloads.mjs').Workload} Workload */
/** @typedef {{ major: number, version: string, path: string }} NodeBin */
/** @typedef {import('./run-workload.mjs').RunResult} RunResult */

/**
 * @param {Workload} workload
 * @param {Record<string, string>} extra
 * @returns {Workload}
 */
function withEnv(workload, extra) {
  return { ...workload, env: { ...workload.env, ...extra } };
}

/**
 * Runs `workload` once with the preload; sandboxed when `caps` is given.
 *
 * @param {{ node: NodeBin, workload: Workload, caps?: object, trap?: boolean, allow?: string[],
 *   at?: string, prefix?: string[], timeoutMs?: number }} options  `trap`: TRAP instead of KILL
 *   (diagnosis), `allow`: syscalls allowed in addition (trap mode only).
 */
export function runChecked({ node, workload, caps, trap = false, allow = [], at = 'marker', prefix = [], timeoutMs = 30_000 }) {
  const env = caps === undefined ? {} : {
    SYSCAGE_CHECK_CAPS: JSON.stringify(caps),
    SYSCAGE_CHECK_AT: at,
    ...(trap ? { SYSCAGE_CHECK_TRAP: '1' } : {}),
    ...(trap && allow.length > 0 ? { SYSCAGE_CHECK_ALLOW: allow.join(',') } : {}),
  };
  return runWorkload({ node: node.path, workload: withEnv(workload, env), prefix, nodeArgs: ['--import', PRELOAD_URL], timeoutMs });
}

/**
 * stdout/stderr with the run's scratch directory written as `$WORK`.
 *
 * @param {RunResult} result
 */
export function outputOf(result) {
  const norm = (/** @type {string} */ text) => text.split(result.workDir).join('$WORK');
  return { stdout: norm(result.stdout), stderr: norm(result.stderr) };
}

/**
 * @typedef {object} Reference
 * @property {number} code  the exit code every reference run had.
 * @property {{ stdout: string, stderr: string } | undefined} output  when all runs agreed.
 */

/**
 * How a sandboxed run differs from the reference, or undefined if it does not.
 *
 * @param {RunResult} result
 * @param {Reference} reference
 * @returns {{ kind: string, detail: string } | undefined}
 */
export function compareRun(result, reference) {
  const tail = (/** @type {string} */ s) => {
    const lines = s.trim().split('\n').filter((l) => l.trim() !== '');
    const error = lines.find((l) => /^(\w*Error\b|syscage)|Error:/.test(l));
    const last = lines.at(-1);
    const preload = lines.some((l) => l.includes('check-preload.mjs')) ? ' [the preload failed: was packages/*/dist rebuilt meanwhile?]' : '';
    return `${[error, last].filter((l, i, all) => l !== undefined && all.indexOf(l) === i).join(' | ').slice(0, 300)}${preload}`;
  };
  if (result.timedOut) return { kind: 'timeout', detail: tail(result.stderr) };
  if (result.signal !== null) return { kind: result.signal, detail: tail(result.stderr) };
  if (result.code !== reference.code) return { kind: `exit ${result.code}`, detail: tail(result.stderr) };
  if (reference.output !== undefined) {
    const out = outputOf(result);
    if (out.stdout !== reference.output.stdout) return { kind: 'stdout', detail: firstDifference(reference.output.stdout, out.stdout) };
    if (out.stderr !== reference.output.stderr) return { kind: 'stderr', detail: firstDifference(reference.output.stderr, out.stderr) };
  }
  return undefined;
}

/** @param {string} want @param {string} got */
function firstDifference(want, got) {
  const a = want.split('\n');
  const b = got.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) return `line ${i + 1}: expected ${JSON.stringify(a[i] ?? '<none>')}, got ${JSON.stringify(b[i] ?? '<none>')}`;
  }
  return '';
}
