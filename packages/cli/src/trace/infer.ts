/**
 * From a trace to the smallest declaration that explains it. seccomp side: every counted call is
 * evaluated (core's `evaluatePolicy`) against the policy of the empty declaration and against the
 * policy of each capability alone; a call the empty declaration would stop is explained by the
 * capabilities that allow it, and the fewest are chosen: calls only one capability allows first,
 * then the capability a socket's use calls for (connect on a TCP socket is net.connect, on UDP
 * to port 53 dns), then the least powerful that covers the rest; a NETLINK_ROUTE socket the
 * sandbox would answer EACCES counts as net.listen's when the program dumps the links
 * (os.networkInterfaces()), not when glibc only probes addresses. Landlock side: the paths, ports
 * and programs in facts.ts become the lists. Finally the suggestion is checked against every call:
 * what it still stops is reported as unexplained.
 */

import { dirname, relative, sep } from 'node:path';
import {
  CAPABILITY_NAMES,
  DNS_PATHS,
  EXEC_START_PATHS,
  NODE_IMPLICIT_PATHS,
  evaluatePolicy,
  getArch,
  expandPlaceholder,
  fillPlaceholders,
  prepareDeclaration,
  type ArchName,
  type Capabilities,
  type CapabilityName,
  type NodeMajor,
  type Policy,
} from '@syscage/core';
import { AF_NETLINK, NETLINK_ROUTE } from '@syscage/core/constants';
import { buildExecPolicy } from '../exec/policy.ts';
import { realPath } from '../placeholders.ts';
import { declarationFromGrants } from '../grants.ts';
import { seccompData } from './args.ts';
import type { TraceFacts } from './facts.ts';
import type { SyscallEvent } from './strace.ts';

/** Least powerful first: the order in which an ambiguous call is attributed. */
const PREFERENCE: readonly CapabilityName[] = ['fs.read', 'tty', 'worker', 'net.connect', 'net.udp', 'dns', 'net.unix', 'net.listen', 'signal', 'spawn', 'fs.write'];

/** How the traced program will be sandboxed: `sandbox()` in a Node program, or `syscage exec`. */
export interface InferTarget {
  readonly kind: 'node' | 'exec';
  readonly nodeMajor?: NodeMajor | undefined;
  readonly arch: ArchName;
  readonly cwd: string;
  /** Paths readable without a declaration (Node's implicit set with placeholders filled, or exec start-up's). */
  readonly implicit: readonly string[];
}

/** A group of calls, for reports. */
export interface CallSummary {
  readonly syscall: string;
  readonly count: number;
  /** One call as strace printed it. */
  readonly example: string;
}

/** What the trace needs. */
export interface Inference {
  readonly declaration: Capabilities;
  readonly grants: readonly CapabilityName[];
  /** Per granted capability, example calls or facts that need it. */
  readonly because: Readonly<Partial<Record<CapabilityName, readonly string[]>>>;
  /** Calls the suggestion still stops (no capability allows them). */
  readonly unexplained: readonly CallSummary[];
  /** Calls answered with an error instead (ENOSYS for clone3/io_uring, EACCES soft denials). */
  readonly answered: readonly CallSummary[];
  readonly counted: number;
}

const show = (event: SyscallEvent): string => `${event.name}(${event.args.join(', ').replace(/\s*\/\*.*?\*\//g, '').slice(0, 160)})${event.ret === undefined ? '' : ` = ${event.ret.split(' ')[0]}`}`;

/** The policy of `declaration` for `target`. */
function policyFor(declaration: Capabilities, target: InferTarget): Policy {
  const prepared = prepareDeclaration(declaration, { node: target.nodeMajor });
  return target.kind === 'node' ? prepared.policy : buildExecPolicy(prepared.resolved, { node: false });
}

