/**
 * The reference semantics of a policy, evaluated directly on a `seccomp_data`: the oracle the
 * compiled BPF is checked against (simulator and property tests). Slow and obvious on purpose;
 * nothing here is used to build filters.
 */

import type { ArchDescriptor } from '../arch/types.ts';
import { syscallName } from '../arch/index.ts';
import { ENOSYS, ERRNO, KILL_PROCESS, type Action } from './action.ts';
import type { Condition, Policy } from './types.ts';

/** `struct seccomp_data` as the simulator and evaluator take it. */
export interface SeccompData {
  /** Syscall number; read as an unsigned 32-bit value, as BPF does. */
  readonly nr: number;
  /** `AUDIT_ARCH_*` value. */
  readonly arch: number;
  readonly instructionPointer?: bigint;
  /** Up to six 64-bit arguments; missing ones are 0. */
  readonly args?: readonly bigint[];
}

const U32 = 0xffffffffn;
const U64 = (1n << 64n) - 1n;

/** The action `policy` gives `data` on `arch`, by the rules documented on {@link Policy}. */
export function evaluatePolicy(policy: Policy, arch: ArchDescriptor, data: SeccompData): Action {
  if (data.arch >>> 0 !== arch.auditArch >>> 0) return KILL_PROCESS;
  const nr = data.nr >>> 0;
  if (arch.foreignAbiBit !== undefined && nr >= arch.foreignAbiBit) return KILL_PROCESS;
  const name = syscallName(arch.name, nr);
  if (name === undefined) return ERRNO(ENOSYS);
  for (const rule of policy.rules) {
    if (rule.syscall !== name) continue;
    let matched = true;
    for (const condition of rule.when) {
      const verdict = checkCondition(condition, BigInt.asUintN(64, data.args?.[condition.arg] ?? 0n));
      if (verdict === 'invalid') return KILL_PROCESS;
      if (!verdict) {
        matched = false;
        break;
      }
    }
    if (matched) return rule.action;
  }
  return policy.defaultAction;
}

/** Whether `raw` (the full 64-bit register) satisfies `c`; 'invalid' for a 32-bit argument whose high word is neither 0 nor a sign extension. */
export function checkCondition(c: Condition, raw: bigint): boolean | 'invalid' {
  let x = raw & U64;
  if (c.width === 32) {
    const high = x >> 32n;
    const low = x & U32;
    const signExtended = high === U32 && (low & 0x80000000n) !== 0n;
    if (high !== 0n && !signExtended) return 'invalid';
    x = low;
  }
  switch (c.op) {
    case 'eq':
      return x === c.value;
    case 'ne':
      return x !== c.value;
    case 'lt':
      return x < c.value;
    case 'le':
      return x <= c.value;
    case 'gt':
      return x > c.value;
    case 'ge':
      return x >= c.value;
    case 'masked_eq':
      return (x & c.mask) === c.value;
    case 'flags_set':
      return (x & c.flags) === c.flags;
    case 'flags_clear':
      return (x & c.flags) === 0n;
    case 'in':
      return c.values.includes(x);
  }
}
