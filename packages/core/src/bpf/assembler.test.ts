import { describe, expect, it } from 'vitest';
import { Assembler } from './assembler.ts';
import { BPF_JA, BPF_JMP, encodeProgram } from './opcodes.ts';
import { SECCOMP_DATA_NR, SECCOMP_RET_ALLOW, SECCOMP_RET_KILL_PROCESS } from '../seccomp-abi.ts';
import { simulate } from './simulate.ts';

/** A `jeq` whose true branch is `gap` instructions away: `gap` distinct `ret`s stand between them. */
function farJump(gap: number) {
  const asm = new Assembler();
  const target = asm.ret(SECCOMP_RET_ALLOW);
  let filler = target;
  for (let i = 1; i <= gap; i++) filler = asm.ret(i);
  return asm.finish(asm.load(SECCOMP_DATA_NR, asm.jump('jeq', 7, target, filler)));
}

describe('Assembler', () => {
  it.each([254, 255, 256, 300])('reaches a target %i instructions away, through a JA trampoline only past 255', (gap) => {
    const program = farJump(gap);
    const jump = program[1];
    const trampolined = gap > 255;
    const jt = jump?.jt ?? -1;
    const landing = program[2 + jt];
    expect(landing?.code === (BPF_JMP | BPF_JA)).toBe(trampolined);
    expect(jt).toBeLessThanOrEqual(255);
    expect(simulate(program, { nr: 7, arch: 0 }).action).toBe(SECCOMP_RET_ALLOW);
    expect(simulate(program, { nr: 8, arch: 0 }).action).toBe(gap);
    expect(program).toHaveLength(gap + (trampolined ? 4 : 3));
  });

  it('keeps the true branch in reach when the false branch needs a trampoline (regression)', () => {
    // jt lands exactly 255 away; jf is farther and gets a JA, which pushes jt to 256 unless
    // jt gets one too. The 8-bit field would then wrap to 0 in the encoded bytes.
    const asm = new Assembler();
    const far = asm.ret(SECCOMP_RET_KILL_PROCESS);
    for (let i = 1; i <= 10; i++) asm.ret(i);
    const target = asm.ret(SECCOMP_RET_ALLOW);
    for (let i = 11; i < 11 + 255; i++) asm.ret(i);
    const program = asm.finish(asm.load(SECCOMP_DATA_NR, asm.jump('jeq', 7, target, far)));
    const bytes = encodeProgram(program);
    expect(simulate(bytes, { nr: 7, arch: 0 }).action).toBe(SECCOMP_RET_ALLOW);
    expect(simulate(bytes, { nr: 8, arch: 0 }).action).toBe(SECCOMP_RET_KILL_PROCESS);
  });

  it('merges identical instructions and leaves out a test whose targets agree', () => {
    const asm = new Assembler();
    const kill = asm.ret(SECCOMP_RET_KILL_PROCESS);
    expect(asm.ret(SECCOMP_RET_KILL_PROCESS)).toBe(kill);
    expect(asm.jump('jeq', 3, kill, kill)).toBe(kill);
    const allow = asm.ret(SECCOMP_RET_ALLOW);
    expect(asm.jump('jge', 3, allow, kill)).toBe(asm.jump('jge', 3, allow, kill));
    expect(asm.size).toBe(3);
  });

  it('makes fall-through explicit when the next instruction is elsewhere', () => {
    const asm = new Assembler();
    const allow = asm.ret(SECCOMP_RET_ALLOW);
    asm.ret(SECCOMP_RET_KILL_PROCESS);
    const program = asm.finish(asm.load(SECCOMP_DATA_NR, allow));
    expect(program.map((i) => i.code)).toEqual([0x20, BPF_JMP | BPF_JA, 0x06, 0x06]);
    expect(simulate(program, { nr: 0, arch: 0 }).action).toBe(SECCOMP_RET_ALLOW);
  });
});
