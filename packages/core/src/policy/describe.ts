/**
 * Conditions as people read them, for manifests, the CLI and the generated docs: `arg1 in
 * [0x5401, 0x5413] (32-bit)`. Formatting only; the meaning of a condition is evaluate.ts's.
 */

import type { Condition } from './types.ts';

const hex = (value: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
const OPS = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' } as const;

/**
 * One validated condition in words.
 * @example
 * describeCondition({ arg: 2, op: 'masked_eq', mask: 3n, value: 0n, width: 32 }); // 'arg2 & 0x3 == 0x0 (32-bit)'
 */
export function describeCondition(condition: Condition): string {
  const arg = `arg${condition.arg}`;
  const width = condition.width === 32 ? ' (32-bit)' : '';
  switch (condition.op) {
    case 'masked_eq':
      return `${arg} & ${hex(condition.mask)} == ${hex(condition.value)}${width}`;
    case 'flags_set':
      return `${arg} has all of ${hex(condition.flags)}${width}`;
    case 'flags_clear':
      return `${arg} has none of ${hex(condition.flags)}${width}`;
    case 'in':
      return `${arg} in [${condition.values.map(hex).join(', ')}]${width}`;
    default:
      return `${arg} ${OPS[condition.op]} ${hex(condition.value)}${width}`;
  }
}
