/**
 * The Node API matrix (issue #3's proof): on Node 20, 22, 24 and 26, every operation in
 * `operations.mjs` works exactly as unsandboxed with its capabilities declared (0 false kills),
 * and, with a needed capability left out, is stopped: SIGSYS in kill mode, an EPERM error (and a
 * surviving process) in errno mode. All of it runs in child processes through `harness.mjs`,
 * which plans, batches and judges; this file only asserts its verdicts, one test per operation
 * and case, and prints the summary table. Operations failing unsandboxed on this machine are
 * skipped with the reason. Environment: SYSCAGE_MATRIX_NODES=20,22 limits the Node versions,
 * SYSCAGE_MATRIX_ONLY=<regex> the operations (the others are then skipped), and
 * SYSCAGE_MATRIX_DIAGNOSE=1 names the syscall behind each unexpected kill.
 */
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { formatSummary, installNode, listFindings, operations, runMatrix, runsScoped, type Capability, type Verdict, type VersionResult } from './harness.mjs';

const MAJORS = [20, 22, 24, 26] as const;
const wantedMajors = (process.env.SYSCAGE_MATRIX_NODES ?? MAJORS.join(',')).split(',').map(Number);
const only = process.env.SYSCAGE_MATRIX_ONLY ? new RegExp(process.env.SYSCAGE_MATRIX_ONLY) : undefined;
const supported = process.platform === 'linux' && process.arch === 'x64';

const results = new Map<number, VersionResult>();
const unavailable = new Map<number, string>();

/** One row per (operation, needed capability): the denied cases. */
const deniedCases = operations.flatMap((op) => op.needs.map((cap) => ({ name: op.name, cap })));

function verdictOf(major: number, name: string, pick: (op: VersionResult['ops'][number]) => Verdict | undefined, ctx: TestContext): Verdict {
  const missing = unavailable.get(major);
  if (missing !== undefined) ctx.skip(missing);
  if (only && !only.test(name)) ctx.skip(`not selected (SYSCAGE_MATRIX_ONLY)`);
  const op = results.get(major)?.ops.find((o) => o.name === name);
  const verdict = op && pick(op);
  if (verdict === undefined) throw new Error(`the matrix produced no verdict for ${name} on Node ${major}`);
  if (verdict.status === 'skip') ctx.skip(verdict.detail);
  return verdict;
}

function expectPass(verdict: Verdict): void {
  expect(verdict.status, `${verdict.kind}: ${verdict.detail}`).toBe('pass');
}

describe.skipIf(!supported)('Node API matrix', () => {
  beforeAll(async () => {
    const nodes = [];
    for (const major of MAJORS) {
      if (!wantedMajors.includes(major)) {
        unavailable.set(major, `Node ${major} not selected (SYSCAGE_MATRIX_NODES)`);
        continue;
      }
      try {
        nodes.push(...(await installNode({ majors: [major] })));
      } catch (error) {
        unavailable.set(major, `Node ${major} is not available: ${(error as Error).message}`);
      }
    }
    const filter = only ? { filter: (op: { name: string }) => only.test(op.name) } : {};
    const { versions } = await runMatrix({ nodes, ...filter, diagnose: process.env.SYSCAGE_MATRIX_DIAGNOSE === '1', log: (line) => console.error(line) });
    for (const version of versions) results.set(version.node.major, version);
  }, 15 * 60_000);

  afterAll(() => {
    const versions = [...results.values()];
    if (versions.length === 0) return;
    const findings = listFindings(versions);
    console.log(`${formatSummary(versions)}\n\n${findings.length} findings:\n${findings.join('\n')}`);
  });

  describe.each(MAJORS)('Node %i', (major) => {
    describe('allowed: with its capabilities declared, an operation works exactly as unsandboxed', () => {
      it.for(operations.map((op) => op.name))('%s', (name, ctx) => {
        expectPass(verdictOf(major, name, (op) => op.allowed, ctx));
      });
    });

    describe('scoped: with path and port lists instead of `true`, it still works (the implicit read set suffices)', () => {
      it.for(operations.filter(runsScoped).map((op) => op.name))('%s', (name, ctx) => {
        expectPass(verdictOf(major, name, (op) => op.scoped, ctx));
      });
    });

    describe('denied, kill mode: without a needed capability, the process dies of SIGSYS', () => {
      it.for(deniedCases)('$name without $cap', ({ name, cap }, ctx) => {
        expectPass(verdictOf(major, name, (op) => op.deniedKill[cap as Capability], ctx));
      });
    });

    describe('denied, errno mode: without a needed capability, the operation fails with EPERM', () => {
      it.for(deniedCases)('$name without $cap', ({ name, cap }, ctx) => {
        expectPass(verdictOf(major, name, (op) => op.deniedErrno[cap as Capability], ctx));
      });
    });
  });
});
