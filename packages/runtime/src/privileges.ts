/**
 * Takes away, at sandbox time, the capabilities(7) that would let a granted system call do more
 * than the catalog says it does. seccomp cannot see credentials, so where a rule's safety rests
 * on a capability the process must not hold, this module makes sure it does not:
 * - CAP_NET_ADMIN, when the declaration grants a NETLINK_ROUTE socket (net.listen, for
 *   os.networkInterfaces()), whose sendto carries dumps and route or address changes alike; the
 *   kernel refuses the changes to a sender without CAP_NET_ADMIN over the network namespace. The
 *   network namespace must then also belong to the process's own user namespace: the owner of a
 *   child user namespace holds every capability inside it without holding any itself. Without
 *   that grant no socket reaches rtnetlink, and the capability stays (no restart for it).
 * - CAP_SETUID and CAP_SETGID, from a process that holds them without root's file, signal and
 *   ptrace overrides: the baseline allows set*id (privilege drops), which with those two alone
 *   could take on an identity that reaches more (core's baseline.ts, PRIVILEGE_DROPS).
 * A capability leaves the effective, permitted and inheritable sets (capset; the ambient set
 * follows the permitted one) and, where CAP_SETPCAP allows it, the bounding set. capset changes
 * the calling thread only, so after a drop the process restarts once (no_new_privs is set first,
 * so the execve cannot hand the capabilities back), and every thread of the new image starts
 * without them. It reads credentials from /proc and changes nothing else.
 */

import { PR_SET_NO_NEW_PRIVS } from '@syscage/core/constants';
import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { prctl, syscall } from './ffi.ts';
import { digitsField, HEX_DIGITS, readStatusText } from './proc-status.ts';

/** `linux/capability.h`. */
const CAP = { CAP_DAC_OVERRIDE: 1, CAP_DAC_READ_SEARCH: 2, CAP_FOWNER: 3, CAP_KILL: 5, CAP_SETGID: 6, CAP_SETUID: 7, CAP_SETPCAP: 8, CAP_NET_ADMIN: 12, CAP_SYS_PTRACE: 19 } as const;
/** Holding all of these, a process reaches every file, signal and process any identity could. */
const OVERRIDES = [CAP.CAP_DAC_OVERRIDE, CAP.CAP_DAC_READ_SEARCH, CAP.CAP_FOWNER, CAP.CAP_KILL, CAP.CAP_SYS_PTRACE];
const _LINUX_CAPABILITY_VERSION_3 = 0x20080522;
/** `linux/prctl.h` (PR_SET_NO_NEW_PRIVS is core's). */
const PR_CAPBSET_DROP = 24;
/** `linux/nsfs.h`: `_IO(0xb7, 0x1)`, the user namespace owning a namespace. */
const NS_GET_USERNS = 0xb701;

/** Capability sets, as `/proc/<pid>/status` shows them. */
export interface CapabilitySets {
  readonly inheritable: bigint;
  readonly permitted: bigint;
  readonly effective: bigint;
  readonly bounding: bigint;
  readonly ambient: bigint;
}

/** What {@link dropPrivileges} did. */
export interface PrivilegeDrop {
  /** Capabilities taken from the calling thread; non-empty means the process must restart. */
  readonly dropped: readonly string[];
}

/** Parses the `Cap*` lines of a `/proc/<pid>/status` text; undefined without them. */
export function parseCapabilities(status: string): CapabilitySets | undefined {
  const field = (name: string): bigint | undefined => {
    const value = digitsField(status, `Cap${name}`, HEX_DIGITS);
    return value === undefined ? undefined : BigInt(`0x${value}`);
  };
  const [inheritable, permitted, effective, bounding, ambient] = ['Inh', 'Prm', 'Eff', 'Bnd', 'Amb'].map(field);
  if (inheritable === undefined || permitted === undefined || effective === undefined || bounding === undefined) return undefined;
  return { inheritable, permitted, effective, bounding, ambient: ambient ?? 0n };
}

/** The capabilities `sets` must lose (see the module comment), by number; `netlinkRoute`: the declaration grants the socket. */
export function capabilitiesToDrop(sets: CapabilitySets, netlinkRoute: boolean): number[] {
  const held = sets.effective | sets.permitted | sets.inheritable | sets.ambient;
  const has = (cap: number): boolean => (held & (1n << BigInt(cap))) !== 0n;
  const drop: number[] = netlinkRoute ? [CAP.CAP_NET_ADMIN] : [];
  if (!OVERRIDES.every((cap) => (sets.permitted & (1n << BigInt(cap))) !== 0n)) drop.push(CAP.CAP_SETUID, CAP.CAP_SETGID);
  return drop.filter(has);
}

/**
 * Drops what the sandbox must not leave the process (module comment) from the calling thread,
 * and with `netlinkRoute` (the declaration grants NETLINK_ROUTE) checks who owns the network
 * namespace. Call it before the filter, which allows neither capset nor this prctl.
 *
 * @throws `SECCOMP_UNAVAILABLE` when a capability cannot be dropped, `INVALID_FILTER` when the
 *   network namespace belongs to another user namespace.
 */
