/**
 * The one value a compiled filter cannot know at build time: the pid of the process it will
 * guard (the baseline lets a process signal itself and nothing else). Filters are compiled with
 * {@link SELF_PID} in its place; the loader binds the real pid right before installing. The
 * placeholder lies above every possible pid (pid_max ≤ 2^22), so binding touches nothing else.
 * Binding patches compiled bytes, so it lives beside them on the BPF floor; the catalog only uses
 * the placeholder. A module of its own (`@syscage/core/self-pid`) so the loader of a built program
 * can bind without loading the compiler.
 */

import { SyscageError } from '../errors.ts';
import { BPF_JEQ, BPF_JMP, BPF_K, SOCK_FILTER_SIZE } from './opcodes.ts';

/**
 * Stands for the sandboxed process's pid in compiled filters. Above any pid_max (2^22), so no
 * real argument condition uses it by accident.
 */
export const SELF_PID = 0x5e1f_9d1d;

const PID_MAX_LIMIT = 4_194_304;

/** A copy of `filter` whose self-pid comparisons test `pid`. */
export function bindSelfPid(filter: Uint8Array, pid: number): Uint8Array {
  if (!Number.isInteger(pid) || pid < 1 || pid > PID_MAX_LIMIT) {
    throw new SyscageError({ code: 'INVALID_FILTER', message: `${pid} is not a process id.`, hint: 'Pass process.pid.' });
  }
  const bound = filter.slice();
  const view = new DataView(bound.buffer, bound.byteOffset, bound.byteLength);
  for (let at = 0; at + SOCK_FILTER_SIZE <= bound.length; at += SOCK_FILTER_SIZE) {
    if (view.getUint16(at, true) === (BPF_JMP | BPF_JEQ | BPF_K) && view.getUint32(at + 4, true) === SELF_PID) view.setUint32(at + 4, pid, true);
  }
  return bound;
}
