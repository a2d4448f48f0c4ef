/**
 * The policy compiler: a validated Policy and an architecture in, `struct sock_filter[]` out. It
 * knows policy, not jump encoding (that is the assembler's). Layout, top to bottom:
 *
 *   ld arch; jeq AUDIT_ARCH ? go : KILL_PROCESS      (i386 `int 0x80` and other ABIs die here)
 *   ld nr;   jge foreignAbiBit ? KILL_PROCESS : go   (x86_64 only: x32 numbers)
 *   binary search over ranges of numbers that share one constant answer
 *   leaves: `ret` for constant answers, argument checks for conditioned syscalls
 *
 * Only `ld arch`, `ld nr`, constant jumps and `ret` stand between the entry and every constant
 * leaf, so the kernel's constant-action cache (Linux ≥ 5.11) proves ALLOW for each syscall that
 * has no condition and such syscalls run no BPF at all. Argument loads live only in leaves. The
 * output is a pure function of (policy, arch, layout): same input, same bytes.
 */

import { getArch } from '../arch/index.ts';
import type { ArchDescriptor, ArchName } from '../arch/types.ts';
import { ENOSYS, ERRNO, KILL_PROCESS, encodeAction, type Action } from '../policy/action.ts';
import type { Policy, Rule } from '../policy/types.ts';
import { SECCOMP_DATA_ARCH, SECCOMP_DATA_NR } from '../seccomp-abi.ts';
import { Assembler, type Label } from './assembler.ts';
import { compileConditions } from './conditions.ts';
import { encodeProgram, type SockFilter } from './opcodes.ts';

/** How the syscall-number dispatch is laid out. */
export type Layout = 'tree' | 'linear';

/** Compiler options. */
export interface CompileOptions {
  /**
   * `tree` (default): binary search over number ranges, about log2(ranges) jumps per syscall.
   * `linear`: one test per range in number order, like a hand-written filter; for comparison only.
   */
  readonly layout?: Layout;
}

/** A compiled filter for one architecture. */
export interface CompiledFilter {
  readonly arch: ArchName;
  readonly instructions: readonly SockFilter[];
  /** `instructions` as the kernel reads them: 8 bytes each, little-endian. */
  readonly bytes: Uint8Array;
}

/** What a range of syscall numbers gets: a constant answer, or the rules of one syscall. */
type Leaf = { readonly action: Action } | { readonly syscall: string; readonly rules: readonly Rule[] };

/** Consecutive syscall numbers [lo, hi] that share a leaf. */
interface Segment {
  readonly lo: number;
  readonly hi: number;
  readonly leaf: Leaf;
}

/**
 * Compiles `policy` for `arch`.
 * @throws {SyscageError} `UNSUPPORTED_ARCH`, or `FILTER_TOO_LARGE` past 4096 instructions.
 * @example
 * const { bytes } = compilePolicy(createPolicy({ defaultAction: KILL_PROCESS, rules: [{ syscall: 'read', action: ALLOW }] }), 'x86_64');
 */
export function compilePolicy(policy: Policy, arch: ArchName, options: CompileOptions = {}): CompiledFilter {
  const descriptor = getArch(arch);
  const asm = new Assembler();
  const kill = asm.ret(encodeAction(KILL_PROCESS));
  const segments = segmentNumbers(policy, descriptor);
  const leaves = new Map<Leaf, Label>();
  const leafLabel = (leaf: Leaf): Label => {
    let label = leaves.get(leaf);
    if (label === undefined) {
      label = 'action' in leaf ? asm.ret(encodeAction(leaf.action)) : compileRules(asm, leaf.rules, policy.defaultAction, kill);
      leaves.set(leaf, label);
    }
    return label;
  };
  let dispatch =
    options.layout === 'linear' ? dispatchLinear(asm, segments, leafLabel) : dispatchTree(asm, segments, 0, segments.length - 1, leafLabel);
  if (descriptor.foreignAbiBit !== undefined) dispatch = asm.jump('jge', descriptor.foreignAbiBit, kill, dispatch);
  const entry = asm.load(SECCOMP_DATA_ARCH, asm.jump('jeq', descriptor.auditArch, asm.load(SECCOMP_DATA_NR, dispatch), kill));
  const instructions = asm.finish(entry);
  return { arch, instructions, bytes: encodeProgram(instructions) };
}

