/**
 * The policy model: per-syscall rules with argument conditions, the form every stage after the
 * capability catalog speaks. A {@link Policy} only comes out of `createPolicy`, which validates it;
 * specs (`PolicySpec`, `RuleSpec`, `ConditionSpec`) are what callers write.
 */

import type { Action } from './action.ts';

/** How many bits of a syscall argument a condition reads: a full `long`, or an `int`. */
export type ArgWidth = 32 | 64;

/** Condition operators. Comparisons are unsigned. */
export type ConditionOp = 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge' | 'masked_eq' | 'flags_set' | 'flags_clear' | 'in';

/** A number as written in a spec: a safe integer or a bigint; negative values wrap to the width. */
export type Numeric = number | bigint;

interface ConditionBase {
  /** Argument index, 0–5. */
  readonly arg: number;
}

interface WidthSpec {
  /**
   * 64 (default) compares the whole register. 32 is for `int` arguments: the kernel ignores the
   * high word, so the filter accepts only a high word of 0 or the low word's sign extension and
   * kills anything else (an attacker's extra bits, as in the TIOCSTI bypasses), then compares the
   * low word.
   */
  readonly width?: ArgWidth;
}

type SpecBase = ConditionBase & WidthSpec;
type ValidBase = ConditionBase & { readonly width: ArgWidth };

/** A condition on one argument, as written by a caller. */
export type ConditionSpec =
  | (SpecBase & { readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; readonly value: Numeric })
  | (SpecBase & { readonly op: 'masked_eq'; readonly mask: Numeric; readonly value: Numeric })
  | (SpecBase & { readonly op: 'flags_set' | 'flags_clear'; readonly flags: Numeric })
  | (SpecBase & { readonly op: 'in'; readonly values: readonly Numeric[] });

/** A validated condition: width explicit, values unsigned bigints within the width. */
export type Condition =
  | (ValidBase & { readonly op: 'eq' | 'ne' | 'lt' | 'le' | 'gt' | 'ge'; readonly value: bigint })
  | (ValidBase & { readonly op: 'masked_eq'; readonly mask: bigint; readonly value: bigint })
  | (ValidBase & { readonly op: 'flags_set' | 'flags_clear'; readonly flags: bigint })
  | (ValidBase & { readonly op: 'in'; readonly values: readonly bigint[] });

/** A rule as written: when every condition holds (none = always), the syscall gets `action`. */
export interface RuleSpec {
  readonly syscall: string;
  readonly when?: readonly ConditionSpec[];
  readonly action: Action;
}

/** A validated rule. */
export interface Rule {
  readonly syscall: string;
  readonly when: readonly Condition[];
  readonly action: Action;
}

/** A policy as written. */
export interface PolicySpec {
  /** The action for a known syscall that no rule matches. */
  readonly defaultAction: Action;
  /** Rules; for one syscall the first that matches decides. */
  readonly rules: readonly RuleSpec[];
}

declare const validated: unique symbol;

/**
 * A validated policy. Semantics, for one architecture:
 * 1. `seccomp_data.arch` is not the architecture's → KILL_PROCESS;
 * 2. a number of another ABI on the same arch (x86_64's x32, `nr >= 0x40000000`) → KILL_PROCESS;
 * 3. a number the architecture's table does not know → ERRNO(ENOSYS), so libc falls back;
 * 4. the syscall's rules in order, first match wins; a 32-bit condition that sees an invalid
 *    high word → KILL_PROCESS;
 * 5. otherwise `defaultAction`.
 * Rules naming a syscall the architecture does not have (such as `open` on aarch64) do not apply there.
 */
export interface Policy {
  readonly defaultAction: Action;
  readonly rules: readonly Rule[];
  readonly [validated]: true;
}
