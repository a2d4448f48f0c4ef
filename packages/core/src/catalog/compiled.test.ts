/**
 * The catalog's real policies, compiled and read back from their bytes, answer every syscall of
 * both architectures exactly as the policy says: the filters users get are large enough for jump
 * trampolines, which random small policies rarely need.
 */
import { describe, expect, it } from 'vitest';
import { ARCHES } from '../arch/index.ts';
import type { ArchName } from '../arch/types.ts';
import { compilePolicy } from '../bpf/compile.ts';
import { decodeProgram } from '../bpf/opcodes.ts';
import { simulate } from '../bpf/simulate.ts';
import { CAPABILITY_NAMES, type CapabilityName } from '../dsl/capabilities.ts';
import { encodeAction } from '../policy/action.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import { NODE_MAJORS, nodeBaseline } from './baseline.ts';
import { buildPolicy } from './build-policy.ts';

const ARGS = [[], [3n, 0x5401n, 0x80000n], [2n, 1n, 6n], [-1n, 2n, 0o2n], [0x3d0f00n], [0x1200011n]];
const declarations: CapabilityName[][] = [[], [...CAPABILITY_NAMES], ...CAPABILITY_NAMES.map((n) => [n]), ...CAPABILITY_NAMES.map((n) => CAPABILITY_NAMES.filter((m) => m !== n))];
/** One major per distinct baseline: a version with the same rules as an earlier one (26 and 24) compiles to the same filter. */
const baselineOf = (major: (typeof NODE_MAJORS)[number]): string => JSON.stringify(nodeBaseline(major));
const DISTINCT_MAJORS = NODE_MAJORS.filter((major, i) => NODE_MAJORS.findIndex((other) => baselineOf(other) === baselineOf(major)) === i);

describe.each(Object.keys(ARCHES) as ArchName[])('catalog filters on %s', (archName) => {
  it.each(declarations.map((names) => [names.join(',') || 'baseline', names] as const))('%s', { timeout: 30_000 }, (_, names) => {
    const arch = ARCHES[archName];
    for (const node of DISTINCT_MAJORS) {
      const policy = buildPolicy({ grants: new Set(names), scopes: {}, onViolation: 'kill', unsupported: 'error', landlock: 'enforce', lateStart: 'warn' }, { node });
      const program = decodeProgram(compilePolicy(policy, archName).bytes);
      const wrong: string[] = [];
      for (const nr of Object.values(arch.syscalls)) {
        for (const args of ARGS) {
          const data = { nr, arch: arch.auditArch, args: args.map((a) => BigInt.asUintN(64, a)) };
          if (simulate(program, data).action !== encodeAction(evaluatePolicy(policy, arch, data))) wrong.push(`node ${node} nr ${nr} args ${args.join(',')}`);
        }
      }
      expect(wrong).toEqual([]);
    }
  });
});
