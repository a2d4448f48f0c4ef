/**
 * Turns a resolved declaration into a Landlock plan: which rights the sandbox handles (everything
 * not granted is then denied), which paths and ports get which of them, and which rights the kernel
 * must have for the declaration to mean what it says. A plan is plain JSON: the plugin embeds it,
 * `syscage inspect` shows it, the runtime applies it. Relative paths stay relative: the runtime
 * resolves them against the working directory when the sandbox starts, as Node's fs functions
 * resolve the program's own relative paths. No I/O here.
 */

import type { ResolvedCapabilities } from '../catalog/resolve.ts';
import { DNS_PATHS, EXEC_START_PATHS, NODE_IMPLICIT_PATHS, PROGRAM_DIRS, type ImplicitPath } from './implicit.ts';
import { rightAbi, type FsRight, type LandlockRight, type NetRight, type ScopeRight } from './rights.ts';

/** Rights a path rule may grant. */
export interface LandlockPathRule {
  /** Absolute, relative to the working directory at start, or a `{placeholder}` (implicit.ts). */
  readonly path: string;
  readonly access: readonly FsRight[];
  /** The capability that grants it, or `runtime` for the implicit read set. */
  readonly from: string;
  /** A missing path is skipped (nothing there to use) or refused (the program means to create it). */
  readonly ifMissing: 'skip' | 'refuse';
}

/** One TCP port and what may be done with it. */
export interface LandlockPortRule {
  readonly port: number;
  readonly access: readonly NetRight[];
  readonly from: string;
}

/** A right the kernel must support, or the declaration would be wider than written. */
export interface LandlockRequirement {
  readonly right: LandlockRight;
  /** What it enforces, for the refusal message. */
  readonly enforces: string;
}

/** Everything the runtime needs to apply Landlock for one declaration. */
export interface LandlockPlan {
  /** Handled file-system rights: denied except where a path rule grants them. */
  readonly handledFs: readonly FsRight[];
  /** Handled network rights: denied except on the listed ports. */
  readonly handledNet: readonly NetRight[];
  /** IPC scopes: signals and abstract unix sockets stay inside the sandbox. */
  readonly scoped: readonly ScopeRight[];
  readonly paths: readonly LandlockPathRule[];
  readonly ports: readonly LandlockPortRule[];
  readonly required: readonly LandlockRequirement[];
  /** `enforce`: a kernel without a required right refuses to run the program; `best-effort` widens with a warning. */
  readonly mode: 'enforce' | 'best-effort';
}

/** Options of {@link planLandlock}. */
export interface PlanLandlockOptions {
  /** Add what the Node runtime reads by itself (default `true`; `syscage exec` of other programs says `false`). */
  readonly nodeRuntime?: boolean;
}

const READ: readonly FsRight[] = ['read_file', 'read_dir'];
/** Everything writing, creating, removing, renaming and truncating takes; never device nodes. */
const WRITE: readonly FsRight[] = ['write_file', 'remove_dir', 'remove_file', 'make_dir', 'make_reg', 'make_sock', 'make_fifo', 'make_sym', 'refer', 'truncate'];
const DEVICES: readonly FsRight[] = ['make_char', 'make_block'];

/**
 * The Landlock plan of a resolved declaration.
 * @example
 * planLandlock(resolveCapabilities({ fs: { read: ['./data'] }, net: { connect: [443] } })).ports;
 * // [{ port: 443, access: ['connect_tcp'], from: 'net.connect' }]
 */
