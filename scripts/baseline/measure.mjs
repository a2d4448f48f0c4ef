#!/usr/bin/env node
/**
 * Measures the syscalls Node makes after a program's first line, per Node version and workload,
 * and writes packages/core/src/catalog/measured/node-<major>.json.
 *
 * Each workload (workloads.mjs) runs several times under `strace -f -qq -e trace=all -e
 * signal=none` in a clean environment, in two modes (MODES: natural, and with clone3 and
 * io_uring_setup answered ENOSYS as the filter will); each trace is cut at the marker, summarised
 * (summarise.mjs) and the runs folded together. It measures only: whether a filter built from
 * these sets actually lets the workloads run is a separate check (see README.md).
 *
 * Usage: node scripts/baseline/measure.mjs [--runs 8] [--quick] [--node 20,22,24,26]
 *          [--workload a,b] [--mode natural,enosys] [--jobs N] [--out DIR] [--write]
 *          [--keep-traces DIR]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, machine, release, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installNode, NODE_MAJORS, REPO_ROOT } from './install-node.mjs';
import { pathNormaliser } from './normalise-path.mjs';
import { parseTrace } from './parse-strace.mjs';
import { CLEAN_PATH, runWorkload } from './run-workload.mjs';
import { stableStringify } from './stable-json.mjs';
import { mergeRuns, summariseTrace } from './summarise.mjs';
import { findWorkload, MARKER_PATH, WORKLOADS } from './workloads.mjs';
import { pool } from './pool.mjs';

/** Default number of traced runs per workload and Node version. */
export const DEFAULT_RUNS = 8;

/** Where the measured JSON goes. */
export const MEASURED_DIR = join(REPO_ROOT, 'packages', 'core', 'src', 'catalog', 'measured');

/**
 * How a workload is traced. `natural`: Node as it runs unsandboxed. `enosys`: strace answers
 * `clone3` and `io_uring_setup` with ENOSYS from the first instruction on, as the syscage filter
 * does (clone3's struct cannot be inspected; io_uring bypasses seccomp): glibc then creates
 * threads with `clone` and libuv uses `epoll_ctl` instead of a ring. That is the process a filter
 * actually governs, so the catalog should be built from `enosys`.
 */
export const MODES = Object.freeze({
  natural: Object.freeze({ inject: /** @type {string[]} */ ([]) }),
  enosys: Object.freeze({ inject: ['clone3', 'io_uring_setup'] }),
});

/**
 * The strace command placed before `node workload`; `-s` keeps whole paths.
 *
 * @param {string} traceFile
 * @param {readonly string[]} [inject]  syscalls strace answers with ENOSYS.
 */
export function straceArgv(traceFile, inject = []) {
  const injection = inject.length === 0 ? [] : ['-e', `inject=${inject.join(',')}:error=ENOSYS`];
  return ['strace', '-f', '-qq', '-e', 'trace=all', '-e', 'signal=none', ...injection, '-s', '4096', '-o', traceFile, '--'];
}

/**
 * Traces one run of a workload and summarises it.
 *
 * @param {{ path: string }} node
 * @param {import('./workloads.mjs').Workload} workload
 * @param {string} traceFile
 * @param {readonly string[]} [inject]  see MODES.
 */
export async function traceRun(node, workload, traceFile, inject = []) {
  const result = await runWorkload({ node: node.path, workload, prefix: straceArgv(traceFile, inject), timeoutMs: 60_000 });
  const expected = workload.exitCode ?? 0;
  if (result.timedOut || result.code !== expected) {
    const why = result.timedOut ? 'timed out' : `exited with ${result.code ?? result.signal}, expected ${expected}`;
    throw new Error(`${workload.name} ${why}\n${result.stderr.trim().split('\n').slice(-5).join('\n')}`);
  }
  const trace = parseTrace(readFileSync(traceFile, 'utf8'), MARKER_PATH);
  return { summary: summariseTrace(trace, pathNormaliser({ node: node.path, workDir: result.workDir })), ms: result.ms };
}

/** @param {string} node */
function describeNode(node) {
  const script = 'console.log(JSON.stringify({ node: process.version, v8: process.versions.v8, libuv: process.versions.uv, glibc: process.report.getReport().header.glibcVersionRuntime }))';
  return JSON.parse(execFileSync(node, ['-e', script], { encoding: 'utf8', env: { PATH: CLEAN_PATH } }));
}

/**
 * @typedef {{ major: number, mode: string, workload: string, summary: import('./summarise.mjs').RunSummary }} Done
 */

