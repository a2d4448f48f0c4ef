/**
 * Maps the run-specific parts of traced paths (scratch directory, Node install location, pids,
 * mkdtemp suffixes, cgroup names, directory descriptors) to stable placeholders, so that runs fold
 * together and regenerating on another machine or checkout gives comparable files. It does not
 * decide which paths matter; report.mjs and the catalog do.
 */
import { dirname } from 'node:path';
import { REPO_ROOT } from './install-node.mjs';
import { WORKLOADS_DIR } from './workloads.mjs';

/**
 * Maps run-specific paths (scratch dir, pids, mkdtemp suffixes, install locations) to stable names.
 *
 * @param {{ node: string, workDir: string }} run
 * @returns {(path: string) => string}
 */
export function pathNormaliser({ node, workDir }) {
  /** @type {Array<[string, string]>} */
  const prefixes = [[node, '$NODE'], [workDir, '$WORK'], [WORKLOADS_DIR, '$WORKLOADS'], [REPO_ROOT, '$REPO']];
  // The repository's ancestors show up when realpath or module resolution walks upwards.
  /** @type {Array<[string, string]>} */
  const ancestors = [];
  for (let dir = dirname(REPO_ROOT), up = '$REPO/..'; dir !== '/'; dir = dirname(dir), up += '/..') ancestors.push([dir, up]);
  return (path) => {
    let out = path;
    for (const [from, to] of [...prefixes, ...ancestors]) {
      if (out === from || out.startsWith(`${from}/`)) { out = to + out.slice(from.length); break; }
    }
    return out
      .replace(/^<fd \d+>/, '<dirfd>')
      .replace(/^\/proc\/\d+(?=\/|$)/, '/proc/<pid>')
      .replace(/\/task\/\d+(?=\/|$)/, '/task/<tid>')
      .replace(/\/fd\/\d+$/, '/fd/<n>')
      .replace(/^\/dev\/pts\/\d+$/, '/dev/pts/<n>')
      .replace(/^\/sys\/fs\/cgroup\/((?:memory|cpu|cpuacct|cpu,cpuacct|cpuset|pids)\/)?.+\/([^/]+)$/, '/sys/fs/cgroup/$1<cgroup>/$2')
      .replace(/mkdtemp-[A-Za-z0-9]{6}/g, 'mkdtemp-XXXXXX');
  };
}
