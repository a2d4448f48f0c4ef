/**
 * What a filter answers for a syscall: the five actions a syscage policy may use, their
 * `SECCOMP_RET_*` encodings, and how to read a raw return value back. KILL_THREAD, TRACE and
 * USER_NOTIF are decoded for disassembly but cannot be written in a policy: a killed libuv thread
 * hangs Node, and the other two need a supervisor syscage does not have.
 */

import { SyscageError } from '../errors.ts';
import {
  MAX_ERRNO,
  SECCOMP_RET_ACTION_FULL,
  SECCOMP_RET_ALLOW,
  SECCOMP_RET_DATA,
  SECCOMP_RET_ERRNO,
  SECCOMP_RET_KILL_PROCESS,
  SECCOMP_RET_KILL_THREAD,
  SECCOMP_RET_LOG,
  SECCOMP_RET_TRACE,
  SECCOMP_RET_TRAP,
  SECCOMP_RET_USER_NOTIF,
} from '../seccomp-abi.ts';

/** An action a policy can give a syscall. */
export type Action =
  | { readonly kind: 'ALLOW' }
  | { readonly kind: 'LOG' }
  | { readonly kind: 'KILL_PROCESS' }
  | { readonly kind: 'TRAP'; readonly data: number }
  | { readonly kind: 'ERRNO'; readonly errno: number };

/** Let the syscall run. */
export const ALLOW: Action = Object.freeze({ kind: 'ALLOW' });
/** Let the syscall run and log it to the audit log. */
export const LOG: Action = Object.freeze({ kind: 'LOG' });
/** Kill the whole process with SIGSYS (`SECCOMP_RET_KILL_PROCESS`), as the kernel's "Bad system call". */
export const KILL_PROCESS: Action = Object.freeze({ kind: 'KILL_PROCESS' });

/** `ENOSYS` on both supported architectures: the answer for syscall numbers the table does not know. */
export const ENOSYS = 38;
/** `EPERM` on both supported architectures. */
export const EPERM = 1;

/** Fail the syscall with `-errno` (0 ≤ errno ≤ 4095). */
export function ERRNO(errno: number): Action {
  if (!Number.isInteger(errno) || errno < 0 || errno > MAX_ERRNO) {
    throw new SyscageError({
      code: 'INVALID_ACTION',
      message: `ERRNO(${errno}) is not an errno the kernel can return.`,
      hint: `Use an integer from 0 to ${MAX_ERRNO}, such as EPERM (1) or ENOSYS (38).`,
    });
  }
  return Object.freeze({ kind: 'ERRNO', errno });
}

/** Send SIGSYS to the calling thread with `data` (0–65535) in `si_errno`. */
export function TRAP(data = 0): Action {
  if (!Number.isInteger(data) || data < 0 || data > SECCOMP_RET_DATA) {
    throw new SyscageError({
      code: 'INVALID_ACTION',
      message: `TRAP(${data}) carries data outside 16 bits.`,
      hint: 'Use an integer from 0 to 65535.',
    });
  }
  return Object.freeze({ kind: 'TRAP', data });
}

/** The 32-bit value a filter returns for `action`. */
export function encodeAction(action: Action): number {
  switch (action.kind) {
    case 'ALLOW':
      return SECCOMP_RET_ALLOW;
    case 'LOG':
      return SECCOMP_RET_LOG;
    case 'KILL_PROCESS':
      return SECCOMP_RET_KILL_PROCESS;
    case 'TRAP':
      return (SECCOMP_RET_TRAP | action.data) >>> 0;
    case 'ERRNO':
      return (SECCOMP_RET_ERRNO | action.errno) >>> 0;
  }
}

const ERRNO_NAMES: Readonly<Record<number, string>> = { 1: 'EPERM', 13: 'EACCES', 38: 'ENOSYS' };

/**
 * A readable name for a raw seccomp return value: `ALLOW`, `KILL_PROCESS`, `ERRNO(ENOSYS)`,
 * `TRAP(5)`, and the kernel's own names for actions a policy cannot write.
 */
export function describeReturn(value: number): string {
  const v = value >>> 0;
  const data = v & SECCOMP_RET_DATA;
  switch ((v & SECCOMP_RET_ACTION_FULL) >>> 0) {
    case SECCOMP_RET_ALLOW:
      return 'ALLOW';
    case SECCOMP_RET_LOG:
      return 'LOG';
    case SECCOMP_RET_KILL_PROCESS:
      return 'KILL_PROCESS';
    case SECCOMP_RET_KILL_THREAD:
      return 'KILL_THREAD';
    case SECCOMP_RET_TRAP:
      return `TRAP(${data})`;
    case SECCOMP_RET_ERRNO:
      return `ERRNO(${ERRNO_NAMES[data] ?? data})`;
    case SECCOMP_RET_TRACE:
      return `TRACE(${data})`;
    case SECCOMP_RET_USER_NOTIF:
      return 'USER_NOTIF';
    default:
      return `0x${v.toString(16).padStart(8, '0')}`;
  }
}

/** A readable name for a policy action, the same spelling as {@link describeReturn}. */
export function describeAction(action: Action): string {
  return describeReturn(encodeAction(action));
}