/**
 * Folds the runs of one Node version and mode into baseline, union, startup and per-workload facts.
 *
 * @param {Done[]} done
 * @param {readonly import('./workloads.mjs').Workload[]} workloads
 * @param {boolean} withPaths
 */
function buildSection(done, workloads, withPaths) {
  /** @type {Record<string, object>} */
  const measured = {};
  /** @type {Record<string, string[]>} */
  const namesOf = {};
  /** @type {Set<string>} */
  const startup = new Set();
  for (const workload of workloads) {
    const runs = done.filter((d) => d.workload === workload.name).map((d) => d.summary);
    for (const run of runs) for (const name of run.startup) startup.add(name);
    const { paths, ...merged } = mergeRuns(runs);
    namesOf[workload.name] = Object.keys(merged.syscalls);
    measured[workload.name] = {
      area: workload.area,
      stdio: workload.stdio ?? 'pipe',
      ...(workload.env === undefined ? {} : { env: workload.env }),
      ...merged,
      ...(withPaths ? { paths } : {}),
    };
  }
  const union = (/** @type {string[]} */ names) => [...new Set(names.flatMap((w) => namesOf[w] ?? []))].sort();
  const baselineWorkloads = workloads.filter((w) => w.baseline).map((w) => w.name);
  /** @type {Record<string, Record<string, Set<string>>>} */
  const baselineArgs = {};
  for (const name of baselineWorkloads) {
    const { syscalls } = /** @type {{ syscalls: Record<string, { args?: Record<string, string[]> }> }} */ (measured[name]);
    for (const [syscall, { args = {} }] of Object.entries(syscalls)) {
      for (const [key, values] of Object.entries(args)) for (const v of values) ((baselineArgs[syscall] ??= {})[key] ??= new Set()).add(v);
    }
  }
  return {
    baselineWorkloads,
    baseline: union(baselineWorkloads),
    baselineArgs: Object.fromEntries(Object.entries(baselineArgs).map(([syscall, byKey]) => [
      syscall, Object.fromEntries(Object.entries(byKey).map(([key, values]) => [key, [...values].sort()])),
    ])),
    union: union(workloads.map((w) => w.name)),
    startup: [...startup].sort(),
    workloads: measured,
  };
}

/**
 * Measures every requested Node version, mode and workload.
 *
 * @param {{ majors?: readonly number[], workloads?: readonly import('./workloads.mjs').Workload[],
 *   modes?: readonly (keyof typeof MODES)[], runs?: number, jobs?: number, keepTraces?: string,
 *   log?: (line: string) => void }} [options]
 * @returns {Promise<Map<number, object>>} major → the document written to node-<major>.json.
 */
export async function measure(options = {}) {
  const {
    majors = NODE_MAJORS, workloads = WORKLOADS, modes = /** @type {(keyof typeof MODES)[]} */ (Object.keys(MODES)),
    runs = DEFAULT_RUNS, jobs = availableParallelism(), keepTraces, log = (l) => console.error(l),
  } = options;
  const straceVersion = execFileSync('strace', ['-V'], { encoding: 'utf8' }).split('\n')[0]?.replace(/^strace -- version /, '');
  const nodes = await installNode({ majors, log });
  const traceDir = keepTraces ?? mkdtempSync(join(tmpdir(), 'syscage-traces-'));
  mkdirSync(traceDir, { recursive: true });
  /** @type {Array<() => Promise<Done>>} */
  const tasks = [];
  for (let i = 0; i < runs; i++) {
    for (const node of nodes) for (const mode of modes) for (const workload of workloads) {
      tasks.push(async () => {
        const traceFile = join(traceDir, `node${node.major}-${mode}-${workload.name}-${i + 1}.strace`);
        let traced;
        try {
          traced = await traceRun(node, workload, traceFile, MODES[mode].inject);
        } catch (error) {
          // One retry, reported: a workload that fails twice in a row is broken, not unlucky.
          log(`retrying node ${node.major} ${mode} ${workload.name} run ${i + 1}: ${String(/** @type {Error} */ (error).message).split('\n')[0]}`);
          traced = await traceRun(node, workload, traceFile, MODES[mode].inject);
        }
        if (keepTraces === undefined) rmSync(traceFile, { force: true });
        return { major: node.major, mode, workload: workload.name, summary: traced.summary };
      });
    }
  }
  const started = performance.now();
  const results = await pool(tasks, jobs);
  if (keepTraces === undefined) rmSync(traceDir, { recursive: true, force: true });
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [String(r.reason?.message ?? r.reason)] : []));
  if (failures.length > 0) throw new Error(`${failures.length} of ${tasks.length} run(s) failed:\n${failures.join('\n')}`);
  log(`${tasks.length} traced runs in ${((performance.now() - started) / 1000).toFixed(1)} s (${jobs} at a time)`);
  const done = results.map((r) => /** @type {PromiseFulfilledResult<Done>} */ (r).value);

  /** @type {Map<number, object>} */
  const documents = new Map();
  for (const node of nodes) {
    const mine = (/** @type {string} */ mode) => done.filter((d) => d.major === node.major && d.mode === mode);
    documents.set(node.major, {
      ...describeNode(node.path),
      kernel: release(),
      arch: machine(),
      strace: straceVersion,
      generatedBy: 'scripts/baseline/measure.mjs — regenerate with `node scripts/baseline/measure.mjs`; see scripts/baseline/README.md',
      runsPerWorkload: runs,
      environment: `clean (env -i): PATH=${CLEAN_PATH}, HOME and cwd = a fresh scratch dir ($WORK), SYSCAGE_WORK_DIR=$WORK, plus each workload's env`,
      marker: MARKER_PATH,
      ...(modes.includes('natural') ? buildSection(mine('natural'), workloads, true) : {}),
      ...(modes.includes('enosys') ? {
        enosys: {
          inject: MODES.enosys.inject.map((name) => `${name}: ENOSYS`),
          note: 'The same workloads with clone3 and io_uring_setup answered ENOSYS from exec on, as under the syscage filter: threads come from clone, libuv uses epoll_ctl instead of an io_uring. Paths are recorded under the natural run only.',
          ...buildSection(mine('enosys'), workloads, false),
        },
      } : {}),
    });
  }
  return documents;
}