export function dropPrivileges(options: { readonly netlinkRoute: boolean }): PrivilegeDrop {
  if (options.netlinkRoute) checkNetworkNamespaceOwner();
  const sets = readCapabilities();
  if (sets === undefined) return { dropped: [] };
  const drop = capabilitiesToDrop(sets, options.netlinkRoute);
  if (drop.length === 0) return { dropped: [] };
  const names = drop.map(capabilityName);
  const fail = (what: string, errno: number): never => {
    throw loaderError({ code: 'PRIVILEGE_DROP_FAILED', message: `cannot drop ${names.join(', ')} (${what}: errno ${errno}).`, hint: 'Start the program without those capabilities (for example with setpriv or a systemd CapabilityBoundingSet).' });
  };
  const noNewPrivs = prctl(PR_SET_NO_NEW_PRIVS, 1);
  if (noNewPrivs.value !== 0) fail('prctl(PR_SET_NO_NEW_PRIVS)', noNewPrivs.errno);
  const mask = drop.reduce((bits, cap) => bits | (1n << BigInt(cap)), 0n);
  if ((sets.effective & (1n << BigInt(CAP.CAP_SETPCAP))) !== 0n) {
    for (const cap of drop) {
      const result = prctl(PR_CAPBSET_DROP, cap);
      if (result.value !== 0) fail('prctl(PR_CAPBSET_DROP)', result.errno);
    }
  }
  const result = capset({ effective: sets.effective & ~mask, permitted: sets.permitted & ~mask, inheritable: sets.inheritable & ~mask });
  if (result.value !== 0) fail('capset', result.errno);
  const after = readCapabilities();
  if (after === undefined || capabilitiesToDrop(after, options.netlinkRoute).some((cap) => drop.includes(cap))) fail('still held after capset', 0);
  return { dropped: names };
}

/**
 * The capabilities {@link dropPrivileges} would drop that this thread holds, by name: none after a
 * restart that dropped them (the bounding set keeps execve from giving them back).
 */
export function heldPrivileges(options: { readonly netlinkRoute: boolean }): string[] {
  const sets = readCapabilities();
  return sets === undefined ? [] : capabilitiesToDrop(sets, options.netlinkRoute).map(capabilityName);
}

function capabilityName(cap: number): string {
  return Object.keys(CAP).find((name) => CAP[name as keyof typeof CAP] === cap) ?? String(cap);
}

function readCapabilities(): CapabilitySets | undefined {
  const text = readStatusText('/proc/thread-self/status') ?? readStatusText('/proc/self/status');
  return text === undefined ? undefined : parseCapabilities(text);
}

/** capset(2), version 3: a header and two data words (capabilities 0–31, 32–63). */
function capset(sets: { effective: bigint; permitted: bigint; inheritable: bigint }): { value: number; errno: number } {
  const arch = findLoaderArch();
  if (arch === undefined) return { value: -1, errno: 38 };
  const header = Buffer.alloc(8);
  header.writeUInt32LE(_LINUX_CAPABILITY_VERSION_3, 0);
  header.writeInt32LE(0, 4);
  const data = Buffer.alloc(24);
  for (const [word, shift] of [[0, 0n], [1, 32n]] as const) {
    data.writeUInt32LE(Number((sets.effective >> shift) & 0xffffffffn), word * 12);
    data.writeUInt32LE(Number((sets.permitted >> shift) & 0xffffffffn), word * 12 + 4);
    data.writeUInt32LE(Number((sets.inheritable >> shift) & 0xffffffffn), word * 12 + 8);
  }
  return syscall(arch.nrCapset, header, data);
}

/**
 * Refuses a network namespace owned by another user namespace than the process's own: its
 * owner would hold CAP_NET_ADMIN there whatever its capability sets say. A kernel without
 * NS_GET_USERNS (before 4.9) cannot tell, and refuses too.
 */
function checkNetworkNamespaceOwner(): void {
  const { closeSync, fstatSync, openSync, statSync } = process.getBuiltinModule('node:fs');
  const arch = findLoaderArch();
  let netns: number | undefined;
  let owner = -1;
  try {
    netns = openSync('/proc/self/ns/net', 'r');
    owner = arch === undefined ? -1 : syscall(arch.nrIoctl, netns, NS_GET_USERNS).value;
    const own = statSync('/proc/self/ns/user');
    const ownerStat = owner >= 0 ? fstatSync(owner) : undefined;
    if (ownerStat !== undefined && ownerStat.ino === own.ino && ownerStat.dev === own.dev) return;
  } catch {
    // Falls through to the refusal: without /proc/self/ns nothing can be shown.
  } finally {
    if (owner >= 0) closeSync(owner);
    if (netns !== undefined) closeSync(netns);
  }
  throw loaderError({
    code: 'PRIVILEGE_DROP_FAILED',
    message: 'net.listen grants a NETLINK_ROUTE socket, but this network namespace is not owned by the process\'s user namespace (or the kernel cannot say which is), so dropping CAP_NET_ADMIN would not keep it from changing routes.',
    hint: 'Start the program in a network namespace of its own user namespace, or on Linux ≥ 4.9.',
  });
}
