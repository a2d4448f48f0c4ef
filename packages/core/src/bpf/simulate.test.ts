import { describe, expect, it } from 'vitest';
import { disassemble } from './disasm.ts';
import { encodeProgram, type SockFilter } from './opcodes.ts';
import { findProgramError, simulate } from './simulate.ts';

const insn = (code: number, k = 0, jt = 0, jf = 0): SockFilter => ({ code, jt, jf, k });

describe('simulate', () => {
  it('runs the instructions seccomp allows: loads, ALU, scratch memory, X, ret A', () => {
    const program = [
      insn(0x20, 16), // A = args[0].low
      insn(0x04, 5), // A += 5
      insn(0x02, 3), // mem[3] = A
      insn(0x01, 2), // X = 2
      insn(0x60, 3), // A = mem[3]
      insn(0x2c), // A *= X
      insn(0x54, 0xff), // A &= 0xff
      insn(0x16), // return A
    ];
    expect(simulate(program, { nr: 0, arch: 0, args: [0x1_0000_0010n] })).toEqual({ action: 42, executed: 8 });
    expect(simulate(encodeProgram(program), { nr: 0, arch: 0, args: [0x1_0000_0010n] }).action).toBe(42);
  });

  it('reads the high word of a 64-bit argument at offset + 4', () => {
    expect(simulate([insn(0x20, 28), insn(0x16)], { nr: 0, arch: 0, args: [0n, 0xabcd_0000_0001n] }).action).toBe(0xabcd);
  });

  it.each<[string, SockFilter[], string]>([
    ['an empty program', [], 'a program has 1 to 4096 instructions, not 0'],
    ['a misaligned load', [insn(0x20, 2), insn(0x06)], 'instruction 0 loads offset 2, outside seccomp_data or unaligned'],
    ['a load past seccomp_data', [insn(0x20, 64), insn(0x06)], 'instruction 0 loads offset 64, outside seccomp_data or unaligned'],
    ['a jump past the end', [insn(0x15, 0, 0, 1), insn(0x06)], 'instruction 0 jumps past the end'],
    ['a packet load seccomp forbids', [insn(0x28, 0), insn(0x06)], 'instruction 0 has code 0x28, which seccomp does not allow'],
    ['a division by zero', [insn(0x34, 0), insn(0x06)], 'instruction 0 divides by zero'],
    ['no final return', [insn(0x20, 0)], 'the last instruction is not a return'],
  ])('refuses %s, as the kernel would', (_, program, reason) => {
    expect(findProgramError(program)).toBe(reason);
    if (program.length > 0) expect(() => simulate(program, { nr: 0, arch: 0 })).toThrowError(`The kernel would refuse this filter: ${reason}.`);
  });
});

describe('disassemble', () => {
  it('names fields and actions, and prints jump targets as line numbers', () => {
    expect(disassemble([insn(0x20, 4), insn(0x15, 0xc000003e, 0, 1), insn(0x06, 0x7fff0000), insn(0x06, 0x50026)])).toBe(
      ['0000  A = arch', '0001  if (arch == 0xc000003e) goto 0002 else goto 0003', '0002  return ALLOW', '0003  return ERRNO(ENOSYS)'].join('\n'),
    );
  });
});
