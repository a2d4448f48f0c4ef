import { describe, expect, it } from 'vitest';
import { isSyscageError } from '../errors.ts';
import { ALLOW, ERRNO, KILL_PROCESS, TRAP } from './action.ts';
import { createPolicy } from './create-policy.ts';
import type { ConditionSpec, RuleSpec } from './types.ts';

const withRules = (...rules: RuleSpec[]) => () => createPolicy({ defaultAction: KILL_PROCESS, rules });
const when = (...conditions: ConditionSpec[]) => withRules({ syscall: 'ioctl', when: conditions, action: ALLOW });

describe('createPolicy refuses, with a code and a hint', () => {
  it.each([
    ['an unknown syscall, suggesting the nearest', withRules({ syscall: 'opneat', action: ALLOW }), 'UNKNOWN_SYSCALL', '`opneat` is not a syscall on any supported architecture. Did you mean `openat`?'],
    ['an unknown syscall with nothing near', withRules({ syscall: 'frobnicate_everything', action: ALLOW }), 'UNKNOWN_SYSCALL', "`frobnicate_everything` is not a syscall on any supported architecture. Check the spelling against the kernel's syscall table."],
    ['an argument index past 5', when({ arg: 6, op: 'eq', value: 1 }), 'INVALID_CONDITION', '`ioctl`: argument index 6 does not exist. Syscalls have arguments 0 to 5.'],
    ['an int value that does not fit', when({ arg: 1, width: 32, op: 'eq', value: 0x1_0000_0000n }), 'INVALID_CONDITION', '`ioctl`: arg1: 4294967296 does not fit in 32 bits. An int argument holds -2^31 to 2^32-1; use width 64 for long arguments.'],
    ['a number past 2^53', when({ arg: 1, op: 'eq', value: 2 ** 60 }), 'INVALID_CONDITION', '`ioctl`: arg1: 1152921504606847000 is not a safe integer. Write large values as bigint literals (0x...n).'],
    ['lt 0 (never true)', when({ arg: 1, op: 'lt', value: 0 }), 'INVALID_CONDITION', '`ioctl`: arg1 lt 0 is never true. Remove the rule or compare against another value.'],
    ['gt the maximum (never true)', when({ arg: 1, width: 32, op: 'gt', value: 0xffffffff }), 'INVALID_CONDITION', '`ioctl`: arg1 gt 4294967295 is never true. Remove the rule or compare against another value.'],
    ['ge 0 (always true)', when({ arg: 1, op: 'ge', value: 0 }), 'INVALID_CONDITION', '`ioctl`: arg1 ge 0 is always true. Remove the condition.'],
    ['a masked value with bits outside the mask', when({ arg: 2, op: 'masked_eq', mask: 0xf0, value: 0x0f }), 'INVALID_CONDITION', "`ioctl`: arg2 & 0xf0 can never equal 0xf (bits outside the mask). Clear the value's bits that are not in the mask."],
    ['a zero mask', when({ arg: 2, op: 'masked_eq', mask: 0, value: 0 }), 'INVALID_CONDITION', '`ioctl`: arg2 & 0 == 0 is always true. Remove the condition, or give a mask.'],
    ['no flags', when({ arg: 2, op: 'flags_set', flags: 0 }), 'INVALID_CONDITION', '`ioctl`: arg2 flags_set 0 is always true. Name at least one flag bit.'],
    ['an empty list', when({ arg: 1, op: 'in', values: [] }), 'INVALID_CONDITION', '`ioctl`: arg1 in [] is never true. List at least one value, or remove the rule.'],
    ['two equalities that disagree', when({ arg: 1, op: 'eq', value: 1 }, { arg: 1, op: 'eq', value: 2 }), 'INVALID_CONDITION', 'The rule for `ioctl` can never match: arg1 has no value that satisfies every condition. Remove the rule, or fix the conditions so some value satisfies all of them.'],
    ['an empty range', when({ arg: 1, op: 'gt', value: 10 }, { arg: 1, op: 'lt', value: 5 }), 'INVALID_CONDITION', 'The rule for `ioctl` can never match: arg1 has an empty range. Remove the rule, or fix the conditions so some value satisfies all of them.'],
    ['a bit both set and clear', when({ arg: 3, op: 'flags_set', flags: 0x6 }, { arg: 3, op: 'flags_clear', flags: 0x2 }), 'INVALID_CONDITION', 'The rule for `ioctl` can never match: arg3 needs bits 0x2 both set and clear. Remove the rule, or fix the conditions so some value satisfies all of them.'],
    ['a list that misses a range', when({ arg: 1, op: 'in', values: [1, 2] }, { arg: 1, op: 'ge', value: 3 }), 'INVALID_CONDITION', 'The rule for `ioctl` can never match: arg1 has no value that satisfies every condition. Remove the rule, or fix the conditions so some value satisfies all of them.'],
    ['a duplicate rule (conditions in another order)', withRules(
      { syscall: 'ioctl', when: [{ arg: 1, op: 'eq', value: 1 }, { arg: 0, op: 'eq', value: 3 }], action: ALLOW },
      { syscall: 'ioctl', when: [{ arg: 0, op: 'eq', value: 3 }, { arg: 1, op: 'eq', value: 1 }], action: ERRNO(1) },
    ), 'DUPLICATE_RULE', 'Two rules for `ioctl` have the same conditions; only the first can ever apply. Remove the second rule, or merge them.'],
    ['a rule after an unconditional one', withRules({ syscall: 'read', action: ALLOW }, { syscall: 'read', when: [{ arg: 0, op: 'eq', value: 0 }], action: KILL_PROCESS }), 'UNREACHABLE_RULE', 'A rule for `read` follows one that matches every call, so it can never apply. Put conditional rules before the unconditional one, or remove it.'],
  ])('%s', (_, build, code, message) => {
    expect(build).toThrowError(message);
    try {
      build();
    } catch (error) {
      expect(isSyscageError(error, code as never)).toBe(true);
    }
  });

  it('refuses actions the kernel cannot express', () => {
    expect(() => ERRNO(4096)).toThrowError('ERRNO(4096) is not an errno the kernel can return. Use an integer from 0 to 4095, such as EPERM (1) or ENOSYS (38).');
    expect(() => TRAP(0x10000)).toThrowError('TRAP(65536) carries data outside 16 bits. Use an integer from 0 to 65535.');
  });
});

describe('createPolicy accepts', () => {
  it('negative values as the register holds them, and sorts and dedupes lists', () => {
    const policy = createPolicy({
      defaultAction: KILL_PROCESS,
      rules: [{ syscall: 'openat', when: [{ arg: 0, width: 32, op: 'in', values: [5, -100, 5] }, { arg: 1, op: 'ne', value: -1 }], action: ALLOW }],
    });
    expect(policy.rules[0]?.when).toEqual([
      { arg: 0, width: 32, op: 'in', values: [5n, 0xffffff9cn] },
      { arg: 1, width: 64, op: 'ne', value: 0xffffffff_ffffffffn },
    ]);
  });

  it('names that exist on only one architecture (they apply only there)', () => {
    expect(createPolicy({ defaultAction: KILL_PROCESS, rules: [{ syscall: 'open', action: ALLOW }] }).rules).toHaveLength(1);
  });

  it('is frozen', () => {
    const policy = createPolicy({ defaultAction: KILL_PROCESS, rules: [{ syscall: 'read', action: ALLOW }] });
    expect(Object.isFrozen(policy) && Object.isFrozen(policy.rules)).toBe(true);
  });
});
