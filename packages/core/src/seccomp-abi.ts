/**
 * The seccomp ABI a filter is written against, spelled as in `linux/seccomp.h` so the names grep
 * against it: the `SECCOMP_RET_*` values a filter returns and the layout of `struct seccomp_data`
 * it reads. A leaf: it imports nothing, so the policy floor (which encodes actions) and the BPF
 * floor (which loads fields) both build on it without either depending on the other. Instruction
 * encodings are not here (bpf/opcodes.ts), nor the constants the catalog's conditions test
 * (catalog/constants.ts).
 */

// seccomp return values. The high 16 bits select the action, the low 16 carry its data.
/** Kill the whole process with SIGSYS: the "Bad system call" of syscage's `kill` mode. */
export const SECCOMP_RET_KILL_PROCESS = 0x80000000;
/** Kill the calling thread only. Never written by syscage: a killed libuv thread hangs Node. */
export const SECCOMP_RET_KILL_THREAD = 0x00000000;
/** Send SIGSYS to the calling thread, the data in `si_errno`. */
export const SECCOMP_RET_TRAP = 0x00030000;
/** Fail the syscall with the data as errno. */
export const SECCOMP_RET_ERRNO = 0x00050000;
/** Hand the syscall to a supervisor listening on the filter's notification fd. */
export const SECCOMP_RET_USER_NOTIF = 0x7fc00000;
/** Hand the syscall to a ptrace tracer. */
export const SECCOMP_RET_TRACE = 0x7ff00000;
/** Allow the syscall after logging it. */
export const SECCOMP_RET_LOG = 0x7ffc0000;
/** Allow the syscall. */
export const SECCOMP_RET_ALLOW = 0x7fff0000;
/** The action part of a return value. */
export const SECCOMP_RET_ACTION_FULL = 0xffff0000;
/** The data part of a return value. */
export const SECCOMP_RET_DATA = 0x0000ffff;

/** Largest errno the kernel passes through `SECCOMP_RET_ERRNO` (`MAX_ERRNO`, linux/err.h). */
export const MAX_ERRNO = 4095;

// Offsets into `struct seccomp_data`.
/** `nr`: the syscall number. */
export const SECCOMP_DATA_NR = 0;
/** `arch`: the `AUDIT_ARCH_*` value of the calling convention. */
export const SECCOMP_DATA_ARCH = 4;
/** `instruction_pointer`. */
export const SECCOMP_DATA_INSTRUCTION_POINTER = 8;
/** `args[0]`: six 64-bit arguments follow. */
export const SECCOMP_DATA_ARGS = 16;
/** `sizeof(struct seccomp_data)`. */
export const SECCOMP_DATA_SIZE = 64;