/** Infers the declaration `events` need. */
export function inferDeclaration(events: readonly SyscallEvent[], facts: TraceFacts, tgidOf: ReadonlyMap<number, number>, target: InferTarget): Inference {
  const base = policyFor({}, target);
  const alone = new Map(CAPABILITY_NAMES.map((name) => [name, policyFor(declarationFromGrants([name]), target)] as const));
  const arch = getArch(target.arch);
  const needs: Array<{ event: SyscallEvent; candidates: CapabilityName[] }> = [];
  const unknown: SyscallEvent[] = [];
  const answered: SyscallEvent[] = [];
  // The NETLINK_ROUTE socket is answered EACCES without net.listen, and glibc's getaddrinfo goes
  // on without it (an address probe, RTM_GETADDR). A link dump (RTM_GETLINK) is getifaddrs:
  // os.networkInterfaces(), which fails without it, so it calls for net.listen.
  const interfaceDump = events.some((event) => /^send(to|msg)$/.test(event.name) && event.args.some((arg) => /nlmsg_type=(?:RTM_GETLINK|0x12)\b/.test(arg)));
  const routeSockets: SyscallEvent[] = [];
  for (const event of events) {
    const data = seccompData(event, target.arch, tgidOf.get(event.tid) ?? event.tid);
    if (data === undefined) continue;
    const action = evaluatePolicy(base, arch, data);
    if (action.kind === 'ALLOW') continue;
    if (action.kind === 'ERRNO' && action.errno !== 1) {
      if (interfaceDump && event.name === 'socket' && data.args?.[0] === BigInt(AF_NETLINK) && data.args[2] === BigInt(NETLINK_ROUTE)) routeSockets.push(event);
      else answered.push(event);
      continue;
    }
    // A capability also covers a call it answers with a soft error the traced use expects: dns
    // answers glibc's nscd socket with EACCES, and glibc resolves without nscd.
    const use = facts.socketOf.get(event)?.use;
    const covers = (name: CapabilityName): boolean => {
      const answer = evaluatePolicy(alone.get(name) as Policy, arch, data);
      return answer.kind === 'ALLOW' || (use === name && answer.kind === 'ERRNO' && answer.errno !== 1);
    };
    const candidates = CAPABILITY_NAMES.filter(covers);
    if (candidates.length === 0) unknown.push(event);
    else needs.push({ event, candidates });
  }

  const chosen = new Set<CapabilityName>();
  const because = new Map<CapabilityName, string[]>();
  const note = (name: CapabilityName, why: string): void => {
    chosen.add(name);
    const list = because.get(name) ?? [];
    if (list.length < 3 && !list.includes(why)) list.push(why);
    because.set(name, list);
  };
  for (const { event, candidates } of needs) if (candidates.length === 1) note(candidates[0] as CapabilityName, show(event));
  for (const { event, candidates } of needs) {
    const use = facts.socketOf.get(event)?.use ?? defaultUse(facts.socketOf.get(event));
    if (use !== undefined && candidates.includes(use)) note(use, show(event));
  }
  if (routeSockets.length > 0) note('net.listen', `os.networkInterfaces(): ${show(routeSockets[0] as SyscallEvent)} and a link dump (RTM_GETLINK)`);
  const scopes = scopeLists(facts, target);
  if (scopes.read.length > 0) note('fs.read', `reads ${scopes.read[0]}`);
  if (scopes.write.length > 0) note('fs.write', `writes under ${scopes.write[0]}`);
  if (facts.executed.size > 0) note('spawn', `executes ${[...facts.executed][0]}`);
  for (const { event, candidates } of needs) {
    if (candidates.some((name) => chosen.has(name))) {
      const covering = candidates.find((name) => chosen.has(name)) as CapabilityName;
      note(covering, show(event));
      continue;
    }
    note(PREFERENCE.find((name) => candidates.includes(name)) ?? (candidates[0] as CapabilityName), show(event));
  }

  const declaration = buildDeclaration(chosen, facts, scopes);
  const final = policyFor(declaration, target);
  const stopped: SyscallEvent[] = [];
  for (const event of [...unknown, ...needs.map((n) => n.event)]) {
    const data = seccompData(event, target.arch, tgidOf.get(event.tid) ?? event.tid);
    if (data === undefined) continue;
    const answer = evaluatePolicy(final, arch, data);
    if (answer.kind === 'ERRNO' && answer.errno !== 1) answered.push(event);
    else if (answer.kind !== 'ALLOW') stopped.push(event);
  }
  return {
    declaration,
    grants: [...chosen].sort(),
    because: Object.fromEntries([...because].sort(([a], [b]) => a.localeCompare(b))),
    unexplained: summarise(stopped),
    answered: summarise(answered),
    counted: events.length,
  };
}

function defaultUse(record: { family: string; type: string } | undefined): CapabilityName | undefined {
  if (record === undefined) return undefined;
  if (record.family === 'unix') return 'net.unix';
  if (record.family !== 'inet') return undefined;
  return record.type === 'stream' ? 'net.connect' : 'net.udp';
}

interface ScopeLists {
  readonly read: string[];
  readonly write: string[];
}

/**
 * Files that Node, glibc or c-ares read on their own (scripts/baseline/README.md, "Lazy readers")
 * and that they treat as absent when Landlock refuses them: not the program's data, so not listed
 * (listing them would grant fs.read where the program declares none). Each with who reads it.
 */
