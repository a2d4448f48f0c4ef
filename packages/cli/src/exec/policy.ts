/**
 * The seccomp policy of `syscage exec`: the declared capabilities, the exec start-up set
 * (exec-start.ts), and for a Node command Node's own start-up and core's Node baseline for its
 * version. Built from core's pieces exactly as core's `buildPolicy` builds a program's policy
 * (ENOSYS answers first, then soft denials, then one merged allow list, the violation action as
 * default); the difference is that a non-Node command does not get the Node baseline.
 */

import { ALLOW, CAPABILITY_RULES, ENOSYS, ENOSYS_SYSCALLS, ERRNO, SOFT_DENIALS, createPolicy, mergeRules, nodeBaseline, violationAction, type CatalogRule, type NodeMajor, type Policy, type ResolvedCapabilities, type RuleSpec } from '@syscage/core';
import { EXEC_START, NODE_START } from './exec-start.ts';

/** core's `SOFT_DENIAL_ERRNO`: EACCES. */
const EACCES = 13;

/** What kind of program is exec'd. */
export interface ExecTarget {
  /** Whether the command is Node: then its start-up and the Node baseline are allowed too. */
  readonly node: boolean;
  /** Its Node major, when known; undefined = the union of every supported version. */
  readonly nodeMajor?: NodeMajor | undefined;
}

/**
 * The policy for exec'ing a command under `resolved`.
 * @example
 * buildExecPolicy(resolveCapabilities({ fs: { read: true } }), { node: false });
 */
export function buildExecPolicy(resolved: ResolvedCapabilities, target: ExecTarget): Policy {
  const sources: CatalogRule[][] = [[...EXEC_START]];
  if (target.node) sources.push([...NODE_START], [...nodeBaseline(target.nodeMajor)]);
  for (const name of [...resolved.grants].sort()) sources.push([...CAPABILITY_RULES[name]]);
  const rules: RuleSpec[] = Object.keys(ENOSYS_SYSCALLS).map((syscall) => ({ syscall, action: ERRNO(ENOSYS) }));
  // A soft denial that `spawn` lifts is about an exec'd program's start-up (rseq, robust lists,
  // capget): exactly what exec allows, so it is lifted here too.
  for (const soft of SOFT_DENIALS) {
    if (soft.unless.includes('spawn') || soft.unless.some((name) => resolved.grants.has(name))) continue;
    rules.push({ syscall: soft.syscall, when: soft.when, action: ERRNO(EACCES) });
  }
  rules.push(...mergeRules(sources.flat()).map((rule) => ({ ...rule, action: ALLOW })));
  return createPolicy({ defaultAction: violationAction(resolved.onViolation), rules });
}
