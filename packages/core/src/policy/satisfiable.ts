/**
 * Finds conditions that contradict each other within one rule (all must hold): equalities against
 * each other and against ranges, empty ranges, and a bit required both set and clear. It looks at
 * each argument on its own and proves impossibility only; a rule it passes may still be narrow.
 */

import type { Condition } from './types.ts';

interface ArgFacts {
  candidates: Set<bigint> | undefined;
  excluded: Set<bigint>;
  lo: bigint;
  hi: bigint;
  ones: bigint;
  zeros: bigint;
}

/** A sentence describing the first contradiction among `conditions`, or undefined. */
export function findContradiction(conditions: readonly Condition[]): string | undefined {
  const byArg = new Map<string, Condition[]>();
  for (const c of conditions) {
    const key = `${c.arg}/${c.width}`;
    byArg.set(key, [...(byArg.get(key) ?? []), c]);
  }
  for (const group of byArg.values()) {
    const first = group[0];
    if (first === undefined || group.length < 2) continue;
    const reason = contradictionIn(group, first.width);
    if (reason) return `arg${first.arg} ${reason}`;
  }
  return undefined;
}

function contradictionIn(group: readonly Condition[], width: number): string | undefined {
  const facts: ArgFacts = { candidates: undefined, excluded: new Set(), lo: 0n, hi: (1n << BigInt(width)) - 1n, ones: 0n, zeros: 0n };
  const restrict = (values: readonly bigint[]): void => {
    const previous = facts.candidates;
    facts.candidates = new Set(previous ? values.filter((v) => previous.has(v)) : values);
  };
  for (const c of group) {
    switch (c.op) {
      case 'eq':
        restrict([c.value]);
        break;
      case 'in':
        restrict(c.values);
        break;
      case 'ne':
        facts.excluded.add(c.value);
        break;
      case 'lt':
        facts.hi = min(facts.hi, c.value - 1n);
        break;
      case 'le':
        facts.hi = min(facts.hi, c.value);
        break;
      case 'gt':
        facts.lo = max(facts.lo, c.value + 1n);
        break;
      case 'ge':
        facts.lo = max(facts.lo, c.value);
        break;
      case 'masked_eq':
        facts.ones |= c.value;
        facts.zeros |= c.mask & ~c.value;
        break;
      case 'flags_set':
        facts.ones |= c.flags;
        break;
      case 'flags_clear':
        facts.zeros |= c.flags;
        break;
    }
  }
  if ((facts.ones & facts.zeros) !== 0n) {
    return `needs bits 0x${(facts.ones & facts.zeros).toString(16)} both set and clear`;
  }
  if (facts.lo > facts.hi) return 'has an empty range';
  if (facts.candidates) {
    const fits = [...facts.candidates].some(
      (v) => v >= facts.lo && v <= facts.hi && !facts.excluded.has(v) && (v & facts.ones) === facts.ones && (v & facts.zeros) === 0n,
    );
    if (!fits) return 'has no value that satisfies every condition';
  }
  return undefined;
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
const max = (a: bigint, b: bigint): bigint => (a > b ? a : b);
