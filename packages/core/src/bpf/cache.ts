/**
 * Which syscalls the kernel's constant-action cache (Linux ≥ 5.11, `seccomp_cache_prepare`) will
 * let through without running the filter. The kernel emulates the filter once per native syscall
 * number knowing only `nr` and `arch`, accepting only `ld [nr]`, `ld [arch]`, constant
 * `jeq/jge/jgt/jset`, `ja`, `and #k` and `ret #k`; a path that reaches `ret ALLOW` that way marks the
 * number as always allowed. This module replays that emulation; it does not decide policy.
 */

import type { ArchDescriptor } from '../arch/types.ts';
import { SECCOMP_DATA_ARCH, SECCOMP_DATA_NR, SECCOMP_RET_ALLOW } from '../seccomp-abi.ts';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_AND,
  BPF_JA,
  BPF_JEQ,
  BPF_JGE,
  BPF_JGT,
  BPF_JMP,
  BPF_JSET,
  BPF_K,
  BPF_LD,
  BPF_RET,
  BPF_W,
  type SockFilter,
} from './opcodes.ts';

/**
 * True when the kernel's emulation proves `nr` is always allowed on `auditArch` (a replica of
 * `seccomp_is_const_allow`).
 */
export function isConstAllow(program: readonly SockFilter[], auditArch: number, nr: number): boolean {
  let a = 0;
  for (let pc = 0; pc < program.length; pc++) {
    const insn = program[pc] as SockFilter;
    switch (insn.code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (insn.k === SECCOMP_DATA_NR) a = nr >>> 0;
        else if (insn.k === SECCOMP_DATA_ARCH) a = auditArch >>> 0;
        else return false;
        break;
      case BPF_RET | BPF_K:
        return insn.k >>> 0 === SECCOMP_RET_ALLOW;
      case BPF_JMP | BPF_JA:
        pc += insn.k;
        break;
      case BPF_JMP | BPF_JEQ | BPF_K:
      case BPF_JMP | BPF_JGE | BPF_K:
      case BPF_JMP | BPF_JGT | BPF_K:
      case BPF_JMP | BPF_JSET | BPF_K: {
        const k = insn.k >>> 0;
        const op = insn.code & 0xf0;
        const taken = op === BPF_JEQ ? a === k : op === BPF_JGE ? a >= k : op === BPF_JGT ? a > k : (a & k) !== 0;
        pc += taken ? insn.jt : insn.jf;
        break;
      }
      case BPF_ALU | BPF_AND | BPF_K:
        a = (a & insn.k) >>> 0;
        break;
      default:
        return false;
    }
  }
  return false;
}

/** The cache verdict for every syscall of an architecture's table. */
export interface CacheReport {
  /** Syscall names the kernel will allow without running BPF. */
  readonly cached: readonly string[];
  /** Syscall names that run the filter on every call. */
  readonly uncached: readonly string[];
}

/** Replays the kernel's cache preparation for every syscall in `arch`'s table. */
export function analyzeCache(program: readonly SockFilter[], arch: ArchDescriptor): CacheReport {
  const cached: string[] = [];
  const uncached: string[] = [];
  for (const [name, nr] of Object.entries(arch.syscalls).sort((x, y) => x[1] - y[1])) {
    (isConstAllow(program, arch.auditArch, nr) ? cached : uncached).push(name);
  }
  return { cached, uncached };
}
