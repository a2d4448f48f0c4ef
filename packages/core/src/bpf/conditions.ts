/**
 * Argument checks in BPF. BPF words are 32 bits and arguments 64, so a 64-bit condition compares
 * the high word and then the low word; a 32-bit (`int`) condition first proves the high word is 0
 * or the sign extension of the low word (anything else goes to `kill`: the kernel would silently
 * ignore those bits, which is how the TIOCSTI filter bypasses worked) and then compares the low
 * word. Everything here is built bottom-up for the assembler: targets before the tests that reach
 * them.
 */

import type { Condition } from '../policy/types.ts';
import type { Assembler, Label } from './assembler.ts';
import { argHighOffset, argLowOffset } from './opcodes.ts';

const WORD = 0xffffffffn;
const high = (v: bigint): number => Number((v >> 32n) & WORD);
const low = (v: bigint): number => Number(v & WORD);

/** All of `conditions` hold → `pass`; one fails → `fail`; an invalid int argument → `kill`. */
export function compileConditions(asm: Assembler, conditions: readonly Condition[], pass: Label, fail: Label, kill: Label): Label {
  let next = pass;
  for (let i = conditions.length - 1; i >= 0; i--) {
    const condition = conditions[i];
    if (condition !== undefined) next = compileCondition(asm, condition, next, fail, kill);
  }
  return next;
}

function compileCondition(asm: Assembler, c: Condition, pass: Label, fail: Label, kill: Label): Label {
  if (c.width === 64) return compileWide(asm, c, pass, fail);
  // A already holds the low word when `compare` starts.
  const compare = compareWord(asm, c, low, pass, fail);
  const lowWord = argLowOffset(c.arg);
  const zeroExtended = asm.load(lowWord, compare);
  const signExtended = asm.load(lowWord, asm.jump('jset', 0x80000000, compare, kill));
  return asm.load(argHighOffset(c.arg), asm.jump('jeq', 0, zeroExtended, asm.jump('jeq', 0xffffffff, signExtended, kill)));
}

/** A test of the word in A against the word `word(value)` of the condition's operands. */
function compareWord(asm: Assembler, c: Condition, word: (v: bigint) => number, pass: Label, fail: Label): Label {
  switch (c.op) {
    case 'eq':
      return asm.jump('jeq', word(c.value), pass, fail);
    case 'ne':
      return asm.jump('jeq', word(c.value), fail, pass);
    case 'gt':
      return asm.jump('jgt', word(c.value), pass, fail);
    case 'ge':
      return asm.jump('jge', word(c.value), pass, fail);
    case 'lt':
      return asm.jump('jge', word(c.value), fail, pass);
    case 'le':
      return asm.jump('jgt', word(c.value), fail, pass);
    case 'masked_eq':
      return masked(asm, word(c.mask), word(c.value), pass, fail);
    case 'flags_set':
      return masked(asm, word(c.flags), word(c.flags), pass, fail);
    case 'flags_clear':
      return word(c.flags) === 0 ? pass : asm.jump('jset', word(c.flags), fail, pass);
    case 'in': {
      let next = fail;
      const words = [...new Set(c.values.map(word))];
      for (let i = words.length - 1; i >= 0; i--) next = asm.jump('jeq', words[i] ?? 0, pass, next);
      return next;
    }
  }
}

/** `(A & mask) == value`, with the AND left out when the mask is all ones. */
function masked(asm: Assembler, mask: number, value: number, pass: Label, fail: Label): Label {
  if (mask === 0) return pass;
  const test = asm.jump('jeq', value, pass, fail);
  return mask === 0xffffffff ? test : asm.and(mask, test);
}

/** The low-word test of a 64-bit range when its outcome does not depend on the low word. */
function constantLowTest(op: 'gt' | 'ge' | 'lt' | 'le', value: number, pass: Label, fail: Label): Label | undefined {
  if (value === 0 && (op === 'ge' || op === 'lt')) return op === 'ge' ? pass : fail;
  if (value === 0xffffffff && (op === 'gt' || op === 'le')) return op === 'le' ? pass : fail;
  return undefined;
}

/** A 64-bit condition: high word first, low word only when the high word does not decide. */
function compileWide(asm: Assembler, c: Condition, pass: Label, fail: Label): Label {
  const hiWord = argHighOffset(c.arg);
  const loWord = argLowOffset(c.arg);
  const atLow = (test: Label): Label => asm.load(loWord, test);
  switch (c.op) {
    case 'eq':
    case 'ne': {
      const [match, miss] = c.op === 'eq' ? [pass, fail] : [fail, pass];
      const lowTest = atLow(asm.jump('jeq', low(c.value), match, miss));
      return asm.load(hiWord, asm.jump('jeq', high(c.value), lowTest, miss));
    }
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le': {
      // Greater-side (gt/ge): high word above → pass; equal → decide on the low word; below → fail.
      const above = c.op === 'gt' || c.op === 'ge' ? pass : fail;
      const below = above === pass ? fail : pass;
      const lowTest = constantLowTest(c.op, low(c.value), pass, fail) ?? atLow(compareWord(asm, c, low, pass, fail));
      const hi = high(c.value);
      return asm.load(hiWord, asm.jump('jgt', hi, above, asm.jump('jeq', hi, lowTest, below)));
    }
    case 'masked_eq':
    case 'flags_set':
    case 'flags_clear': {
      const lowPart = low(c.op === 'masked_eq' ? c.mask : c.flags) === 0 ? pass : atLow(compareWord(asm, c, low, pass, fail));
      const highMask = high(c.op === 'masked_eq' ? c.mask : c.flags);
      return highMask === 0 ? lowPart : asm.load(hiWord, compareWord(asm, c, high, lowPart, fail));
    }
    case 'in': {
      const byHigh = new Map<number, number[]>();
      for (const v of c.values) byHigh.set(high(v), [...(byHigh.get(high(v)) ?? []), low(v)]);
      let next = fail;
      for (const [hi, lows] of [...byHigh].reverse()) {
        let lowTest = fail;
        for (let i = lows.length - 1; i >= 0; i--) lowTest = asm.jump('jeq', lows[i] ?? 0, pass, lowTest);
        next = asm.jump('jeq', hi, atLow(lowTest), next);
      }
      return asm.load(hiWord, next);
    }
  }
}
