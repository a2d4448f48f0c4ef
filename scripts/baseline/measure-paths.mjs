#!/usr/bin/env node
/**
 * Measures what the Node runtime itself opens after a program's first line, per Node version: the
 * evidence behind Landlock's implicit read set (packages/core/src/landlock/implicit.ts). Each
 * workload (workloads.mjs) runs under `strace -f`, with clone3 and io_uring_setup answered ENOSYS
 * as the sandbox does; every open/openat/execve of the main process and its threads after the
 * marker is kept, except the workload's own files and scratch directory (what a program declares).
 * Each path is printed with the implicit entry that covers it, or as UNCOVERED; the exit status is
 * 1 if a path no entry covers was opened by a workload that declares no fs.read (so a missing entry
 * would refuse a program that declared nothing wrong).
 *
 * Usage: node scripts/baseline/measure-paths.mjs [--node 20,22,24,26] [--workload a,b]
 */
import { readFileSync, rmSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { installNode, NODE_MAJORS, REPO_ROOT } from './install-node.mjs';
import { straceArgv } from './measure.mjs';
import { decodeString, parseTrace } from './parse-strace.mjs';
import { runWorkload } from './run-workload.mjs';
import { MARKER_PATH, WORKLOADS, WORKLOADS_DIR } from './workloads.mjs';
import { DECLARATIONS, NOT_CHECKED } from './check-declarations.mjs';

const { values } = parseArgs({ options: { node: { type: 'string', default: NODE_MAJORS.join(',') }, workload: { type: 'string' } } });
const { NODE_IMPLICIT_PATHS, EXEC_START_PATHS, DNS_PATHS } = await import(join(REPO_ROOT, 'packages/core/dist/index.js'));

const PATH_ARG = { open: 0, openat: 1, execve: 0 };
const selected = values.workload ? WORKLOADS.filter((w) => values.workload.split(',').includes(w.name)) : WORKLOADS;

/** Where each implicit entry points for a run of `node` (placeholders as the runtime fills them). */
function implicitRoots(node) {
  const real = dirname(node);
  const fill = { '{extra-ca-certs}': [], '{program}': [WORKLOADS_DIR], '{loader}': [join(REPO_ROOT, 'packages')], '{modules}': [join(REPO_ROOT, 'node_modules')], '{package-json}': [join(REPO_ROOT, 'package.json')], '{node}': [node, real], '{interpreter}': ['/lib64/ld-linux-x86-64.so.2', '/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2'] };
  return [...NODE_IMPLICIT_PATHS, ...EXEC_START_PATHS].flatMap((entry) => (fill[entry.path] ?? [entry.path]).map((root) => ({ root, entry: entry.path })));
}

let uncovered = 0;
for (const node of await installNode({ majors: values.node.split(',').map(Number), log: () => {} })) {
  const roots = implicitRoots(node.path);
  /** @type {Map<string, Set<string>>} */
  const seen = new Map();
  for (const workload of selected) {
    const dir = mkdtempSync(join(tmpdir(), 'syscage-paths-'));
    const traceFile = join(dir, 'trace');
    try {
      const result = await runWorkload({ node: node.path, workload, prefix: straceArgv(traceFile, ['clone3', 'io_uring_setup']), timeoutMs: 60_000 });
      const trace = parseTrace(readFileSync(traceFile, 'utf8'), MARKER_PATH);
      for (const event of trace.events) {
        if (event.seq <= trace.markerSeq || !(event.name in PATH_ARG) || event.errno === 'ENOENT') continue;
        if (trace.tgidOf.get(event.tid) !== trace.mainPid) continue; // children are the spawned program's business
        const path = decodeString(event.args[PATH_ARG[event.name]]);
        if (path === undefined || path.startsWith(WORKLOADS_DIR) || path.startsWith(result.workDir) || !path.startsWith('/')) continue;
        seen.set(path, (seen.get(path) ?? new Set()).add(workload.name));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`Node ${node.version}: ${seen.size} paths opened by the runtime after the first line`);
  for (const [path, workloads] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
    const resolves = [...workloads].filter((name) => !(name in NOT_CHECKED)).every((name) => /"(dns|net)"/.test(JSON.stringify(DECLARATIONS[name]?.caps ?? {})));
    const cover = [...roots, ...(resolves ? DNS_PATHS.map((entry) => ({ root: entry.path, entry: 'dns / net.* resolver files' })) : [])].find(({ root }) => path === root || path.startsWith(`${root}/`));
    const readsFreely = [...workloads].filter((name) => !(name in NOT_CHECKED)).every((name) => {
      const fs = /** @type {{ fs?: { read?: boolean, write?: boolean } }} */ (DECLARATIONS[name]?.caps ?? {}).fs;
      return fs?.read === true || fs?.write === true;
    });
    const unchecked = [...workloads].every((name) => name in NOT_CHECKED);
    if (cover === undefined && !readsFreely && !unchecked) uncovered += 1;
    const verdict = cover ? `← ${cover.entry}` : unchecked ? '(only a workload no declaration runs)' : readsFreely ? '(fs.read declared)' : 'UNCOVERED';
    console.log(`  ${path}  ${verdict}  [${[...workloads].join(', ')}]`);
  }
}
process.exitCode = uncovered > 0 ? 1 : 0;
