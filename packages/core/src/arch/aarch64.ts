/**
 * The aarch64 descriptor: its audit arch and its generated syscall table. aarch64 uses
 * asm-generic's numbering, so it lacks the legacy calls (`open`, `mkdir`, `stat`…) that x86_64
 * still has. 32-bit ARM (compat) tasks report `AUDIT_ARCH_ARM` and fail the arch check; there is no
 * foreign ABI sharing this audit arch, so no `foreignAbiBit`.
 */
import { source, syscalls } from './tables/aarch64.gen.ts';
import type { ArchDescriptor } from './types.ts';

/** `EM_AARCH64 | __AUDIT_ARCH_64BIT | __AUDIT_ARCH_LE` from `linux/audit.h`: 183 | 0x80000000 | 0x40000000. */
export const AUDIT_ARCH_AARCH64 = 0xc00000b7;

/** aarch64 as the BPF compiler sees it. */
export const aarch64: ArchDescriptor = {
  name: 'aarch64',
  auditArch: AUDIT_ARCH_AARCH64,
  auditArchName: 'AUDIT_ARCH_AARCH64',
  syscalls,
  tableSource: source,
};
