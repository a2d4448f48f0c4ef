/**
 * What the compiler needs to know about one architecture. Adding an architecture means adding one
 * descriptor file and one generated table; nothing else changes.
 */

/** Architecture names, spelled as the kernel spells them. */
export type ArchName = 'x86_64' | 'aarch64';

/** A generated syscall table: syscall name → number on one architecture. */
export type SyscallTable = Readonly<Record<string, number>>;

/** One architecture as the BPF compiler sees it. */
export interface ArchDescriptor {
  readonly name: ArchName;
  /** The `AUDIT_ARCH_*` value the kernel puts in `seccomp_data.arch`. */
  readonly auditArch: number;
  /** The kernel's name for `auditArch`, for disassembly. */
  readonly auditArchName: string;
  /**
   * Syscall numbers at or above this value are another ABI sharing the audit arch (x86_64's x32,
   * `__X32_SYSCALL_BIT`); the filter kills them. Absent when the architecture has no such ABI.
   */
  readonly foreignAbiBit?: number;
  /** Every syscall this architecture's uapi headers define. */
  readonly syscalls: SyscallTable;
  /** Where the table came from, for messages and generated files. */
  readonly tableSource: string;
}
