/**
 * Turns a seccomp program back into text a person can audit: one line per instruction, jump
 * targets as absolute line numbers, `seccomp_data` fields by name, syscall numbers with their names
 * where the accumulator is known to hold the syscall number, and return values as actions. It reads
 * any valid seccomp program, not only syscage's; it never changes one.
 */

import { syscallName } from '../arch/index.ts';
import type { ArchDescriptor } from '../arch/types.ts';
import { describeReturn } from '../policy/action.ts';
import { BPF_ABS, BPF_ALU, BPF_JMP, BPF_K, BPF_LD, BPF_RET, BPF_W, decodeProgram, type SockFilter } from './opcodes.ts';

/** What the accumulator holds at an instruction, as far as a forward pass can tell. */
type Holds = string | 'unknown';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const line = (pc: number): string => String(pc).padStart(4, '0');

function fieldName(offset: number): string {
  if (offset === 0) return 'nr';
  if (offset === 4) return 'arch';
  if (offset === 8) return 'instruction_pointer.low';
  if (offset === 12) return 'instruction_pointer.high';
  const arg = (offset - 16) >> 3;
  return `args[${arg}].${offset % 8 === 0 ? 'low' : 'high'}`;
}

/** For each instruction, what A holds on entry: a field name when every path agrees. */
function trackAccumulator(program: readonly SockFilter[]): Holds[] {
  const holds: (Holds | undefined)[] = new Array(program.length).fill(undefined);
  holds[0] = 'unknown';
  const merge = (pc: number, value: Holds): void => {
    if (pc >= program.length) return;
    const seen = holds[pc];
    holds[pc] = seen === undefined || seen === value ? value : 'unknown';
  };
  program.forEach((insn, pc) => {
    const before = holds[pc] ?? 'unknown';
    const cls = insn.code & 0x07;
    if (cls === BPF_RET) return;
    if (cls === BPF_JMP) {
      if ((insn.code & 0xf0) === 0) merge(pc + 1 + insn.k, before);
      else {
        merge(pc + 1 + insn.jt, before);
        merge(pc + 1 + insn.jf, before);
      }
      return;
    }
    const after = insn.code === (BPF_LD | BPF_W | BPF_ABS) ? fieldName(insn.k) : cls === BPF_ALU ? `${before}&` : 'unknown';
    merge(pc + 1, after);
  });
  return holds.map((h) => h ?? 'unknown');
}

function operand(k: number, holds: Holds, arch: ArchDescriptor | undefined): string {
  if (arch && holds === 'nr') {
    const name = syscallName(arch.name, k);
    return name ? `${k} (${name})` : k >>> 0 < 0x10000 ? String(k) : hex(k);
  }
  if (arch && holds === 'arch' && k >>> 0 === arch.auditArch >>> 0) return arch.auditArchName;
  return hex(k);
}

const JUMP_SYMBOLS: Readonly<Record<number, string>> = { 0x10: '==', 0x20: '>', 0x30: '>=', 0x40: '&' };
const ALU_SYMBOLS: Readonly<Record<number, string>> = { 0x00: '+=', 0x10: '-=', 0x20: '*=', 0x30: '/=', 0x40: '|=', 0x50: '&=', 0x60: '<<=', 0x70: '>>=', 0x90: '%=', 0xa0: '^=' };

function render(insn: SockFilter, pc: number, holds: Holds, arch: ArchDescriptor | undefined): string {
  const { code, k } = insn;
  const cls = code & 0x07;
  const subject = holds === 'unknown' || holds.endsWith('&') ? 'A' : holds;
  if (code === (BPF_LD | BPF_W | BPF_ABS)) return `A = ${fieldName(k)}`;
  if (cls === BPF_RET) return (code & 0x18) === 0x10 ? 'return A' : `return ${describeReturn(k)}`;
  if (cls === BPF_JMP) {
    const op = code & 0xf0;
    if (op === 0) return `goto ${line(pc + 1 + k)}`;
    const rhs = (code & 0x08) === BPF_K ? operand(k, holds, arch) : 'X';
    const test = op === 0x40 ? `${subject} & ${rhs}` : `${subject} ${JUMP_SYMBOLS[op] ?? '?'} ${rhs}`;
    return `if (${test}) goto ${line(pc + 1 + insn.jt)} else goto ${line(pc + 1 + insn.jf)}`;
  }
  if (cls === BPF_ALU) return (code & 0xf0) === 0x80 ? 'A = -A' : `A ${ALU_SYMBOLS[code & 0xf0] ?? '?='} ${(code & 0x08) === BPF_K ? hex(k) : 'X'}`;
  switch (code) {
    case 0x00: return `A = ${hex(k)}`;
    case 0x01: return `X = ${hex(k)}`;
    case 0x60: return `A = mem[${k}]`;
    case 0x61: return `X = mem[${k}]`;
    case 0x02: return `mem[${k}] = A`;
    case 0x03: return `mem[${k}] = X`;
    case 0x80: return 'A = sizeof(seccomp_data)';
    case 0x81: return 'X = sizeof(seccomp_data)';
    case 0x07: return 'X = A';
    case 0x87: return 'A = X';
    default: return `.insn code=${hex(code)} jt=${insn.jt} jf=${insn.jf} k=${hex(k)}`;
  }
}

/**
 * Disassembles a filter. With `arch`, syscall numbers and the audit arch get their names.
 * @example
 * console.log(disassemble(compilePolicy(policy, 'x86_64').instructions, getArch('x86_64')));
 * // 0000  A = arch
 * // 0001  if (arch == AUDIT_ARCH_X86_64) goto 0002 else goto 0041
 */
export function disassemble(program: readonly SockFilter[] | Uint8Array, arch?: ArchDescriptor): string {
  const insns = program instanceof Uint8Array ? decodeProgram(program) : program;
  const holds = trackAccumulator(insns);
  return insns.map((insn, pc) => `${line(pc)}  ${render(insn, pc, holds[pc] ?? 'unknown', arch)}`).join('\n');
}
