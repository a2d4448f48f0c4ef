/**
 * A classic-BPF interpreter for seccomp programs: what the kernel would return for one
 * `seccomp_data`, and how many instructions it ran to get there. It accepts exactly the
 * instruction set the kernel accepts for seccomp (`seccomp_check_filter`) and checks a program the
 * way the kernel does before running it (`validateProgram`), so a program the simulator refuses is
 * one the kernel would refuse too.
 */

import { SyscageError } from '../errors.ts';
import type { SeccompData } from '../policy/evaluate.ts';
import { SECCOMP_DATA_SIZE } from '../seccomp-abi.ts';
import {
  BPF_A,
  BPF_ABS,
  BPF_ALU,
  BPF_IMM,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_LDX,
  BPF_LEN,
  BPF_MAXINSNS,
  BPF_MEM,
  BPF_MEMWORDS,
  BPF_MISC,
  BPF_RET,
  BPF_ST,
  BPF_STX,
  BPF_W,
  BPF_X,
  decodeProgram,
  type SockFilter,
} from './opcodes.ts';

/** The result of running a program. */
export interface SimulationResult {
  /** The raw 32-bit value returned (`SECCOMP_RET_*` | data). */
  readonly action: number;
  /** Instructions executed, the `ret` included. */
  readonly executed: number;
}

const cls = (code: number): number => code & 0x07;
const op = (code: number): number => code & 0xf0;
const src = (code: number): number => code & 0x08;

/** Why the kernel would refuse `program`, or undefined when it would accept it. */
export function findProgramError(program: readonly SockFilter[]): string | undefined {
  if (program.length === 0 || program.length > BPF_MAXINSNS) return `a program has 1 to ${BPF_MAXINSNS} instructions, not ${program.length}`;
  for (const [pc, insn] of program.entries()) {
    const { code, k } = insn;
    const where = `instruction ${pc}`;
    const fits = (value: number, bits: number) => Number.isInteger(value) && value >= 0 && value < 2 ** bits;
    if (!fits(code, 16) || !fits(insn.jt, 8) || !fits(insn.jf, 8) || !fits(k >>> 0, 32) || !Number.isInteger(k)) return `${where} has a field outside struct sock_filter (code 16 bits, jt/jf 8 bits, k 32 bits)`;
    switch (code) {
      case BPF_LD | BPF_W | BPF_ABS:
        if (k % 4 !== 0 || k >= SECCOMP_DATA_SIZE) return `${where} loads offset ${k}, outside seccomp_data or unaligned`;
        break;
      case BPF_LD | BPF_W | BPF_LEN:
      case BPF_LDX | BPF_W | BPF_LEN:
      case BPF_LD | BPF_IMM:
      case BPF_LDX | BPF_W | BPF_IMM:
      case BPF_RET | BPF_K:
      case BPF_RET | BPF_A:
      case BPF_MISC | 0x00:
      case BPF_MISC | 0x80:
        break;
      case BPF_LD | BPF_MEM:
      case BPF_LDX | BPF_W | BPF_MEM:
      case BPF_ST:
      case BPF_STX:
        if (k >= BPF_MEMWORDS) return `${where} uses scratch slot ${k} of ${BPF_MEMWORDS}`;
        break;
      default:
        if (cls(code) === BPF_ALU) {
          const o = op(code);
          if (o > 0xa0 || (code & 0x07) !== BPF_ALU || (o === 0x80 && src(code) !== 0)) return `${where} has an unknown ALU code 0x${code.toString(16)}`;
          if ((o === 0x30 || o === 0x90) && src(code) === BPF_K && k === 0) return `${where} divides by zero`;
          if ((o === 0x60 || o === 0x70) && src(code) === BPF_K && k >= 32) return `${where} shifts by ${k}`;
          break;
        }
        if (cls(code) === BPF_JMP) {
          const o = op(code);
          if (o === 0x00 && src(code) === BPF_K) {
            if (pc + 1 + k >= program.length) return `${where} jumps past the end`;
            break;
          }
          if (o < 0x10 || o > 0x40) return `${where} has an unknown jump code 0x${code.toString(16)}`;
          if (pc + 1 + Math.max(insn.jt, insn.jf) >= program.length) return `${where} jumps past the end`;
          break;
        }
        return `${where} has code 0x${code.toString(16)}, which seccomp does not allow`;
    }
  }
  const last = program[program.length - 1];
  if (last === undefined || cls(last.code) !== BPF_RET) return 'the last instruction is not a return';
  return undefined;
}

