/**
 * The escape suite: known ways around a seccomp sandbox, each tried against `sandbox()` in child
 * processes, under declarations that do not grant it (the widest such one included) and in both
 * violation modes. Each must be stopped: SIGSYS in kill mode, EPERM in errno mode, ENOSYS for
 * clone3 and io_uring, SIGSYS always for foreign ABIs. Each has a control showing the same attempt
 * works unsandboxed or when declared, so a broken probe cannot pass. README.md has the table.
 *
 * Raw-syscall attempts run on one Node version, in the sandboxed process itself (probe.c as a
 * library, loaded through ffi-rs before the sandbox) and in probes it spawns (the filter is
 * inherited). Node behaviour (spawn, io_uring rings) runs on Node 20, 22, 24 and 26. The i386 attempts
 * (`int $0x80`) are skipped, with the reason, where the kernel has no IA32 emulation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CapabilityName, ViolationMode } from '@syscage/core';
import { ALL, ATTEMPTS, allBut, grants, label, type Attempt } from './attempts.ts';
import { buildProbe, makeArena, nodeBinaries, runProbeUnsandboxed, startVictim, suiteAvailable, NODE_MAJORS, type NodeMajor, type ProbeBuild } from './harness.ts';
import { argFor, controlHolds, judgeTrial, runnable, type Via } from './judge.ts';
import { describeNodeBehaviour } from './node-behaviour.ts';
import { describeDeclaredLimits } from './limits.ts';
import { detectIa32Emulation } from '../support/ia32.ts';

const available = suiteAvailable();
/** The Node version raw-syscall attempts run on (they do not depend on it). */
const RAW_NODE: NodeMajor = 24;
const MODES: readonly ViolationMode[] = ['errno', 'kill'];
const ia32 = await detectIa32Emulation();

/** Whether this kernel can make `attempt` at all: the i386 ones need IA32 emulation. */
function makeable(attempt: Attempt): boolean {
  return attempt.needs !== 'ia32' || ia32.ok;
}

/** `list` without what this kernel cannot make, and a title note naming what was left out and why. */
function makeableHere(list: readonly Attempt[]): { attempts: Attempt[]; note: string } {
  const left = list.filter((a) => !makeable(a));
  const note = ia32.ok || left.length === 0 ? '' : ` (${left.map((a) => a.id).join(', ')} skipped: ${ia32.reason})`;
  return { attempts: list.filter(makeable), note };
}

let build: ProbeBuild;
let nodes: Record<NodeMajor, string>;
const context = { build: () => build, node: (major: NodeMajor) => nodes[major] };

/** Declarations that must stop `attempt`: none, read-only, and the widest that does not grant it. */
function denyingDeclarations(attempt: Attempt): CapabilityName[][] {
  const widest = [...allBut(attempt)];
  const extra: CapabilityName[][] = [];
  // spawn and signal/fs.write are separate capabilities: spawn alone must not grant either.
  if (attempt.grantedBy !== 'baseline' && attempt.grantedBy?.includes('fs.write')) extra.push(['fs.read', 'spawn']);
  if (attempt.grantedBy !== 'baseline' && attempt.grantedBy?.includes('signal')) extra.push(['spawn']);
  return unique([[], ['fs.read'], widest, ...extra]).filter((names) => !grants(names, attempt));
}

function unique(lists: CapabilityName[][]): CapabilityName[][] {
  const seen = new Map(lists.map((names) => [label(names), names]));
  return [...seen.values()];
}

/** Every declaration a batch runs under: the denying ones, plus the smallest granting ones. */
const BATCH_DECLARATIONS = unique([
  ...ATTEMPTS.flatMap(denyingDeclarations),
  ...ATTEMPTS.flatMap((a) => (Array.isArray(a.grantedBy) && a.positive !== false ? [[a.grantedBy[0] as CapabilityName]] : [])),
  [...ALL],
]);

/** Attempts that may kill the program even in errno mode cannot share a program with others. */
const killsAlways = (a: Attempt): boolean => a.answer === 'kill' || a.answer === 'deny-or-kill';

const title = available.ok ? 'escape suite' : `escape suite (skipped: ${available.reason})`;

