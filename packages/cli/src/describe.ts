/**
 * Policies and catalog rules as people read them: `arg1 in [0x5401, 0x5413] (32-bit)`, and the
 * JSON shape `compile --json` prints. Formatting only; nothing here builds or changes a policy.
 */

import { createPolicy, describeAction, describeCondition, getArch, ALLOW, type ArchName, type ConditionSpec, type Policy } from '@syscage/core';

export { describeCondition };

/** Catalog conditions (specs) described through core's validation, so they read like a policy's. */
export function describeSpecs(syscall: string, when: readonly ConditionSpec[] | undefined): string[] {
  if (when === undefined || when.length === 0) return [];
  const [rule] = createPolicy({ defaultAction: ALLOW, rules: [{ syscall, when, action: ALLOW }] }).rules;
  return (rule?.when ?? []).map(describeCondition);
}

/** One rule of a policy, as JSON. */
export interface RuleJson {
  readonly syscall: string;
  readonly action: string;
  /** All must hold; empty = always. */
  readonly when: readonly string[];
}

/** The rules of `policy` that exist on `arch`, in order. */
export function policyRules(policy: Policy, arch: ArchName): RuleJson[] {
  const table = getArch(arch).syscalls;
  return policy.rules.filter((rule) => Object.hasOwn(table, rule.syscall)).map((rule) => ({ syscall: rule.syscall, action: describeAction(rule.action), when: rule.when.map(describeCondition) }));
}
