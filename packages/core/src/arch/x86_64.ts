/**
 * The x86_64 descriptor: its audit arch and its generated syscall table. The same audit arch also
 * carries the x32 ABI (syscall numbers with `__X32_SYSCALL_BIT` set), which syscage never allows;
 * i386 (`int 0x80`) has its own audit arch and fails the arch check. Neither ABI has a table here.
 */
import { source, syscalls } from './tables/x86_64.gen.ts';
import type { ArchDescriptor } from './types.ts';

/** `EM_X86_64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE` from `linux/audit.h`: 62 | 0x80000000 | 0x40000000. */
export const AUDIT_ARCH_X86_64 = 0xc000003e;

/** `__X32_SYSCALL_BIT` from `asm/unistd.h`: set in every x32 syscall number. */
const X32_SYSCALL_BIT = 0x40000000;

/** x86_64 as the BPF compiler sees it. */
export const x86_64: ArchDescriptor = {
  name: 'x86_64',
  auditArch: AUDIT_ARCH_X86_64,
  auditArchName: 'AUDIT_ARCH_X86_64',
  foreignAbiBit: X32_SYSCALL_BIT,
  syscalls,
  tableSource: source,
};
