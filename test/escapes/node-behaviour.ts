/**
 * The escapes that depend on how Node itself behaves, run on every supported Node version:
 * starting a child process without `spawn` (child_process.spawnSync and spawn), and io_uring rings
 * (Node ≥ 22 creates them at start-up; a ring left alive after sandbox() would let ring operations
 * bypass the filter). The rings are counted from outside, by the test, in /proc/PID while the
 * sandboxed program waits, so the check needs nothing from the sandboxed program itself.
 */
import { describe, expect, it } from 'vitest';
import type { CapabilityName, ViolationMode } from '@syscage/core';
import { ALL, declaration, label } from './attempts.ts';
import { inspectIoUring, runProgram, type NodeMajor, type ProbeBuild, type Run, type Step } from './harness.ts';

/** What the suite's setup provides once it has run. */
export interface SuiteContext {
  build(): ProbeBuild;
  node(major: NodeMajor): string;
}

const WITHOUT_SPAWN: readonly CapabilityName[][] = [[], ALL.filter((name) => name !== 'spawn')];
const SPAWNS: readonly Step[] = [
  { id: 'spawn-sync', kind: 'spawn-sync' },
  { id: 'spawn-async', kind: 'spawn-async' },
];

/** Runs `steps` under `names` (null: unsandboxed), pausing once to count io_uring instances from outside. */
async function runAndInspect(ctx: SuiteContext, major: NodeMajor, names: readonly CapabilityName[] | null, mode: ViolationMode, steps: readonly Step[], env: Record<string, string> = {}) {
  let rings: Awaited<ReturnType<typeof inspectIoUring>> | undefined;
  const run = await runProgram({
    node: ctx.node(major),
    caps: names === null ? null : declaration(names, mode),
    steps: [...steps, { id: 'pause', kind: 'pause' }],
    build: ctx.build(),
    env,
    onPaused: async (pid) => {
      rings = await inspectIoUring(pid);
    },
  });
  return { run, rings };
}

function startedSandboxed(run: Run): void {
  expect(run.ready, run.stderr).toBeDefined();
  expect(run.ready?.applied).toBe(true);
}

/** Registers the Node-behaviour tests for every major in `majors`. */
export function describeNodeBehaviour(majors: readonly NodeMajor[], ctx: SuiteContext): void {
  describe.concurrent.each(majors.map((major) => ({ major })))('Node $major', ({ major }) => {
    for (const names of WITHOUT_SPAWN) {
      it(`errno mode, ${label(names)}: spawnSync and spawn fail with EPERM`, async () => {
        const run = await runProgram({ node: ctx.node(major), caps: declaration(names, 'errno'), steps: SPAWNS, build: ctx.build() });
        startedSandboxed(run);
        expect(Object.fromEntries(run.outcomes)).toEqual({ 'spawn-sync': 'errno 1', 'spawn-async': 'errno 1' });
      });
      for (const step of SPAWNS) {
        it(`kill mode, ${label(names)}: ${step.id} is killed by SIGSYS`, async () => {
          const run = await runProgram({ node: ctx.node(major), caps: declaration(names, 'kill'), steps: [step], build: ctx.build() });
          startedSandboxed(run);
          expect(run.outcomes.get(step.id)).toBe('killed SIGSYS');
        });
      }
    }

    for (const mode of ['errno', 'kill'] as const) {
      it(`${mode} mode, {spawn} (control): spawnSync and spawn run the program`, async () => {
        const run = await runProgram({ node: ctx.node(major), caps: declaration(['spawn'], mode), steps: SPAWNS, build: ctx.build() });
        startedSandboxed(run);
        expect(Object.fromEntries(run.outcomes)).toEqual({ 'spawn-sync': 'ok 0 ESCAPED-spawn', 'spawn-async': 'ok 0 ESCAPED-spawn' });
      });
    }

    it(`unsandboxed (control): ${major >= 22 ? 'io_uring rings exist' : 'no io_uring ring (Node 20 makes none)'}`, async () => {
      const { rings } = await runAndInspect(ctx, major, null, 'kill', []);
      expect(rings?.fds ?? 0).toSatisfy((fds: number) => (major >= 22 ? fds > 0 : fds === 0));
    });

    const io = { id: 'io-uring-setup', kind: 'native', attempt: 'io-uring-setup' } as const;
    const sandboxedRings: ReadonlyArray<{ names: readonly CapabilityName[]; mode: ViolationMode; steps: readonly Step[] }> = [
      { names: [], mode: 'kill', steps: [io] },
      { names: ['fs.read'], mode: 'errno', steps: [{ id: 'ring-fds', kind: 'ring-fds' }, io] },
      { names: ALL, mode: 'kill', steps: [io, { id: 'fs-async', kind: 'fs-async' }] },
    ];
    for (const { names, mode, steps } of sandboxedRings) {
      it(`${mode} mode, ${label(names)}: no io_uring ring after sandbox(), and io_uring_setup answers ENOSYS`, async () => {
        const { run, rings } = await runAndInspect(ctx, major, names, mode, steps);
        startedSandboxed(run);
        // Restarted for io_uring (Node ≥ 22) and, below Landlock ABI 8, to bring every thread into the domain.
        const landlock = run.ready?.landlock;
        expect(run.ready?.reexecuted).toBe(major >= 22 || (landlock?.applied === true && landlock.abi < 8));
        expect(rings).toEqual({ fds: 0, maps: 0, sqpollThreads: 0 });
        expect(run.outcomes.get('io-uring-setup')).toBe('errno 38');
        if (run.outcomes.has('ring-fds')) expect(run.outcomes.get('ring-fds')).toBe('ok 0');
      });
    }

    // The environment can ask libuv for more rings (UV_USE_IO_URING=1: SQPOLL rings on Node 20),
    // or pretend the restart already happened (SYSCAGE_REEXEC=1). Either the program refuses to
    // start (rings left, or no Landlock domain where the marker claims one), or it starts without a
    // ring; never a sandboxed program that holds one. (fs.read:
    // libuv's async fstat is a statx, which the baseline lacks.)
    // A marker naming a descriptor that is no Landlock ruleset (standard error; a stray file) refuses too.
    for (const env of [{ UV_USE_IO_URING: '1' }, { SYSCAGE_REEXEC: '1' }, { SYSCAGE_REEXEC: '1:landlock=1:layer=2' }, { SYSCAGE_REEXEC: '1:landlock=1:layer=9' }]) {
      const name = Object.entries(env).map(([key, value]) => `${key}=${value}`).join('');
      it(`kill mode, {fs.read} with ${name}: refuses to start, or starts without a ring`, async () => {
        const { run, rings } = await runAndInspect(ctx, major, ['fs.read'], 'kill', [{ id: 'fs-async', kind: 'fs-async' }], env);
        if (name.includes('layer=')) expect(run.ready).toBeUndefined();
        if (run.ready === undefined) {
          expect(run.ended).toBe('exit:1');
          expect(run.stderr).toMatch(/^syscage: .*(io_uring|restarted inside the Landlock domain|restarted with a Landlock layer on descriptor \d+, which is not one)/);
        } else {
          expect(rings).toEqual({ fds: 0, maps: 0, sqpollThreads: 0 });
        }
      });
    }
  });
}