/**
 * Splits the 32-bit number space below the foreign-ABI bit into segments: each known syscall's
 * leaf, ENOSYS for numbers the table does not know, neighbours with equal constant answers merged.
 */
function segmentNumbers(policy: Policy, arch: ArchDescriptor): Segment[] {
  const rulesByName = new Map<string, Rule[]>();
  for (const rule of policy.rules) {
    if (!Object.hasOwn(arch.syscalls, rule.syscall)) continue;
    rulesByName.set(rule.syscall, [...(rulesByName.get(rule.syscall) ?? []), rule]);
  }
  const enosys: Leaf = { action: ERRNO(ENOSYS) };
  const constants = new Map<number, Leaf>([[encodeAction(enosys.action), enosys]]);
  const constant = (action: Action): Leaf => {
    const value = encodeAction(action);
    const leaf = constants.get(value) ?? { action };
    constants.set(value, leaf);
    return leaf;
  };
  const leafOf = (name: string): Leaf => {
    const rules = rulesByName.get(name);
    const first = rules?.[0];
    if (rules === undefined || first === undefined) return constant(policy.defaultAction);
    if (first.when.length === 0) return constant(first.action);
    return { syscall: name, rules };
  };
  const numbered = Object.entries(arch.syscalls).sort((a, b) => a[1] - b[1]);
  const top = (arch.foreignAbiBit ?? 2 ** 32) - 1;
  const segments: Segment[] = [];
  const push = (lo: number, hi: number, leaf: Leaf): void => {
    const last = segments.at(-1);
    if (last && last.leaf === leaf && 'action' in leaf && last.hi + 1 === lo) segments[segments.length - 1] = { lo: last.lo, hi, leaf };
    else segments.push({ lo, hi, leaf });
  };
  let next = 0;
  for (const [name, nr] of numbered) {
    if (nr > next) push(next, nr - 1, enosys);
    push(nr, nr, leafOf(name));
    next = nr + 1;
  }
  if (next <= top) push(next, top, enosys);
  return segments;
}

/** Binary search over segments[from..to] (A holds the syscall number). */
function dispatchTree(asm: Assembler, segments: readonly Segment[], from: number, to: number, leafLabel: (leaf: Leaf) => Label): Label {
  if (from === to) return leafLabel(segmentAt(segments, from).leaf);
  const middle = Math.ceil((from + to) / 2);
  const upper = dispatchTree(asm, segments, middle, to, leafLabel);
  const lower = dispatchTree(asm, segments, from, middle - 1, leafLabel);
  return asm.jump('jge', segmentAt(segments, middle).lo, upper, lower);
}

/**
 * One test per segment in number order: `jeq` for a single number, `jge lo; jgt hi` for a range.
 * The final answer (the last segment) needs no test. For benchmarks against the tree.
 */
function dispatchLinear(asm: Assembler, segments: readonly Segment[], leafLabel: (leaf: Leaf) => Label): Label {
  const last = segmentAt(segments, segments.length - 1);
  let next = leafLabel(last.leaf);
  for (let i = segments.length - 2; i >= 0; i--) {
    const { lo, hi, leaf } = segmentAt(segments, i);
    const target = leafLabel(leaf);
    next = lo === hi ? asm.jump('jeq', lo, target, next) : asm.jump('jge', lo, asm.jump('jgt', hi, next, target), next);
  }
  return next;
}

function segmentAt(segments: readonly Segment[], index: number): Segment {
  const segment = segments[index];
  if (segment === undefined) throw new Error(`compiler: no segment ${index}`);
  return segment;
}

/** A syscall's rules in order, first match wins, else the default; an invalid int argument kills. */
function compileRules(asm: Assembler, rules: readonly Rule[], defaultAction: Action, kill: Label): Label {
  let next = asm.ret(encodeAction(defaultAction));
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule === undefined) continue;
    next = compileConditions(asm, rule.when, asm.ret(encodeAction(rule.action)), next, kill);
  }
  return next;
}
