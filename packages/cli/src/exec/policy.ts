/**
 * The seccomp policy of `syscage exec`: the declared capabilities, the exec start-up set
 * (exec-start.ts), and for a Node command Node's own start-up and core's Node baseline for its
 * version, put together by core's `assemblePolicy` in the order a program's policy has (ENOSYS
 * answers first, then soft denials, then one merged allow list, the violation action as default).
 * What differs from core's `buildPolicy` is the choice of parts: a non-Node command does not get
 * the Node baseline, and the soft denials `spawn` lifts are lifted (they are about an exec'd
 * program's start-up).
 */

import { CAPABILITY_RULES, SOFT_DENIALS, assemblePolicy, nodeBaseline, type CatalogRule, type NodeMajor, type Policy, type ResolvedCapabilities } from '@syscage/core';
import { EXEC_START, NODE_START } from './exec-start.ts';

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
  // A soft denial that `spawn` lifts is about an exec'd program's start-up (rseq, robust lists,
  // capget): exactly what exec allows, so it is lifted here too.
  const softDenials = SOFT_DENIALS.filter((soft) => !soft.unless.includes('spawn') && !soft.unless.some((name) => resolved.grants.has(name)));
  return assemblePolicy({ allow: sources.flat(), softDenials, onViolation: resolved.onViolation });
}
