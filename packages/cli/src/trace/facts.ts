/**
 * The Landlock-relevant facts of a trace, gathered by following descriptors through it: which
 * files were opened for reading or writing, what was created or removed, which sockets (family,
 * type) were connected or bound to which ports, and which programs were executed. seccomp cannot
 * see any of this; the suggested declaration's path and port lists come from here.
 */

import { statSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { CapabilityName } from '@syscage/core';
import { AF_INET, AF_INET6, AF_UNIX, O_CREAT, O_WRITE_BITS, SOCK_DGRAM, SOCK_STREAM, SOCK_TYPE_MASK } from '@syscage/core/constants';
import { addressOf, argValue, pathOf, returnedFd, sourcePathOf } from './args.ts';
import type { SyscallEvent } from './strace.ts';

const AT_FDCWD = BigInt.asUintN(64, -100n);
/** glibc's name service cache socket: asked first by getaddrinfo (dns). */
const NSCD_SOCKETS = new Set(['/var/run/nscd/socket', '/run/nscd/socket']);

/** A socket the program made, and what it was used for. */
export interface SocketRecord {
  readonly family: 'inet' | 'unix' | 'other';
  readonly type: 'stream' | 'dgram' | 'other';
  /** The capability its use calls for, once known. */
  use?: CapabilityName;
  boundPort?: number;
}

/** What the trace touched. */
export interface TraceFacts {
  readonly read: Set<string>;
  readonly stated: Set<string>;
  readonly write: Set<string>;
  readonly connect: Set<number>;
  readonly listen: Set<number>;
  readonly executed: Set<string>;
  /** The socket an event acts on (socket() itself included), to prefer the capability its use calls for. */
  readonly socketOf: Map<SyscallEvent, SocketRecord>;
}

const SOCKET_CALLS = new Set(['connect', 'bind', 'listen', 'accept', 'accept4', 'sendto', 'recvfrom', 'sendmsg', 'recvmsg', 'sendmmsg', 'recvmmsg', 'setsockopt', 'getsockopt', 'getsockname', 'getpeername', 'shutdown']);
const WRITE_CALLS = new Set(['mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat', 'creat', 'truncate', 'chmod', 'fchmodat', 'chown', 'lchown', 'fchownat', 'utimensat']);

/**
 * Follows `events` (already cut to what counts) and collects the facts.
 * @param cwd the traced command's working directory at start.
 * @param tgidOf task → process, to keep descriptor tables per process.
 */
export function gatherFacts(events: readonly SyscallEvent[], cwd: string, tgidOf: ReadonlyMap<number, number>, mainPid: number): TraceFacts {
  const facts: TraceFacts = { read: new Set(), stated: new Set(), write: new Set(), connect: new Set(), listen: new Set(), executed: new Set(), socketOf: new Map() };
  const sockets = new Map<string, SocketRecord>();
  const cwdOf = new Map<number, string>();
  const key = (pid: number, fd: bigint | number): string => `${pid}:${fd}`;
  for (const event of events) {
    const pid = tgidOf.get(event.tid) ?? event.tid;
    const here = cwdOf.get(pid) ?? cwd;
    const absolute = (path: string | undefined): string | undefined => {
      if (path === undefined || path === '') return undefined;
      const dirfd = ['openat', 'newfstatat', 'statx', 'faccessat', 'faccessat2', 'mkdirat', 'unlinkat', 'fchmodat', 'fchownat', 'utimensat', 'readlinkat', 'execveat'].includes(event.name) ? argValue(event.args[0]) : AT_FDCWD;
      if (isAbsolute(path)) return resolve(path);
      return dirfd === AT_FDCWD ? resolve(here, path) : undefined;
    };
    const ok = event.errno === undefined && event.ret !== undefined;
    if (event.name === 'socket' && ok) {
      // Small constants: Number() of a wider value never equals one of them.
      const family = Number(argValue(event.args[0]));
      const type = Number(argValue(event.args[1]) & BigInt(SOCK_TYPE_MASK));
      const record: SocketRecord = { family: family === AF_INET || family === AF_INET6 ? 'inet' : family === AF_UNIX ? 'unix' : 'other', type: type === SOCK_STREAM ? 'stream' : type === SOCK_DGRAM ? 'dgram' : 'other' };
      const fd = returnedFd(event);
      if (fd !== undefined) sockets.set(key(pid, fd), record);
      facts.socketOf.set(event, record);
      continue;
    }
    if (SOCKET_CALLS.has(event.name)) {
      const record = sockets.get(key(pid, argValue(event.args[0])));
      if (record !== undefined) {
        facts.socketOf.set(event, record);
        noteSocketUse(event, record, facts);
      }
      continue;
    }
    if ((event.name === 'open' || event.name === 'openat' || event.name === 'creat') && ok) {
      const path = absolute(pathOf(event));
      if (path === undefined || path.startsWith('/proc/self/fd/')) continue;
      const flags = event.name === 'creat' ? O_CREAT | 1 : Number(argValue(event.args[event.name === 'openat' ? 2 : 1]) & 0xffffffffn);
      if ((flags & O_WRITE_BITS) !== 0) facts.write.add(flags & O_CREAT && !isDevice(path) ? dirname(path) : path);
      else facts.read.add(path);
      continue;
    }
    if (WRITE_CALLS.has(event.name) && ok) {
      const path = absolute(pathOf(event));
      const creates = !['truncate', 'chmod', 'fchmodat', 'chown', 'lchown', 'fchownat', 'utimensat'].includes(event.name);
      if (path !== undefined) facts.write.add(creates ? dirname(path) : path);
      const source = absolute(sourcePathOf(event));
      if (source !== undefined) facts.write.add(dirname(source));
      continue;
    }
    if ((event.name === 'execve' || event.name === 'execveat') && ok && pid !== mainPid) {
      const path = absolute(pathOf(event));
      if (path !== undefined) facts.executed.add(path);
      continue;
    }
    if (event.name === 'chdir' && ok) {
      const path = absolute(pathOf(event));
      if (path !== undefined) cwdOf.set(pid, path);
      continue;
    }
    if (['stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat'].includes(event.name) && ok) {
      const path = absolute(pathOf(event));
      if (path !== undefined) facts.stated.add(path);
    }
  }
  return facts;
}

/** A device node (such as /dev/null, opened with O_CREAT by shell redirections) is written, not created. */
function isDevice(path: string): boolean {
  try {
    const stats = statSync(path);
    return stats.isCharacterDevice() || stats.isBlockDevice();
  } catch {
    return false;
  }
}

function noteSocketUse(event: SyscallEvent, record: SocketRecord, facts: TraceFacts): void {
  const address = ['connect', 'bind', 'sendto', 'sendmsg'].includes(event.name) ? addressOf(event) : undefined;
  if (record.family === 'unix') {
    if (event.name === 'connect' && address?.path !== undefined && NSCD_SOCKETS.has(address.path)) record.use ??= 'dns';
    else if (event.name === 'connect' || event.name === 'bind' || event.name === 'listen') record.use = record.use === 'dns' && event.name === 'connect' ? 'dns' : 'net.unix';
    return;
  }
  if (record.family !== 'inet') return;
  if (record.type === 'dgram') {
    if (address?.port === 53) record.use ??= 'dns';
    else if (address?.port !== undefined || event.name === 'bind') record.use = 'net.udp';
    return;
  }
  if (event.name === 'bind' && address?.port !== undefined) record.boundPort = address.port;
  if (event.name === 'connect' && address?.port !== undefined) {
    record.use = 'net.connect';
    facts.connect.add(address.port);
  }
  if (event.name === 'listen') {
    record.use = 'net.listen';
    facts.listen.add(record.boundPort ?? 0);
  }
}
