/**
 * Turns a {@link PolicySpec} into a validated {@link Policy}: known syscall names, argument
 * indexes and values within range, no condition that can never (or always) hold, no duplicate or
 * unreachable rule. Every refusal is a SyscageError with a code and a hint. It does not know any
 * architecture's numbering beyond "is this a syscall somewhere".
 */

import { SyscageError } from '../errors.ts';
import { ARCHES, SUPPORTED_ARCHES, isKnownSyscall } from '../arch/index.ts';
import { suggestName } from '../suggest.ts';
import { findContradiction } from './satisfiable.ts';
import type { ArgWidth, Condition, ConditionSpec, Numeric, Policy, PolicySpec, Rule, RuleSpec } from './types.ts';

const MAX_ARG = 5;

/**
 * Validates a policy spec.
 * @example
 * createPolicy({
 *   defaultAction: KILL_PROCESS,
 *   rules: [
 *     { syscall: 'read', action: ALLOW },
 *     { syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'in', values: [0x5401, 0x5413] }], action: ALLOW },
 *   ],
 * });
 */
export function createPolicy(spec: PolicySpec): Policy {
  const rules = spec.rules.map(validateRule);
  checkRuleOrder(rules);
  return Object.freeze({ defaultAction: spec.defaultAction, rules: Object.freeze(rules) }) as Policy;
}

function validateRule(spec: RuleSpec): Rule {
  if (!isKnownSyscall(spec.syscall)) {
    const guess = suggestName(spec.syscall, SUPPORTED_ARCHES.flatMap((arch) => Object.keys(ARCHES[arch].syscalls)));
    throw new SyscageError({
      code: 'UNKNOWN_SYSCALL',
      message: `\`${spec.syscall}\` is not a syscall on any supported architecture.`,
      hint: guess ? `Did you mean \`${guess}\`?` : 'Check the spelling against the kernel\'s syscall table.',
    });
  }
  const when = (spec.when ?? []).map((c) => validateCondition(spec.syscall, c));
  const contradiction = findContradiction(when);
  if (contradiction) {
    throw new SyscageError({
      code: 'INVALID_CONDITION',
      message: `The rule for \`${spec.syscall}\` can never match: ${contradiction}.`,
      hint: 'Remove the rule, or fix the conditions so some value satisfies all of them.',
    });
  }
  return Object.freeze({ syscall: spec.syscall, when: Object.freeze(when), action: spec.action });
}

function conditionError(syscall: string, message: string, hint: string): SyscageError {
  return new SyscageError({ code: 'INVALID_CONDITION', message: `\`${syscall}\`: ${message}`, hint });
}

function validateCondition(syscall: string, spec: ConditionSpec): Condition {
  const { arg } = spec;
  if (!Number.isInteger(arg) || arg < 0 || arg > MAX_ARG) {
    throw conditionError(syscall, `argument index ${arg} does not exist.`, 'Syscalls have arguments 0 to 5.');
  }
  const width: ArgWidth = spec.width ?? 64;
  if (width !== 32 && width !== 64) {
    throw conditionError(syscall, `width ${String(width)} is not a register width.`, 'Use 64 for long/pointer arguments, 32 for int.');
  }
  const at = `arg${arg}`;
  const num = (value: Numeric): bigint => toUnsigned(syscall, at, value, width);
  const max = (1n << BigInt(width)) - 1n;
  switch (spec.op) {
    case 'eq':
    case 'ne':
      return { arg, width, op: spec.op, value: num(spec.value) };
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const value = num(spec.value);
      if ((spec.op === 'lt' && value === 0n) || (spec.op === 'gt' && value === max)) {
        throw conditionError(syscall, `${at} ${spec.op} ${value} is never true.`, 'Remove the rule or compare against another value.');
      }
      if ((spec.op === 'ge' && value === 0n) || (spec.op === 'le' && value === max)) {
        throw conditionError(syscall, `${at} ${spec.op} ${value} is always true.`, 'Remove the condition.');
      }
      return { arg, width, op: spec.op, value };
    }
    case 'masked_eq': {
      const mask = num(spec.mask);
      const value = num(spec.value);
      if ((value & ~mask) !== 0n) {
        throw conditionError(syscall, `${at} & 0x${mask.toString(16)} can never equal 0x${value.toString(16)} (bits outside the mask).`, 'Clear the value\'s bits that are not in the mask.');
      }
      if (mask === 0n) {
        throw conditionError(syscall, `${at} & 0 == 0 is always true.`, 'Remove the condition, or give a mask.');
      }
      return { arg, width, op: 'masked_eq', mask, value };
    }
    case 'flags_set':
    case 'flags_clear': {
      const flags = num(spec.flags);
      if (flags === 0n) {
        throw conditionError(syscall, `${at} ${spec.op} 0 is always true.`, 'Name at least one flag bit.');
      }
      return { arg, width, op: spec.op, flags };
    }
    case 'in': {
      if (spec.values.length === 0) {
        throw conditionError(syscall, `${at} in [] is never true.`, 'List at least one value, or remove the rule.');
      }
      const values = [...new Set(spec.values.map(num))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      return { arg, width, op: 'in', values: Object.freeze(values) };
    }
    default: {
      const op: never = spec;
      throw conditionError(syscall, `operator ${JSON.stringify((op as { op: unknown }).op)} is unknown.`, 'Use eq, ne, lt, le, gt, ge, masked_eq, flags_set, flags_clear or in.');
    }
  }
}

/** Converts a spec number to the unsigned value the register holds (two's complement for negatives). */
function toUnsigned(syscall: string, at: string, value: Numeric, width: ArgWidth): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw conditionError(syscall, `${at}: ${value} is not a safe integer.`, 'Write large values as bigint literals (0x...n).');
  }
  const v = BigInt(value);
  const size = 1n << BigInt(width);
  if (v < -(size >> 1n) || v >= size) {
    throw conditionError(syscall, `${at}: ${v} does not fit in ${width} bits.`, width === 32 ? 'An int argument holds -2^31 to 2^32-1; use width 64 for long arguments.' : 'A register holds -2^63 to 2^64-1.');
  }
  return v < 0n ? v + size : v;
}

function conditionKey(c: Condition): string {
  const { arg, width, op } = c;
  const rest = 'values' in c ? c.values.join(',') : 'flags' in c ? String(c.flags) : 'mask' in c ? `${c.mask}/${c.value}` : String(c.value);
  return `${arg}:${width}:${op}:${rest}`;
}

/** Rejects a rule that repeats another's conditions, or that follows an unconditional rule. */
function checkRuleOrder(rules: readonly Rule[]): void {
  const seen = new Map<string, Set<string>>();
  const unconditional = new Set<string>();
  for (const rule of rules) {
    if (unconditional.has(rule.syscall)) {
      throw new SyscageError({
        code: 'UNREACHABLE_RULE',
        message: `A rule for \`${rule.syscall}\` follows one that matches every call, so it can never apply.`,
        hint: 'Put conditional rules before the unconditional one, or remove it.',
      });
    }
    const key = rule.when.map(conditionKey).sort().join('&');
    const keys = seen.get(rule.syscall) ?? new Set<string>();
    if (keys.has(key)) {
      throw new SyscageError({
        code: 'DUPLICATE_RULE',
        message: `Two rules for \`${rule.syscall}\` have the same conditions; only the first can ever apply.`,
        hint: 'Remove the second rule, or merge them.',
      });
    }
    keys.add(key);
    seen.set(rule.syscall, keys);
    if (rule.when.length === 0) unconditional.add(rule.syscall);
  }
}
