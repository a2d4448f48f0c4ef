/**
 * The assembler: builds a classic-BPF program from the end backwards, so every jump target
 * already exists when a jump to it is made (forward jumps only, as BPF requires). It knows
 * instructions and jumps, not policy. It merges identical instructions (same code, operand and
 * targets become one), makes fall-through explicit with `BPF_JA` where needed, and routes a
 * conditional jump farther than 255 instructions through a `BPF_JA` trampoline. A program over
 * `BPF_MAXINSNS` is an error, never a truncated filter.
 */

import { SyscageError } from '../errors.ts';
import {
  BPF_ABS,
  BPF_ALU,
  BPF_JA,
  BPF_JMP,
  BPF_K,
  BPF_LD,
  BPF_MAXINSNS,
  BPF_MAX_COND_JUMP,
  BPF_RET,
  BPF_W,
  type SockFilter,
} from './opcodes.ts';

/** A position in the program under construction. Only valid for the assembler that made it. */
export type Label = number & { readonly __label: unique symbol };

/** Conditional jump operations with a constant operand. */
export type JumpOp = 'jeq' | 'jge' | 'jgt' | 'jset';

const JUMP_CODES: Readonly<Record<JumpOp, number>> = { jeq: 0x10, jgt: 0x20, jge: 0x30, jset: 0x40 };

/**
 * Builds a program bottom-up: make the targets first, then the instructions that reach them.
 * @example
 * const asm = new Assembler();
 * const allow = asm.ret(SECCOMP_RET_ALLOW);
 * const kill = asm.ret(SECCOMP_RET_KILL_PROCESS);
 * const program = asm.finish(asm.load(SECCOMP_DATA_NR, asm.jump('jeq', 39, kill, allow)));
 */
export class Assembler {
  /** The program reversed: index 0 is the last instruction. A Label is an index here. */
  readonly #reversed: SockFilter[] = [];
  readonly #known = new Map<string, Label>();

  /** `ret #k`. */
  ret(k: number): Label {
    return this.#emit({ code: BPF_RET | BPF_K, jt: 0, jf: 0, k: k >>> 0 }, 'ret');
  }

  /** `ld [offset]` (32-bit word of seccomp_data), then continue at `next`. */
  load(offset: number, next: Label): Label {
    return this.#emit({ code: BPF_LD | BPF_W | BPF_ABS, jt: 0, jf: 0, k: offset }, `next${next}`, next);
  }

  /** `A &= mask`, then continue at `next`. */
  and(mask: number, next: Label): Label {
    return this.#emit({ code: BPF_ALU | 0x50 | BPF_K, jt: 0, jf: 0, k: mask >>> 0 }, `next${next}`, next);
  }

  /** `if (A op k) goto ifTrue else goto ifFalse`. A test whose two targets agree is left out. */
  jump(op: JumpOp, k: number, ifTrue: Label, ifFalse: Label): Label {
    if (ifTrue === ifFalse) return ifTrue;
    let jt = ifTrue;
    let jf = ifFalse;
    // A trampoline placed for one branch lengthens the other by one: check until both fit.
    while (this.#distance(jt) > BPF_MAX_COND_JUMP || this.#distance(jf) > BPF_MAX_COND_JUMP) {
      if (this.#distance(jt) > BPF_MAX_COND_JUMP) jt = this.#always(jt);
      else jf = this.#always(jf);
    }
    const code = BPF_JMP | JUMP_CODES[op] | BPF_K;
    const key = `${code}/${k >>> 0}/${jt}/${jf}`;
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    return this.#push({ code, jt: this.#distance(jt), jf: this.#distance(jf), k: k >>> 0 }, key);
  }

  /** The finished program, starting at `entry`. */
  finish(entry: Label): SockFilter[] {
    if (entry !== this.#reversed.length - 1) this.#fallInto(entry);
    if (this.#reversed.length > BPF_MAXINSNS) {
      throw new SyscageError({
        code: 'FILTER_TOO_LARGE',
        message: `The filter needs ${this.#reversed.length} BPF instructions; the kernel accepts at most ${BPF_MAXINSNS}.`,
        hint: 'Declare fewer capabilities, or fewer argument conditions, in this sandbox.',
      });
    }
    return [...this.#reversed].reverse();
  }

  /** Instructions emitted so far. */
  get size(): number {
    return this.#reversed.length;
  }

  /** How far a jump placed next would travel to reach `target`. */
  #distance(target: Label): number {
    return this.#reversed.length - target - 1;
  }

  /** `ja target`: an unconditional jump, merged with any other to the same place. */
  #always(target: Label): Label {
    if (target === this.#reversed.length - 1) return target;
    const key = `ja/${target}`;
    return this.#known.get(key) ?? this.#push({ code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: this.#distance(target) }, key);
  }

  /** Emits a non-jump instruction; `next` (when given) must follow it, via `ja` if not adjacent. */
  #emit(insn: SockFilter, suffix: string, next?: Label): Label {
    const key = `${insn.code}/${insn.k}/${suffix}`;
    const known = this.#known.get(key);
    if (known !== undefined) return known;
    if (next !== undefined && next !== this.#reversed.length - 1) this.#fallInto(next);
    return this.#push(insn, key);
  }

  /**
   * Makes the next instruction placed continue at `target`: a fresh `ja` right here. A merged `ja`
   * elsewhere would not do, since execution falls into whatever was emitted last.
   */
  #fallInto(target: Label): void {
    const label = this.#push({ code: BPF_JMP | BPF_JA, jt: 0, jf: 0, k: this.#distance(target) }, `ja/${target}`);
    this.#known.set(`ja/${target}`, label);
  }

  #push(insn: SockFilter, key: string): Label {
    this.#reversed.push(insn);
    const label = (this.#reversed.length - 1) as Label;
    this.#known.set(key, label);
    return label;
  }
}
