/**
 * What a traced call's arguments were, as numbers the filter would see (`strace -X verbose`
 * prints every constant as a number with its name in a comment), and the facts the capability
 * inference needs: paths, socket addresses and ports. Pointers (strings, structs, arrays) become a
 * non-zero placeholder: syscage's conditions never test a pointer's value, only whether one is
 * NULL (prlimit64's new limit), which strace prints as `NULL`.
 */

import { SELF_PID, getArch, type ArchName, type SeccompData } from '@syscage/core';
import { decodeString, type SyscallEvent } from './strace.ts';

const POINTER = 0x1000n;

/** One printed argument as the 64-bit register value, or the pointer placeholder. */
export function argValue(text: string | undefined): bigint {
  if (text === undefined) return 0n;
  const bare = text.replace(/\/\*.*?\*\//g, '').replace(/^[a-z_]+=/, '').trim();
  if (bare === 'NULL') return 0n;
  const parts = bare.split('|').map((part) => part.trim());
  let value = 0n;
  for (const part of parts) {
    let n: bigint;
    if (/^-?0x[0-9a-f]+$/i.test(part)) n = part.startsWith('-') ? -BigInt(part.slice(1)) : BigInt(part);
    else if (/^-?0[0-7]+$/.test(part)) n = BigInt(`${part.startsWith('-') ? '-' : ''}0o${part.replace(/^-?0/, '')}`);
    else if (/^-?\d+$/.test(part)) n = BigInt(part);
    else return POINTER;
    value |= BigInt.asUintN(64, n);
  }
  return value;
}

/** Where strace moves an argument out of the kernel's order (clone prints `child_stack` first). */
function registerArgs(event: SyscallEvent): string[] {
  if (event.name === 'clone') {
    const flags = event.args.find((arg) => arg.startsWith('flags='));
    return flags === undefined ? [...event.args] : [flags];
  }
  return [...event.args];
}

/**
 * The `seccomp_data` the filter saw for `event` on `arch`, or undefined for a name the table does
 * not know. A signal aimed at the caller's own process carries the self-pid placeholder, as the
 * loader binds it.
 */
export function seccompData(event: SyscallEvent, arch: ArchName, ownPid: number): SeccompData | undefined {
  const descriptor = getArch(arch);
  const nr = descriptor.syscalls[event.name];
  if (nr === undefined) return undefined;
  const args = registerArgs(event).slice(0, 6).map(argValue);
  if (['kill', 'tgkill'].includes(event.name) && args[0] === BigInt(ownPid)) args[0] = BigInt(SELF_PID);
  return { nr, arch: descriptor.auditArch, args };
}

/** The path argument of a path-taking call, with its index. */
const PATH_ARG: Readonly<Record<string, number>> = {
  open: 0, openat: 1, creat: 0, stat: 0, lstat: 0, newfstatat: 1, statx: 1, access: 0, faccessat: 1, faccessat2: 1,
  readlink: 0, readlinkat: 1, execve: 0, execveat: 1, mkdir: 0, mkdirat: 1, rmdir: 0, unlink: 0, unlinkat: 1,
  rename: 1, renameat: 3, renameat2: 3, link: 1, linkat: 3, symlink: 1, symlinkat: 2, chmod: 0, fchmodat: 1,
  chown: 0, lchown: 0, fchownat: 1, truncate: 0, utimensat: 1, chdir: 0, inotify_add_watch: 1,
  statfs: 0,
};

/** The path a call names, if it names one. */
export function pathOf(event: SyscallEvent): string | undefined {
  const index = PATH_ARG[event.name];
  return index === undefined ? undefined : decodeString(event.args[index]);
}

/** The source path of a rename or link (its first path). */
export function sourcePathOf(event: SyscallEvent): string | undefined {
  const index = { rename: 0, renameat: 1, renameat2: 1, link: 0, linkat: 1 }[event.name];
  return index === undefined ? undefined : decodeString(event.args[index]);
}

/** A socket address as printed: family, TCP/UDP port, unix path. */
export interface SocketAddress {
  readonly family: 'inet' | 'unix' | 'other';
  readonly port?: number;
  readonly path?: string;
}

/** The address argument of connect/bind/sendto (index 1, or 4 for sendto). */
export function addressOf(event: SyscallEvent): SocketAddress | undefined {
  const text = event.name === 'sendto' ? event.args[4] : event.name === 'sendmsg' ? event.args[1] : event.args[1];
  if (text === undefined || !text.includes('sa_family')) return undefined;
  if (/AF_INET6?\b/.test(text)) {
    const port = /htons\((\d+)\)/.exec(text)?.[1];
    return port === undefined ? { family: 'inet' } : { family: 'inet', port: Number(port) };
  }
  if (/AF_UNIX\b/.test(text)) {
    const path = /sun_path=(@?"(?:[^"\\]|\\.)*")/.exec(text)?.[1];
    const decoded = decodeString(path);
    return decoded === undefined ? { family: 'unix' } : { family: 'unix', path: `${path?.startsWith('@') ? '@' : ''}${decoded}` };
  }
  return { family: 'other' };
}

/** The descriptor a call returned, or undefined if it failed. */
export function returnedFd(event: SyscallEvent): number | undefined {
  const value = Number(event.ret?.split(' ')[0]);
  return Number.isInteger(value) && value >= 0 ? value : undefined;
}
