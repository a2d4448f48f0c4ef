/**
 * Where a declaration's lists and flags must not let the kernel do more than they say (issue 12),
 * as rows through the compiled filter: attribute calls only with `fs.write: true`, no unix stream
 * socket for `dns` (answered EACCES so glibc goes on without nscd), no privileged madvise. The
 * kernel side is test/escapes.
 */
import { describe, expect, it } from 'vitest';
import { ARCHES } from '../arch/index.ts';
import { compilePolicy } from '../bpf/compile.ts';
import { simulate } from '../bpf/simulate.ts';
import { ALLOW, EPERM, ERRNO, KILL_PROCESS, encodeAction, type Action } from '../policy/action.ts';
import { buildPolicy } from './build-policy.ts';
import { AF_UNIX, MADV_DONTNEED, MADV_FREE, SOCK_DGRAM, SOCK_STREAM } from './constants.ts';

/** SOCK_NONBLOCK | SOCK_CLOEXEC, as glibc opens nscd's socket. */
const SOCK_CLOEXEC_NONBLOCK = 0o4000 | 0o2000000;
import { resolveCapabilities } from './resolve.ts';

const EACCES = ERRNO(13);
const arch = ARCHES.x86_64;

function answer(declaration: object, syscall: string, args: readonly bigint[] = []): Action | string {
  const bytes = compilePolicy(buildPolicy(resolveCapabilities(declaration), { node: 22 }), 'x86_64').bytes;
  const nr = arch.syscalls[syscall];
  if (nr === undefined) throw new Error(`no ${syscall} on x86_64`);
  const action = simulate(bytes, { nr, arch: arch.auditArch, args: [...args, 0n, 0n, 0n, 0n, 0n, 0n].slice(0, 6) }).action;
  for (const [name, candidate] of Object.entries({ ALLOW, KILL_PROCESS, EPERM: ERRNO(EPERM), EACCES })) if (encodeAction(candidate) === action) return name;
  return `0x${action.toString(16)}`;
}

const ATTRIBUTE_CALLS = ['chmod', 'fchmod', 'fchmodat', 'chown', 'fchown', 'lchown', 'fchownat', 'utimensat', 'utimes', 'futimesat'];

describe('attribute changes', () => {
  it.each(ATTRIBUTE_CALLS)('%s: allowed with fs.write: true, a violation with a write list', (syscall) => {
    expect(answer({ fs: { write: true } }, syscall)).toBe('ALLOW');
    expect(answer({ fs: { read: true, write: ['./out'] } }, syscall)).toBe('KILL_PROCESS');
    expect(answer({ fs: { read: true, write: ['./out'] }, onViolation: 'errno' }, syscall)).toBe('EPERM');
  });
});

describe('dns and unix sockets', () => {
  it('dns gets no unix stream socket: EACCES, so glibc goes on without nscd', () => {
    expect(answer({ dns: true }, 'socket', [BigInt(AF_UNIX), BigInt(SOCK_STREAM | SOCK_CLOEXEC_NONBLOCK), 0n])).toBe('EACCES');
    expect(answer({ dns: true }, 'socket', [BigInt(AF_UNIX), BigInt(SOCK_DGRAM), 0n])).toBe('KILL_PROCESS');
  });
  it('net.unix grants it; without dns it stays a violation', () => {
    expect(answer({ dns: true, net: { unix: true } }, 'socket', [BigInt(AF_UNIX), BigInt(SOCK_STREAM), 0n])).toBe('ALLOW');
    expect(answer({ fs: { read: true } }, 'socket', [BigInt(AF_UNIX), BigInt(SOCK_STREAM), 0n])).toBe('KILL_PROCESS');
  });
});

describe('madvise', () => {
  it.each([
    [MADV_DONTNEED, 'ALLOW'],
    [MADV_FREE, 'ALLOW'],
    [100, 'KILL_PROCESS'], // MADV_HWPOISON
    [101, 'KILL_PROCESS'], // MADV_SOFT_OFFLINE
    [12, 'KILL_PROCESS'], // MADV_MERGEABLE
    [9, 'KILL_PROCESS'], // MADV_REMOVE
  ])('advice %i: %s, whatever is declared', (advice, expected) => {
    expect(answer({ fs: true, net: true, spawn: true }, 'madvise', [0x10000n, 4096n, BigInt(advice)])).toBe(expected);
  });
});