export function planLandlock(resolved: ResolvedCapabilities, options: PlanLandlockOptions = {}): LandlockPlan {
  const { scopes, grants } = resolved;
  const handledFs = new Set<FsRight>();
  const handledNet = new Set<NetRight>();
  const paths: LandlockPathRule[] = [];
  const ports: LandlockPortRule[] = [];
  const required: LandlockRequirement[] = [];
  const addPaths = (list: readonly ImplicitPath[], from: string): void => {
    for (const entry of list) paths.push({ path: entry.path, access: entry.access, from, ifMissing: 'skip' });
  };
  const requireRights = (rights: readonly LandlockRight[], enforces: string): void => {
    for (const right of rights) required.push({ right, enforces });
  };

  // fs.write includes reading, as in the seccomp catalog: its paths are readable too.
  const write = scopes['fs.write'];
  const read = write === 'any' ? 'any' : scopes['fs.read'];
  if (read === 'any') {
    // Reading every file is not reading other processes: /proc/<pid>/environ, maps and auxv of a
    // process of the same user need only PTRACE_MODE_READ, which Landlock's domain does not scope.
    // So reads stay handled, `/` is listable, and every top-level entry but /proc is readable, as
    // are /proc's own entries and the process's own /proc/self ({all-but-processes}, runtime).
    const from = write === 'any' ? 'fs.write' : 'fs.read';
    for (const right of READ) handledFs.add(right);
    requireRights(READ, "that reading every file stops at other processes' /proc/<pid> (environ, maps)");
    paths.push({ path: '/', access: ['read_dir'], from, ifMissing: 'skip' });
    paths.push({ path: '{all-but-processes}', access: READ, from, ifMissing: 'skip' });
  } else {
    for (const right of READ) handledFs.add(right);
    requireRights(READ, read === undefined && write === undefined ? 'that undeclared files cannot be read' : 'the fs.read and fs.write path lists');
    for (const path of (read as readonly string[] | undefined) ?? []) paths.push({ path, access: READ, from: 'fs.read', ifMissing: 'skip' });
  }
  // Device nodes are never granted, so every plan handles a right and every sandboxed process
  // enters a Landlock domain. The domain itself is what keeps processes outside it out of reach:
  // ptrace scoping (/proc/<pid>/mem and environ of another process of the same user, which the
  // filter cannot tell from other read-only opens) and, from ABI 6, the signal and abstract unix
  // socket scopes.
  for (const right of DEVICES) handledFs.add(right);
  requireRights(['make_char'], "Landlock's domain: that no process outside the sandbox can be reached through /proc/<pid>/mem or environ (ptrace scoping)");
  if (write !== 'any') {
    for (const right of WRITE) handledFs.add(right);
    requireRights(['write_file', 'remove_dir', 'remove_file', 'make_dir', 'make_reg', 'make_sym'], write === undefined ? 'that no file can be written' : 'the fs.write path list');
    if (write !== undefined) {
      requireRights(['truncate'], 'that only files under the fs.write paths can be truncated');
      for (const path of write as readonly string[]) paths.push({ path, access: [...READ, ...WRITE], from: 'fs.write', ifMissing: 'refuse' });
    }
  }
  const spawn = scopes.spawn;
  if (spawn !== 'any') {
    handledFs.add('execute');
    requireRights(['execute'], spawn === undefined ? 'that no program can be executed' : 'the spawn list');
    for (const path of (spawn as readonly string[] | undefined) ?? []) paths.push({ path, access: ['execute', 'read_file'], from: 'spawn', ifMissing: 'skip' });
  }
  // Executing needs read_file on the program (the kernel opens it for reading), its loader and libraries.
  if (spawn === 'any') addPaths(PROGRAM_DIRS, 'spawn');
  if (spawn !== undefined) addPaths(EXEC_START_PATHS, 'spawn');
  const resolvers = (['dns', 'net.connect', 'net.listen', 'net.udp'] as const).filter((name) => grants.has(name));
  if (resolvers.length > 0) addPaths(DNS_PATHS, resolvers.join(', '));
  if (options.nodeRuntime ?? true) addPaths([...NODE_IMPLICIT_PATHS, ...EXEC_START_PATHS], 'runtime');

  const connect = scopes['net.connect'];
  const listen = scopes['net.listen'];
  if (connect !== 'any') {
    handledNet.add('connect_tcp');
    if (connect !== undefined) {
      requireRights(['connect_tcp'], 'the net.connect port list');
      for (const port of connect as readonly number[]) ports.push({ port, access: ['connect_tcp'], from: 'net.connect' });
    }
  }
  if (listen !== 'any') {
    handledNet.add('bind_tcp');
    if (listen !== undefined) {
      requireRights(['bind_tcp'], 'the net.listen port list');
      for (const port of listen as readonly number[]) ports.push({ port, access: ['bind_tcp'], from: 'net.listen' });
    }
    // A client may bind before connecting (localAddress); port 0 lets the kernel pick the port.
    if (grants.has('net.connect')) ports.push({ port: 0, access: ['bind_tcp'], from: 'net.connect' });
  }

  const scoped: ScopeRight[] = [];
  if (!grants.has('signal')) scoped.push('signal');
  if (!grants.has('net.unix')) scoped.push('abstract_unix_socket');

  return {
    handledFs: [...handledFs].sort(),
    handledNet: [...handledNet].sort(),
    scoped,
    paths: mergePaths(paths),
    ports,
    required: dedupe(required),
    mode: resolved.landlock,
  };
}

/** Whether a plan restricts nothing at all. planLandlock never makes one (device nodes are always handled). */
export function isEmptyPlan(plan: LandlockPlan): boolean {
  return plan.handledFs.length === 0 && plan.handledNet.length === 0 && plan.scoped.length === 0;
}

/** The lowest ABI that enforces every required right of `plan`. */
export function requiredAbi(plan: LandlockPlan): number {
  return Math.max(0, ...plan.required.map((r) => rightAbi(r.right)));
}

/**
 * One rule per path: rules for the same path are merged (their rights joined, their sources
 * listed, `refuse` if either refuses), in the order the paths first appear.
 */
export function mergePaths(rules: readonly LandlockPathRule[]): LandlockPathRule[] {
  const byPath = new Map<string, LandlockPathRule>();
  for (const rule of rules) {
    const seen = byPath.get(rule.path);
    if (seen === undefined) byPath.set(rule.path, rule);
    else
      byPath.set(rule.path, {
        path: rule.path,
        access: [...new Set([...seen.access, ...rule.access])].sort(),
        from: seen.from === rule.from ? seen.from : `${seen.from}, ${rule.from}`,
        ifMissing: seen.ifMissing === 'refuse' || rule.ifMissing === 'refuse' ? 'refuse' : 'skip',
      });
  }
  return [...byPath.values()];
}

function dedupe(requirements: readonly LandlockRequirement[]): LandlockRequirement[] {
  const seen = new Map<LandlockRight, LandlockRequirement>();
  for (const requirement of requirements) if (!seen.has(requirement.right)) seen.set(requirement.right, requirement);
  return [...seen.values()];
}
