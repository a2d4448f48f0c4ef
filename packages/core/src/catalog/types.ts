/**
 * The shape of catalog entries: a syscall, optionally argument conditions, and the reason it is
 * there. Every entry needs a reason a reviewer can check: the catalog is the security argument.
 */

import type { ConditionSpec } from '../policy/types.ts';

/** One thing a capability (or the Node baseline) allows. */
export interface CatalogRule {
  readonly syscall: string;
  /** All must hold; none = the syscall is allowed outright. */
  readonly when?: readonly ConditionSpec[];
  /** Why it is needed, and why its conditions are enough. */
  readonly why: string;
}

/** Shorthand for rules that need no condition and share one reason. */
export function plain(why: string, ...syscalls: string[]): CatalogRule[] {
  return syscalls.map((syscall) => ({ syscall, why }));
}