export const TOLERATED_READS: Readonly<Record<string, string>> = {
  '/proc/sys/vm/overcommit_memory': 'glibc, trimming a thread\'s malloc arena; refused, it keeps its default',
  '/etc/resolv.conf': "c-ares, setting up Node's resolver channel when a socket is given a host; refused, it uses its defaults",
  '/etc/nsswitch.conf': 'c-ares, with resolv.conf (the lookup order)',
  '/etc/svc.conf': 'c-ares, with resolv.conf (the lookup order on some systems)',
  '/etc/netsvc.conf': 'c-ares, with resolv.conf (the lookup order on some systems)',
};

/** Paths to list: outside the implicit set, shown relative to the cwd where inside it, nested ones folded. */
function scopeLists(facts: TraceFacts, target: InferTarget): ScopeLists {
  const implicit = (path: string): boolean => target.implicit.some((root) => path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`));
  const tolerated = (path: string): boolean => target.kind === 'node' && TOLERATED_READS[path] !== undefined;
  return {
    read: fold([...facts.read].filter((path) => !implicit(path) && !tolerated(path)), target.cwd),
    // /dev/null is writable without a declaration (Node's implicit set, and exec's).
    write: fold([...facts.write].filter((path) => path !== '/dev/null'), target.cwd),
  };
}

function fold(paths: readonly string[], cwd: string): string[] {
  const sorted = [...new Set(paths)].sort();
  const kept = sorted.filter((path) => !sorted.some((other) => other !== path && path.startsWith(other.endsWith(sep) ? other : `${other}${sep}`)));
  return kept.map((path) => {
    const rel = relative(cwd, path);
    return rel === '' ? '.' : rel.startsWith('..') || rel.startsWith(sep) ? path : `.${sep}${rel}`;
  });
}

function buildDeclaration(chosen: ReadonlySet<CapabilityName>, facts: TraceFacts, scopes: ScopeLists): Capabilities {
  const list = <T>(values: readonly T[]): readonly T[] | true => (values.length === 0 ? true : values);
  const declaration: Record<string, unknown> = {};
  const fs: Record<string, unknown> = {};
  if (chosen.has('fs.read')) fs['read'] = list(scopes.read);
  if (chosen.has('fs.write')) fs['write'] = list(scopes.write);
  if (Object.keys(fs).length > 0) declaration['fs'] = fs;
  const net: Record<string, unknown> = {};
  const ports = (set: ReadonlySet<number>): readonly number[] | true => (set.size === 0 || set.has(0) ? true : [...set].sort((a, b) => a - b));
  if (chosen.has('net.connect')) net['connect'] = ports(facts.connect);
  if (chosen.has('net.listen')) net['listen'] = ports(facts.listen);
  if (chosen.has('net.udp')) net['udp'] = true;
  if (chosen.has('net.unix')) net['unix'] = true;
  if (Object.keys(net).length > 0) declaration['net'] = net;
  if (chosen.has('dns')) declaration['dns'] = true;
  if (chosen.has('spawn')) declaration['spawn'] = list([...facts.executed].sort());
  for (const flag of ['worker', 'tty', 'signal'] as const) if (chosen.has(flag)) declaration[flag] = true;
  return declaration as Capabilities;
}

function summarise(events: readonly SyscallEvent[]): CallSummary[] {
  const groups = new Map<string, { count: number; example: string }>();
  for (const event of events) {
    const group = groups.get(event.name) ?? { count: 0, example: show(event) };
    group.count += 1;
    groups.set(event.name, group);
  }
  return [...groups].map(([syscall, group]) => ({ syscall, ...group })).sort((a, b) => b.count - a.count);
}

/**
 * What may be read without a declaration (placeholders filled): for a Node program run as
 * `node script`, Node's implicit set; for `syscage exec` of anything, the exec start-up paths.
 */
export function implicitPaths(node: boolean, binary: string, script: string | undefined, interpreter: string | undefined, dns: boolean): string[] {
  const program = script === undefined ? undefined : dirname(realPath(script));
  // As the runtime fills them, from what is known of the traced program: its directory (granted
  // whole: its listing is not taken), its Node and interpreter. {loader} is syscage's own
  // packages, replaced under trace; the placeholders without facts stand for nothing here.
  const values = fillPlaceholders({ ...(program === undefined ? {} : { program: { dir: program } }), node: binary, interpreter });
  const fill = (path: string): readonly string[] => expandPlaceholder(path, values) ?? [];
  const entries = [...(node ? NODE_IMPLICIT_PATHS : []), ...(dns ? DNS_PATHS : []), ...EXEC_START_PATHS];
  return [binary, ...entries.flatMap((entry) => fill(entry.path))];
}