const USAGE = `usage: node scripts/baseline/measure.mjs [options]
  --runs N          traced runs per workload, Node version and mode (default ${DEFAULT_RUNS})
  --quick           one run each; prints the sets, writes nothing unless --write
  --node 20,22,24,26   Node majors to measure (default all)
  --workload a,b    only these workloads (partial: writes nothing unless --write)
  --mode natural,enosys   tracing modes (partial: writes nothing unless --write)
  --jobs N          runs in parallel (default: available CPUs)
  --out DIR         where node-<major>.json go (default packages/core/src/catalog/measured)
  --write           write even a partial run
  --keep-traces DIR keep the raw strace files there`;

/** @param {string[]} argv */
async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' }, quick: { type: 'boolean' }, node: { type: 'string' }, workload: { type: 'string' }, mode: { type: 'string' },
      jobs: { type: 'string' }, out: { type: 'string' }, write: { type: 'boolean' }, 'keep-traces': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const runs = values.quick ? 1 : Number(values.runs ?? DEFAULT_RUNS);
  const majors = values.node?.split(',').map(Number) ?? NODE_MAJORS;
  const workloads = values.workload?.split(',').map(findWorkload) ?? WORKLOADS;
  const modes = /** @type {(keyof typeof MODES)[]} */ (values.mode?.split(',') ?? Object.keys(MODES));
  for (const mode of modes) if (!(mode in MODES)) throw new Error(`unknown mode '${mode}'; known: ${Object.keys(MODES).join(', ')}`);
  const full = values.workload === undefined && values.mode === undefined && !values.quick;
  const out = values.out ?? MEASURED_DIR;
  const documents = await measure({ majors, workloads, modes, runs, jobs: Number(values.jobs ?? availableParallelism()), ...(values['keep-traces'] ? { keepTraces: values['keep-traces'] } : {}) });
  for (const [major, doc] of documents) {
    /** @typedef {{ baseline?: string[], union?: string[] }} Sets */
    const d = /** @type {Sets & { node: string, enosys?: Sets }} */ (doc);
    /** @type {Array<[string, Sets | undefined]>} */
    const sections = [['natural', d], ['enosys', d.enosys]];
    for (const [label, section] of sections) {
      if (section?.baseline === undefined || section.union === undefined) continue;
      console.log(`node ${major} (${d.node}) ${label} baseline [${section.baseline.length}]: ${section.baseline.join(' ')}`);
      console.log(`node ${major} (${d.node}) ${label} union    [${section.union.length}]: ${section.union.join(' ')}`);
    }
    if (full || values.write) {
      mkdirSync(out, { recursive: true });
      const file = join(out, `node-${major}.json`);
      writeFileSync(file, `${stableStringify(doc)}\n`);
      console.log(`wrote ${relative(process.cwd(), file)}`);
    }
  }
  if (!full && !values.write) console.log('(partial run: nothing written; add --write to write anyway)');
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`measure: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
