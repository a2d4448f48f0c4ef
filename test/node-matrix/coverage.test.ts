/**
 * Coverage by construction (issue 13): on every supported Node version, each exported function of
 * the modules in `list-exports.mjs` is covered by an operation (`covers`) or deliberately excluded,
 * with a reason (`excluded.mjs`). The exports are listed by each version's own binary in a child
 * process; nothing here runs an operation or installs a filter. SYSCAGE_MATRIX_NODES limits the
 * versions, as for the matrix.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { computeCoverage, listExportsOf, unknownNames } from './coverage.mjs';
import { installNode } from './harness.mjs';

const MAJORS = [20, 22, 24, 26] as const;
const wantedMajors = (process.env.SYSCAGE_MATRIX_NODES ?? MAJORS.join(',')).split(',').map(Number);
const exportsByMajor = new Map<number, string[]>();
const unavailable = new Map<number, string>();

describe('Node API matrix coverage', () => {
  beforeAll(async () => {
    for (const major of MAJORS) {
      if (!wantedMajors.includes(major)) {
        unavailable.set(major, `Node ${major} not selected (SYSCAGE_MATRIX_NODES)`);
        continue;
      }
      try {
        for (const node of await installNode({ majors: [major] })) exportsByMajor.set(major, listExportsOf(node.path));
      } catch (error) {
        unavailable.set(major, `Node ${major} is not available: ${(error as Error).message}`);
      }
    }
  }, 5 * 60_000);

  it.for(MAJORS)('Node %i: every exported function has a case or a reasoned exclusion', (major, ctx) => {
    const missingNode = unavailable.get(major);
    if (missingNode !== undefined) ctx.skip(missingNode);
    const coverage = computeCoverage(major, exportsByMajor.get(major) ?? []);
    expect(coverage.exported, 'the lister found the modules').toBeGreaterThan(300);
    expect(coverage.missing, 'exported functions with no case (add `covers` to an operation that calls them) and no exclusion in excluded.mjs').toEqual([]);
    expect(coverage.coveredAndExcluded, 'covered functions still excluded in excluded.mjs').toEqual([]);
  });

  it('every `covers` and exclusion names a function some supported Node exports', (ctx) => {
    if (unavailable.size > 0) ctx.skip(`needs every supported Node: ${[...unavailable.values()].join('; ')}`);
    expect(unknownNames(exportsByMajor.values())).toEqual([]);
  });
});