describe.skipIf(!available.ok)(title, () => {
  beforeAll(async () => {
    [build, nodes] = await Promise.all([buildProbe(), nodeBinaries()]);
  }, 180_000);

  describe.concurrent('controls: every attempt works unsandboxed', () => {
    it.for(ATTEMPTS.filter((a) => a.where !== 'in-process'))('$id (probe run directly)', async (attempt, { skip }) => {
      if (!makeable(attempt) && !ia32.ok) skip(ia32.reason);
      const [arena, victim] = await Promise.all([makeArena(build), startVictim(build)]);
      try {
        const arg = argFor(attempt, { arena, victim });
        const { outcome, ptyReceived } = await runProbeUnsandboxed(build, attempt.attempt, arg, { tty: attempt.aim === 'tty', cwd: arena.dir });
        expect(controlHolds(attempt, outcome), outcome).toBe(true);
        if (attempt.id === 'process-vm-writev') expect(await victim.finish()).toBe('PWNED');
        if (attempt.id.startsWith('tiocsti')) expect(ptyReceived).toBe('78');
        if (attempt.id === 'openat-trunc') expect((await arena.inspect()).victim).toBe('');
      } finally {
        await Promise.all([arena.remove(), victim.finish()]);
      }
    });

    const inNode = makeableHere(runnable(ATTEMPTS, 'native'));
    it(`in the Node process (libescape.so through ffi-rs), every attempt works${inNode.note}`, async () => {
      const problems = await judgeTrial({ build, node: nodes[RAW_NODE], names: null, mode: 'errno', via: 'native', attempts: inNode.attempts });
      expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
    });
  });

  for (const via of ['native', 'probe'] as const satisfies readonly Via[]) {
    const where = via === 'native' ? 'in the sandboxed Node process' : 'in a probe the sandboxed process spawned';
    const declarations = via === 'native' ? BATCH_DECLARATIONS : unique([['spawn'], ['spawn', 'tty'], ['fs.read', 'spawn'], [...ALL]]);
    const attempts = runnable(ATTEMPTS, via);

    describe.concurrent(`${where}, one program per declaration and mode`, () => {
      for (const names of declarations) {
        for (const mode of MODES) {
          // A native batch holds only what must not end the program (in kill mode: what must
          // survive); the rest runs one program per attempt below. Granted attempts whose granted
          // form is not checked (positive: false) may end it either way.
          const { attempts: batch, note } = makeableHere(
            attempts.filter((a) => {
              if (via === 'probe') return true;
              if (killsAlways(a)) return false;
              if (grants(names, a)) return a.positive !== false;
              return mode === 'errno' || a.answer === 'enosys' || a.answer === 'eacces' || a.answer === 'eacces-or-eperm';
            }),
          );
          it(`${mode} mode, ${label(names)}: ${batch.length} attempts${note}`, async () => {
            const problems = await judgeTrial({ build, node: nodes[RAW_NODE], names, mode, via, attempts: batch });
            expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
          });
        }
      }
    });
  }

  describe.concurrent('in the sandboxed Node process, one program per attempt (a kill ends the program)', () => {
    const singles = runnable(ATTEMPTS, 'native').flatMap((attempt) =>
      denyingDeclarations(attempt)
        .filter((names) => names.length === 0 || names.length > 2)
        .flatMap((names) => MODES.filter((mode) => (mode === 'kill' ? attempt.answer !== 'enosys' : killsAlways(attempt))).map((mode) => ({ attempt, names, mode }))),
    );
    it.for(singles.map((s) => ({ ...s, title: `${s.attempt.id}, ${s.mode} mode, ${label(s.names)}` })))('$title', async ({ attempt, names, mode }, { skip }) => {
      if (!makeable(attempt) && !ia32.ok) skip(ia32.reason);
      const problems = await judgeTrial({ build, node: nodes[RAW_NODE], names, mode, via: 'native', attempts: [attempt] });
      expect(problems, `\n${problems.join("\n")}\n`).toEqual([]);
    });
  });

  describeNodeBehaviour(NODE_MAJORS, context);
  describeDeclaredLimits(NODE_MAJORS, context);
});
