/**
 * Property-based proof that the compiler is the policy: for random policies and random
 * seccomp_data, the simulated program returns exactly what the reference evaluator says. Values
 * are drawn around every condition's operands (±1, other high words, sign extensions), where
 * 64-bit-in-32-bit mistakes live. At least 100,000 cases per architecture per run.
 */

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { getArch } from '../arch/index.ts';
import type { ArchName } from '../arch/types.ts';
import { ALLOW, ERRNO, KILL_PROCESS, LOG, TRAP, encodeAction, type Action } from '../policy/action.ts';
import { createPolicy } from '../policy/create-policy.ts';
import { evaluatePolicy, type SeccompData } from '../policy/evaluate.ts';
import type { ConditionSpec, Policy, PolicySpec } from '../policy/types.ts';
import { compilePolicy, type Layout } from './compile.ts';
import { decodeProgram } from './opcodes.ts';
import { simulate } from './simulate.ts';

const POOL = ['read', 'write', 'open', 'close', 'fstat', 'mmap', 'mprotect', 'ioctl', 'fcntl', 'socket', 'connect', 'clone', 'kill', 'prctl', 'openat', 'futex', 'madvise', 'lseek', 'dup3', 'getppid', 'exit_group', 'statx', 'io_uring_setup', 'pkey_alloc', 'rseq'];
const U64 = (1n << 64n) - 1n;
const INTERESTING = [0n, 1n, 2n, 3n, 0x7fffffffn, 0x80000000n, 0xfffffffen, 0xffffffffn, 0x1_0000_0000n, 0x1_0000_0001n, 0xffffffff_80000000n, 0xffffffff_fffffffen, U64];

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant(ALLOW),
  fc.constant(LOG),
  fc.constant(KILL_PROCESS),
  fc.integer({ min: 1, max: 4095 }).map(ERRNO),
  fc.integer({ min: 0, max: 9 }).map((d) => TRAP(d)),
);

const value64 = fc.oneof(fc.constantFrom(...INTERESTING), fc.bigInt({ min: 0n, max: U64 }));
const value = (width: 32 | 64): fc.Arbitrary<bigint> => (width === 64 ? value64 : value64.map((v) => v & 0xffffffffn));

const condition: fc.Arbitrary<ConditionSpec> = fc
  .record({ arg: fc.oneof(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 3, max: 5 })), width: fc.constantFrom<32 | 64>(32, 64) })
  .chain(({ arg, width }) =>
    fc.oneof(
      fc.record({ arg: fc.constant(arg), width: fc.constant(width), op: fc.constantFrom('eq', 'ne', 'lt', 'le', 'gt', 'ge' as const), value: value(width) }),
      fc.tuple(value(width), value(width)).map(([mask, v]) => ({ arg, width, op: 'masked_eq' as const, mask, value: v & mask })),
      fc.record({ arg: fc.constant(arg), width: fc.constant(width), op: fc.constantFrom('flags_set', 'flags_clear' as const), flags: value(width) }),
      fc.record({ arg: fc.constant(arg), width: fc.constant(width), op: fc.constant('in' as const), values: fc.array(value(width), { minLength: 1, maxLength: 5 }) }),
      // Long lists make leaves long enough that dispatch jumps need trampolines.
      fc.record({ arg: fc.constant(arg), width: fc.constant(width), op: fc.constant('in' as const), values: fc.array(value(width), { minLength: 40, maxLength: 120 }) }),
    ),
  );

const policySpec: fc.Arbitrary<PolicySpec> = fc.record({
  defaultAction: action,
  rules: fc.array(fc.record({ syscall: fc.constantFrom(...POOL), when: fc.array(condition, { maxLength: 3 }), action }), { maxLength: 14 }),
});

/** createPolicy, or undefined for the random specs it rightly refuses (never-true conditions, duplicates). */
function tryCreate(spec: PolicySpec): Policy | undefined {
  try {
    return createPolicy(spec);
  } catch {
    return undefined;
  }
}

/** Values near the policy's operands: where an off-by-one or a dropped high word would show. */
function operandsOf(policy: Policy): bigint[] {
  const out = new Set<bigint>(INTERESTING);
  for (const rule of policy.rules) {
    for (const c of rule.when) {
      const bases = 'values' in c ? c.values : 'flags' in c ? [c.flags] : 'mask' in c ? [c.value, c.mask] : [c.value];
      for (const b of bases) {
        for (const v of [b, b + 1n, b - 1n, b | (1n << 32n), b | 0xffffffff_00000000n, b & 0xffffffffn]) out.add(v & U64);
      }
    }
  }
  return [...out];
}

function dataFor(policy: Policy, archName: ArchName): fc.Arbitrary<SeccompData[]> {
  const arch = getArch(archName);
  const own = policy.rules.flatMap((r) => (Object.hasOwn(arch.syscalls, r.syscall) ? [arch.syscalls[r.syscall] ?? 0] : []));
  const nr = fc.oneof(
    { weight: 6, arbitrary: own.length > 0 ? fc.constantFrom(...own) : fc.constant(0) },
    { weight: 2, arbitrary: fc.constantFrom(...Object.values(arch.syscalls)) },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: 0, max: 1200 }), fc.constantFrom(0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff, 0xffffffff)) },
  );
  const archValue = fc.oneof({ weight: 19, arbitrary: fc.constant(arch.auditArch) }, { weight: 1, arbitrary: fc.constantFrom(0x40000003, 0xc00000b7, 0xc000003e, 0) });
  const arg = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...operandsOf(policy)) }, { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: U64 }) });
  return fc.array(fc.record({ nr, arch: archValue, args: fc.array(arg, { minLength: 6, maxLength: 6 }) }), { minLength: 100, maxLength: 100 });
}

const RUNS = 1100;
const counted = new Map<string, number>();
afterAll(() => {
  for (const [key, n] of counted) expect(n, `${key}: cases checked`).toBeGreaterThanOrEqual(100_000);
});

describe.each<[ArchName, Layout, number]>([
  ['x86_64', 'tree', RUNS],
  ['aarch64', 'tree', RUNS],
  ['x86_64', 'linear', RUNS / 10],
  ['aarch64', 'linear', RUNS / 10],
])('compiled program ≡ policy on %s (%s layout)', (archName, layout, runs) => {
  it('for random policies and random seccomp_data', { timeout: 120_000 }, () => {
    const arch = getArch(archName);
    let cases = 0;
    fc.assert(
      fc.property(
        policySpec.map(tryCreate).filter((p): p is Policy => p !== undefined).chain((p) => fc.tuple(fc.constant(p), dataFor(p, archName))),
        ([policy, batch]) => {
          // The bytes, not the instruction objects: the kernel reads bytes, and an 8-bit jump
          // field that overflowed only shows after encoding.
          const { bytes } = compilePolicy(policy, archName, { layout });
          const program = decodeProgram(bytes);
          for (const data of batch) {
            const want = encodeAction(evaluatePolicy(policy, arch, data));
            const got = simulate(program, data).action;
            if (got !== want) {
              throw new Error(`mismatch: simulated 0x${got.toString(16)}, policy says 0x${want.toString(16)} for ${JSON.stringify({ ...data, args: data.args?.map((a) => `0x${a.toString(16)}`) })} under ${JSON.stringify(policy, (_, v: unknown) => (typeof v === 'bigint' ? `0x${v.toString(16)}` : v))}`);
            }
            cases++;
          }
          return true;
        },
      ),
      { numRuns: runs },
    );
    if (layout === 'tree') counted.set(archName, cases);
  });
});
