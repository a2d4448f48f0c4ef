#!/usr/bin/env node
/**
 * The filter check: the second half of issue 3's Node runtime baseline. strace under-samples
 * timing-dependent calls, so every workload is re-run many times, without strace, under the real
 * sandbox (`sandbox()` of @syscage/runtime, built, in KILL mode) with the capabilities its area
 * needs (DECLARATIONS), and the check fails if any run is stopped or behaves differently from the
 * unsandboxed run. For every failure it names the stopped syscall.
 *
 * Steps, per Node version (20 = the machine's node, 22, 24 and 26 from install-node.mjs):
 * 1. install point: a `console` and an `empty-cjs` run under a light strace prove that the
 *    preload's sandbox is installed right after the marker and before the workload's first output,
 *    once per process image, and that the re-execution (22/24/26: io_uring; any version: the
 *    runtime's Landlock restart below ABI 8) keeps `--import` (execArgv);
 * 2. reference: REFERENCE_RUNS unsandboxed runs per workload give the expected exit code, and the
 *    expected stdout/stderr where those runs agree (deterministic output);
 * 3. the check: `--runs` sandboxed runs per workload, KILL mode;
 * 4. negative control: `tcp` with `{}` must be killed by SIGSYS every time (and be named `socket`);
 * 5. diagnosis of each failing workload: re-runs with the same policy in TRAP mode under
 *    `strace -f --seccomp-bpf -e signal=SIGSYS` (native speed) to read `si_syscall`, then under
 *    `strace -f -e trace=<that syscall>` for its arguments.
 * Runs go through run-workload.mjs (clean environment, fresh scratch dir, socketpair stdio) with
 * `node --import check-preload.mjs`; no filter is ever installed in this process.
 *
 * This module runs the steps in order and owns the command line. The declarations per workload are
 * check-declarations.mjs's, one run and its comparison check-run.mjs's, step 1's trace reading
 * check-install-point.mjs's, step 5 diagnose.mjs's, and the report check-report.mjs's.
 *
 * Usage: node scripts/baseline/check.mjs [--runs 20] [--quick] [--node 20,22,24,26] [--workload a,b]
 *          [--jobs N] [--tries 6] [--at marker|import] [--json FILE]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DECLARATIONS, NEGATIVE_CONTROL, NOT_CHECKED } from './check-declarations.mjs';
import { checkInstallPoint } from './check-install-point.mjs';
import { compareRun, outputOf, runChecked } from './check-run.mjs';
import { diagnose, traceFile } from './diagnose.mjs';
import { reportCheck } from './check-report.mjs';
import { installNode, NODE_MAJORS, REPO_ROOT } from './install-node.mjs';
import { findWorkload, WORKLOADS } from './workloads.mjs';
import { poolOrThrow } from './pool.mjs';

/** @typedef {import('./workloads.mjs').Workload} Workload */
/** @typedef {import('./check-run.mjs').NodeBin} NodeBin */
/** @typedef {import('./check-run.mjs').RunResult} RunResult */
/** @typedef {import('./check-run.mjs').Reference} Reference */

/** Sandboxed runs per workload and Node version. */
export const DEFAULT_RUNS = 20;
/** Runs per workload with `--quick` (which also checks one Node version only). */
export const QUICK_RUNS = 3;
/** Unsandboxed runs per workload and version; output counts as deterministic if they all agree. */
export const REFERENCE_RUNS = 3;
/** Trap-mode attempts per failing workload (and per stopped syscall for its arguments). */
export const DEFAULT_TRIES = 6;

/**
 * Source files of the runtime and core packages newer than their built entry (`dist/index.js`,
 * which `pnpm build` bundles from the sources: it is what the preload loads).
 *
 * @returns {string[]}
 */
export function staleBuild() {
  const stale = [];
  for (const pkg of ['core', 'runtime']) {
    const root = join(REPO_ROOT, 'packages', pkg);
    let builtAt = 0;
    try { builtAt = statSync(join(root, 'dist', 'index.js')).mtimeMs; } catch { /* missing */ }
    const walk = (/** @type {string} */ dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) walk(path);
        else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && statSync(path).mtimeMs > builtAt) stale.push(relative(REPO_ROOT, path));
      }
    };
    walk(join(root, 'src'));
  }
  return stale;
}

/**
 * Runs the whole check.
 *
 * @param {{ majors?: readonly number[], workloads?: readonly Workload[], runs?: number, jobs?: number,
 *   tries?: number, at?: string, log?: (line: string) => void }} [options]
 */