/** Throws `INVALID_FILTER` when the kernel would refuse `program`. */
export function validateProgram(program: readonly SockFilter[]): void {
  const problem = findProgramError(program);
  if (problem) {
    throw new SyscageError({ code: 'INVALID_FILTER', message: `The kernel would refuse this filter: ${problem}.`, hint: 'Rebuild it with compilePolicy(); never edit filter bytes by hand.' });
  }
}

function loadWord(data: SeccompData, offset: number): number {
  switch (offset) {
    case 0:
      return data.nr >>> 0;
    case 4:
      return data.arch >>> 0;
    default: {
      const value = offset < 16 ? (data.instructionPointer ?? 0n) : (data.args?.[(offset - 16) >> 3] ?? 0n);
      const word = offset % 8 === 0 ? value : value >> 32n;
      return Number(BigInt.asUintN(32, word));
    }
  }
}

function alu(operation: number, a: number, operand: number): number {
  switch (operation) {
    case 0x00: return (a + operand) >>> 0;
    case 0x10: return (a - operand) >>> 0;
    case 0x20: return Math.imul(a, operand) >>> 0;
    case 0x30: return operand === 0 ? 0 : Math.floor(a / operand) >>> 0;
    case 0x40: return (a | operand) >>> 0;
    case 0x50: return (a & operand) >>> 0;
    case 0x60: return operand >= 32 ? 0 : (a << operand) >>> 0;
    case 0x70: return operand >= 32 ? 0 : a >>> operand;
    case 0x80: return -a >>> 0;
    case 0x90: return operand === 0 ? 0 : (a % operand) >>> 0;
    default: return (a ^ operand) >>> 0;
  }
}

function condition(operation: number, a: number, operand: number): boolean {
  switch (operation) {
    case 0x10: return a === operand;
    case 0x20: return a > operand;
    case 0x30: return a >= operand;
    default: return (a & operand) !== 0;
  }
}

/**
 * Runs `program` on `data` as the kernel would.
 * @throws {SyscageError} `INVALID_FILTER` for a program the kernel would refuse.
 */
export function simulate(program: readonly SockFilter[] | Uint8Array, data: SeccompData): SimulationResult {
  const insns = program instanceof Uint8Array ? decodeProgram(program) : program;
  validateProgram(insns);
  let a = 0;
  let x = 0;
  const mem = new Array<number>(BPF_MEMWORDS).fill(0);
  let executed = 0;
  for (let pc = 0; pc < insns.length; pc++) {
    const insn = insns[pc] as SockFilter;
    const { code } = insn;
    const k = insn.k >>> 0;
    executed++;
    switch (cls(code)) {
      case BPF_LD:
        a = (code & 0xe0) === BPF_ABS ? loadWord(data, k) : (code & 0xe0) === BPF_LEN ? SECCOMP_DATA_SIZE : (code & 0xe0) === BPF_MEM ? (mem[k] ?? 0) : k;
        break;
      case BPF_LDX:
        x = (code & 0xe0) === BPF_LEN ? SECCOMP_DATA_SIZE : (code & 0xe0) === BPF_MEM ? (mem[k] ?? 0) : k;
        break;
      case BPF_ST:
        mem[k] = a;
        break;
      case BPF_STX:
        mem[k] = x;
        break;
      case BPF_ALU:
        a = alu(op(code), a, src(code) === BPF_X ? x : k);
        break;
      case BPF_JMP:
        if (op(code) === 0x00) pc += k;
        else pc += condition(op(code), a, src(code) === BPF_X ? x : k) ? insn.jt : insn.jf;
        break;
      case BPF_RET:
        return { action: ((code & 0x18) === BPF_A ? a : k) >>> 0, executed };
      default:
        if ((code & 0xf8) === 0x80) a = x;
        else x = a;
    }
  }
  throw new Error('simulate: fell off the end of a validated program');
}
