/**
 * From a resolved declaration to a Policy: the Node baseline for the target Node version, the
 * rules of every granted capability merged per syscall (an unconditional grant absorbs the
 * conditional ones), the ENOSYS answers and soft denials (EACCES for probes callers recover
 * from), and the violation action as the default. Path and port
 * scopes do not appear here: they become Landlock rules, not seccomp rules.
 */

import { ALLOW, ENOSYS, EPERM, ERRNO, KILL_PROCESS, type Action } from '../policy/action.ts';
import { createPolicy } from '../policy/create-policy.ts';
import type { Policy, RuleSpec } from '../policy/types.ts';
import type { CapabilityName, ScopedCapability, ViolationMode } from '../dsl/capabilities.ts';
import { nodeBaseline, type NodeMajor } from './baseline.ts';
import { ENOSYS_SYSCALLS, SOFT_DENIALS, SOFT_DENIAL_ERRNO, type SoftDenial } from './deny.ts';
import { FS_ATTRIBUTES, FS_READ, FS_WRITE } from './fs.ts';
import { DNS, NET_CONNECT, NET_LISTEN, NET_UDP, NET_UNIX } from './net.ts';
import { SIGNAL, SPAWN, WORKER } from './proc.ts';
import type { ResolvedCapabilities } from './resolve.ts';
import { TTY } from './tty.ts';
import type { CatalogRule } from './types.ts';

/** What each capability adds to the baseline, per syscall, with reasons. */
export const CAPABILITY_RULES: Readonly<Record<CapabilityName, readonly CatalogRule[]>> = {
  'fs.read': FS_READ,
  'fs.write': [...FS_READ, ...FS_WRITE],
  'net.connect': NET_CONNECT,
  'net.listen': NET_LISTEN,
  'net.udp': NET_UDP,
  'net.unix': NET_UNIX,
  dns: DNS,
  spawn: SPAWN,
  worker: WORKER,
  tty: TTY,
  signal: SIGNAL,
};

/**
 * What a scoped capability adds only when granted for every path (`true`), never with a list:
 * the attribute calls (modes, owners, times), which Landlock cannot keep beneath a list's paths
 * (fs.ts, FS_ATTRIBUTES).
 */
export const UNSCOPED_ONLY_RULES: Readonly<Partial<Record<ScopedCapability, readonly CatalogRule[]>>> = {
  'fs.write': FS_ATTRIBUTES,
};

/** Options of {@link buildPolicy}. */
export interface BuildPolicyOptions {
  /** The Node major version the program runs on; without it, the union of every supported one. */
  readonly node?: NodeMajor;
}

/** The action for anything undeclared. */
export function violationAction(onViolation: ViolationMode): Action {
  return onViolation === 'errno' ? ERRNO(EPERM) : KILL_PROCESS;
}

/**
 * The policy a declaration compiles to.
 * @example
 * const policy = buildPolicy(resolveCapabilities({ fs: { read: true } }), { node: 22 });
 */
export function buildPolicy(resolved: ResolvedCapabilities, options: BuildPolicyOptions = {}): Policy {
  const granted = [...resolved.grants].sort();
  const unscoped = (Object.keys(UNSCOPED_ONLY_RULES) as ScopedCapability[]).filter((name) => resolved.scopes[name] === 'any');
  const sources = [nodeBaseline(options.node), ...granted.map((name) => CAPABILITY_RULES[name]), ...unscoped.map((name) => UNSCOPED_ONLY_RULES[name] ?? [])];
  const softDenials = SOFT_DENIALS.filter((soft) => {
    const applies = soft.only === undefined || soft.only.some((name) => resolved.grants.has(name));
    return applies && !soft.unless.some((name) => resolved.grants.has(name));
  });
  return assemblePolicy({ allow: sources.flat(), softDenials, onViolation: resolved.onViolation });
}

/** What {@link assemblePolicy} puts together. */
export interface PolicyParts {
  /** Every rule to allow, from every source; merged per syscall ({@link mergeRules}). */
  readonly allow: readonly CatalogRule[];
  /** The soft denials that apply, answered EACCES. */
  readonly softDenials: readonly SoftDenial[];
  readonly onViolation: ViolationMode;
}

/**
 * A policy in syscage's order: the ENOSYS answers first, then the soft denials, then one merged
 * allow list, and the violation action as the default. {@link buildPolicy} chooses the parts for a
 * program; `syscage exec` chooses them for a command it runs.
 * @example
 * const policy = assemblePolicy({ allow: [{ syscall: 'read', why: 'reads' }], softDenials: [], onViolation: 'kill' });
 */
export function assemblePolicy(parts: PolicyParts): Policy {
  const rules: RuleSpec[] = Object.keys(ENOSYS_SYSCALLS).map((syscall) => ({ syscall, action: ERRNO(ENOSYS) }));
  for (const soft of parts.softDenials) rules.push({ syscall: soft.syscall, when: soft.when, action: ERRNO(SOFT_DENIAL_ERRNO) });
  rules.push(...mergeRules(parts.allow).map((rule) => ({ ...rule, action: ALLOW })));
  return createPolicy({ defaultAction: violationAction(parts.onViolation), rules });
}

/**
 * The first-stage policy the loader installs before re-executing a process that holds io_uring
 * rings: everything allowed but io_uring, which answers ENOSYS so libuv falls back to epoll.
 */
export function buildStage1Policy(): Policy {
  const ioUring = Object.keys(ENOSYS_SYSCALLS).filter((name) => name.startsWith('io_uring'));
  return createPolicy({ defaultAction: ALLOW, rules: ioUring.map((syscall) => ({ syscall, action: ERRNO(ENOSYS) })) });
}

/**
 * One allow list per syscall: if any source allows it outright, one unconditional rule; else each
 * distinct set of conditions once, in first-seen order. Syscalls answered ENOSYS are never allowed.
 */
export function mergeRules(rules: readonly CatalogRule[]): Array<Pick<RuleSpec, 'syscall' | 'when'>> {
  const bySyscall = new Map<string, Map<string, CatalogRule>>();
  for (const rule of rules) {
    if (Object.hasOwn(ENOSYS_SYSCALLS, rule.syscall)) continue;
    const variants = bySyscall.get(rule.syscall) ?? new Map<string, CatalogRule>();
    variants.set(JSON.stringify(rule.when ?? [], (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)), rule);
    bySyscall.set(rule.syscall, variants);
  }
  const merged: Array<Pick<RuleSpec, 'syscall' | 'when'>> = [];
  for (const [syscall, variants] of [...bySyscall].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (variants.has('[]')) merged.push({ syscall });
    else for (const rule of variants.values()) merged.push({ syscall, when: rule.when ?? [] });
  }
  return merged;
}