export async function check(options = {}) {
  const {
    majors = NODE_MAJORS, workloads = WORKLOADS.filter((w) => !Object.hasOwn(NOT_CHECKED, w.name)), runs = DEFAULT_RUNS, jobs = availableParallelism(),
    tries = DEFAULT_TRIES, at = 'marker', log = (l) => console.error(l),
  } = options;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
  for (const w of workloads) if (DECLARATIONS[w.name] === undefined) throw new Error(`no declaration for workload '${w.name}' in DECLARATIONS`);
  const nodes = await installNode({ majors, log });
  const dir = mkdtempSync(join(tmpdir(), 'syscage-check-'));
  const builtAt = () => ['runtime', 'core'].map((pkg) => statSync(join(REPO_ROOT, 'packages', pkg, 'dist', 'index.js')).mtimeMs).join();
  const builtBefore = builtAt();
  /** @type {string[]} */
  const failures = [];

  try {
    // 1 and 2: install point, references.
    /** @type {Array<() => Promise<void>>} */
    const setup = [];
    /** @type {Map<string, RunResult[]>} */
    const refRuns = new Map();
    /** @type {Map<number, string[]>} */
    const installFacts = new Map();
    for (const node of nodes) {
      for (const name of ['console', 'empty-cjs']) {
        setup.push(async () => {
          const file = traceFile(dir);
          const prefix = ['strace', '-f', '-qq', '-e', 'trace=execve,seccomp,access,write,landlock_restrict_self', '-e', 'signal=none', '-s', '4096', '-o', file, '--'];
          const workload = findWorkload(name);
          const result = await runChecked({ node, workload, caps: {}, at, prefix });
          const { problems, facts } = checkInstallPoint(readFileSync(file, 'utf8'), { major: node.major, at, output: name === 'console' });
          rmSync(file, { force: true });
          if (result.code !== 0) problems.push(`exited with ${result.code ?? result.signal}: ${result.stderr.trim().split('\n').at(-1)}`);
          for (const p of problems) failures.push(`node ${node.major} install point (${name}): ${p}`);
          if (name === 'console') installFacts.set(node.major, problems.length === 0 ? facts : problems.map((p) => `FAILED: ${p}`));
        });
      }
      for (const workload of workloads) {
        for (let i = 0; i < REFERENCE_RUNS; i++) {
          setup.push(async () => {
            const result = await runChecked({ node, workload });
            const key = `${node.major}/${workload.name}`;
            refRuns.set(key, [...(refRuns.get(key) ?? []), result]);
          });
        }
      }
    }
    log(`install point and ${REFERENCE_RUNS} reference runs per workload (${setup.length} runs)...`);
    await poolOrThrow(setup, jobs);
    /** @type {Map<string, Reference>} */
    const references = new Map();
    for (const node of nodes) {
      for (const workload of workloads) {
        const key = `${node.major}/${workload.name}`;
        const list = /** @type {RunResult[]} */ (refRuns.get(key));
        const expected = workload.exitCode ?? 0;
        const bad = list.find((r) => r.code !== expected || r.timedOut);
        if (bad) failures.push(`node ${node.major} ${workload.name}: the UNSANDBOXED run exited ${bad.timedOut ? 'by timeout' : bad.code ?? bad.signal}, expected ${expected}: ${bad.stderr.trim().split('\n').at(-1)}`);
        const outs = list.map(outputOf);
        const same = outs.every((o) => o.stdout === outs[0]?.stdout && o.stderr === outs[0]?.stderr);
        references.set(key, { code: expected, output: same ? outs[0] : undefined });
      }
    }
    log(`${elapsed()}: sandboxed runs: ${nodes.length} version(s) x ${workloads.length} workloads x ${runs}, plus the negative control...`);

    // 3 and 4: the check and the negative control.
    /** @type {Map<string, Array<{ run: number, kind: string, detail: string }>>} */
    const stoppedRuns = new Map();
    /** @type {Map<string, number>} */
    const done = new Map();
    /** @type {Array<() => Promise<void>>} */
    const tasks = [];
    const negative = findWorkload(NEGATIVE_CONTROL.workload);
    /** @type {Map<number, RunResult[]>} */
    const negativeRuns = new Map();
    for (let i = 0; i < runs; i++) {
      for (const node of nodes) {
        for (const workload of workloads) {
          tasks.push(async () => {
            const key = `${node.major}/${workload.name}`;
            const result = await runChecked({ node, workload, caps: DECLARATIONS[workload.name]?.caps, at });
            done.set(key, (done.get(key) ?? 0) + 1);
            const diff = compareRun(result, /** @type {Reference} */ (references.get(key)));
            if (diff) stoppedRuns.set(key, [...(stoppedRuns.get(key) ?? []), { run: i + 1, ...diff }]);
          });
        }
        if (i < NEGATIVE_CONTROL.runs) {
          tasks.push(async () => {
            const result = await runChecked({ node, workload: negative, caps: NEGATIVE_CONTROL.caps, at });
            negativeRuns.set(node.major, [...(negativeRuns.get(node.major) ?? []), result]);
          });
        }
      }
    }
    await poolOrThrow(tasks, jobs);

    // 5: diagnosis of every failing workload, and of the negative control.
    const failing = [...stoppedRuns.keys()];
    log(`${elapsed()}: diagnosing ${failing.length} failing workload(s) and the negative control in trap mode...`);
    /** @type {Map<string, Awaited<ReturnType<typeof diagnose>>>} */
    const diagnoses = new Map();
    /** @type {Array<() => Promise<void>>} */
    const diagnosisTasks = failing.map((key) => async () => {
      const [major, name] = key.split('/');
      const node = /** @type {NodeBin} */ (nodes.find((n) => n.major === Number(major)));
      const workload = findWorkload(/** @type {string} */ (name));
      diagnoses.set(key, await diagnose({ node, workload, caps: DECLARATIONS[workload.name]?.caps ?? {}, tries, at, dir }));
    });
    /** @type {Map<number, Awaited<ReturnType<typeof diagnose>>>} */
    const negativeDiagnoses = new Map();
    for (const node of nodes) {
      diagnosisTasks.push(async () => {
        negativeDiagnoses.set(node.major, await diagnose({ node, workload: negative, caps: NEGATIVE_CONTROL.caps, tries: 1, chain: 0, at, dir }));
      });
    }
    await poolOrThrow(diagnosisTasks, jobs);

    return reportCheck({ nodes, workloads, runs, at, jobs, installFacts, references, done, stoppedRuns, negativeRuns, negativeDiagnoses, diagnoses, failures, rebuilt: builtAt() !== builtBefore, elapsed: elapsed() });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const USAGE = `usage: node scripts/baseline/check.mjs [options]
  --runs N          sandboxed runs per workload and Node version (default ${DEFAULT_RUNS})
  --quick           ${QUICK_RUNS} runs, one Node version (the newest, ${NODE_MAJORS.at(-1)}, unless --node)
  --node 20,22,24,26   Node majors (default all)
  --workload a,b    only these workloads
  --jobs N          runs in parallel (default: available CPUs)
  --tries N         trap-mode re-runs per failing workload (default ${DEFAULT_TRIES})
  --at marker|import  where the preload installs (default marker: right after the marker call;
                    import: before Node loads the entry, stricter than any real program)
  --json FILE       also write the results as JSON`;

/** @param {string[]} argv */
async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: 'string' }, quick: { type: 'boolean' }, node: { type: 'string' }, workload: { type: 'string' },
      jobs: { type: 'string' }, tries: { type: 'string' }, at: { type: 'string' }, json: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const at = values.at ?? 'marker';
  if (at !== 'marker' && at !== 'import') throw new Error(`--at is 'marker' or 'import', not '${at}'`);
  const runs = Number(values.runs ?? (values.quick ? QUICK_RUNS : DEFAULT_RUNS));
  const majors = values.node?.split(',').map(Number) ?? (values.quick ? NODE_MAJORS.slice(-1) : NODE_MAJORS);
  const workloads = values.workload?.split(',').map(findWorkload) ?? WORKLOADS.filter((w) => !Object.hasOwn(NOT_CHECKED, w.name));
  for (const [name, why] of Object.entries(NOT_CHECKED)) console.error(`not checked: ${name} (${why})`);
  for (const file of ['runtime/dist/index.js', 'core/dist/index.js']) {
    try { statSync(join(REPO_ROOT, 'packages', file)); } catch { throw new Error(`packages/${file} is missing: run \`pnpm build\` first`); }
  }
  const stale = staleBuild();
  if (stale.length > 0) console.error(`warning: built output is older than ${stale.length} source file(s) (${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}); run \`pnpm build\` to check the current code`);
  const result = await check({ majors, workloads, runs, at, jobs: Number(values.jobs ?? availableParallelism()), tries: Number(values.tries ?? DEFAULT_TRIES) });
  console.log(result.report);
  if (values.json) writeFileSync(values.json, `${JSON.stringify(result.results, null, 2)}\n`);
  if (!result.ok) process.exitCode = 1;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((error) => {
    console.error(`check: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
