/**
 * Classic-BPF constants, spelled as in the kernel's uapi headers (`linux/filter.h`,
 * `linux/bpf_common.h`) so they grep against them, the `sock_filter` instruction type and its
 * 8-byte little-endian encoding, and where an argument lies in `struct seccomp_data`. No policy
 * knowledge lives here; the seccomp ABI itself (return values, `seccomp_data` offsets) is the leaf
 * module seccomp-abi.ts.
 */

import { SyscageError } from '../errors.ts';
import { SECCOMP_DATA_ARGS } from '../seccomp-abi.ts';

/** One classic-BPF instruction, `struct sock_filter`. */
export interface SockFilter {
  readonly code: number;
  readonly jt: number;
  readonly jf: number;
  readonly k: number;
}

// Instruction classes.
export const BPF_LD = 0x00;
export const BPF_LDX = 0x01;
export const BPF_ST = 0x02;
export const BPF_STX = 0x03;
export const BPF_ALU = 0x04;
export const BPF_JMP = 0x05;
export const BPF_RET = 0x06;
export const BPF_MISC = 0x07;

// Sizes and modes (loads).
export const BPF_W = 0x00;
export const BPF_H = 0x08;
export const BPF_B = 0x10;
export const BPF_IMM = 0x00;
export const BPF_ABS = 0x20;
export const BPF_IND = 0x40;
export const BPF_MEM = 0x60;
export const BPF_LEN = 0x80;
export const BPF_MSH = 0xa0;

// ALU and jump operations.
export const BPF_ADD = 0x00;
export const BPF_SUB = 0x10;
export const BPF_MUL = 0x20;
export const BPF_DIV = 0x30;
export const BPF_OR = 0x40;
export const BPF_AND = 0x50;
export const BPF_LSH = 0x60;
export const BPF_RSH = 0x70;
export const BPF_NEG = 0x80;
export const BPF_MOD = 0x90;
export const BPF_XOR = 0xa0;
export const BPF_JA = 0x00;
export const BPF_JEQ = 0x10;
export const BPF_JGT = 0x20;
export const BPF_JGE = 0x30;
export const BPF_JSET = 0x40;

// Operand source.
export const BPF_K = 0x00;
export const BPF_X = 0x08;
export const BPF_A = 0x10;

// Misc.
export const BPF_TAX = 0x00;
export const BPF_TXA = 0x80;

/** Largest program the kernel accepts (`BPF_MAXINSNS`). */
export const BPF_MAXINSNS = 4096;
/** Scratch memory slots (`BPF_MEMWORDS`). */
export const BPF_MEMWORDS = 16;
/** Farthest a conditional jump reaches: `jt`/`jf` are 8-bit. */
export const BPF_MAX_COND_JUMP = 255;

/** Offset of the low 32-bit word of argument `index` (both supported arches are little-endian). */
export function argLowOffset(index: number): number {
  return SECCOMP_DATA_ARGS + 8 * index;
}

/** Offset of the high 32-bit word of argument `index`. */
export function argHighOffset(index: number): number {
  return SECCOMP_DATA_ARGS + 8 * index + 4;
}

/** Size in bytes of one encoded `struct sock_filter`. */
export const SOCK_FILTER_SIZE = 8;

/** Encodes instructions as `struct sock_filter[]` bytes, little-endian. */
export function encodeProgram(program: readonly SockFilter[]): Uint8Array {
  const bytes = new Uint8Array(program.length * SOCK_FILTER_SIZE);
  const view = new DataView(bytes.buffer);
  program.forEach((insn, i) => {
    const at = i * SOCK_FILTER_SIZE;
    view.setUint16(at, insn.code, true);
    view.setUint8(at + 2, insn.jt);
    view.setUint8(at + 3, insn.jf);
    view.setUint32(at + 4, insn.k >>> 0, true);
  });
  return bytes;
}

/** Decodes `struct sock_filter[]` bytes. The length must be a multiple of 8. */
export function decodeProgram(bytes: Uint8Array): SockFilter[] {
  if (bytes.length % SOCK_FILTER_SIZE !== 0) {
    throw new SyscageError({
      code: 'INVALID_FILTER',
      message: `A filter is a whole number of 8-byte instructions; these bytes are ${bytes.length} long.`,
      hint: 'Pass the exact bytes compilePolicy() produced (a struct sock_filter array).',
    });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const program: SockFilter[] = [];
  for (let at = 0; at < bytes.length; at += SOCK_FILTER_SIZE) {
    program.push({
      code: view.getUint16(at, true),
      jt: view.getUint8(at + 2),
      jf: view.getUint8(at + 3),
      k: view.getUint32(at + 4, true),
    });
  }
  return program;
}
