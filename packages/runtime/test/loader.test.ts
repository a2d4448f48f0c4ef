/**
 * The loader against the real kernel. Every filter is installed in a child `node` process running
 * a fixture from `fixtures/`, with hand-assembled bytes (`fixtures/filters.mjs`); the test runner's
 * own process never gets one.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { lastJson, runFixture, type FixtureRun } from './run-fixture.ts';

interface MkdirOutcome {
  readonly installed: { readonly tsync: boolean; readonly threadsConfirmed: number };
  readonly sync: 'created' | { code: string; syscall: string; path: string; message: string };
  readonly async: MkdirOutcome['sync'];
}

interface ThreadsOutcome {
  readonly installed: { readonly filters: number; readonly threadsConfirmed: number };
  readonly self: number;
  readonly threads: readonly { tid: number; seccomp: number; noNewPrivs: number; filters: number }[];
}

const scratch: string[] = [];
afterEach(() => {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'syscage-runtime-'));
  scratch.push(dir);
  return dir;
}

/** A fail-closed run: exit 1, no signal, nothing run after the loader, exactly one stderr line. */
function expectFailedClosed(run: FixtureRun, line: string): void {
  expect(run.stdout).not.toContain('the program ran');
  expect(run.stderr).toBe(`syscage: ${line}\n`);
  expect({ code: run.code, signal: run.signal }).toEqual({ code: 1, signal: null });
}

const UNSUPPORTED = "Run on Linux ≥ 3.17 with seccomp enabled, or declare unsupported: 'warn' for development.";
const REBUILD = "The bytes are corrupt or were not produced by syscage's compiler; rebuild so the filter is compiled again.";

describe('TSYNC', () => {
  it('with TSYNC, both fs.mkdirSync and fs.promises.mkdir fail with EPERM', async () => {
    const dir = scratchDir();
    const run = await runFixture('mkdir.mjs', [dir, 'tsync']);
    const outcome = lastJson<MkdirOutcome>(run);
    expect(outcome.sync).toMatchObject({ code: 'EPERM' });
    expect(outcome.async).toMatchObject({ code: 'EPERM' });
    expect(existsSync(join(dir, 'sync')) || existsSync(join(dir, 'async'))).toBe(false);
  });

  it("loads ffi-rs's platform binary found next to the runtime, not through a fallback", async () => {
    const run = await runFixture('mkdir.mjs', [scratchDir(), 'tsync']);
    const { installed } = lastJson<{ installed: { ffi: { source: string; via: string } } }>(run);
    expect(installed.ffi).toMatchObject({ source: `@yuuang/ffi-rs-linux-${process.arch}-gnu`, via: 'beside' });
  });

  it('without TSYNC, fs.promises.mkdir escapes on a threadpool thread (why TSYNC is required)', async () => {
    const dir = scratchDir();
    const outcome = lastJson<MkdirOutcome>(await runFixture('mkdir.mjs', [dir, 'no-tsync']));
    expect(outcome.sync).toMatchObject({ code: 'EPERM' });
    expect(outcome.async).toBe('created');
    expect(existsSync(join(dir, 'async'))).toBe(true);
  });

  it('a KILL_PROCESS answer on a threadpool thread kills the whole process with SIGSYS', async () => {
    const run = await runFixture('mkdir.mjs', [scratchDir(), 'kill']);
    expect({ code: run.code, signal: run.signal, stdout: run.stdout }).toEqual({ code: null, signal: 'SIGSYS', stdout: '' });
  });

  it('with TSYNC, every thread shows the filter in /proc/self/task/*/status', async () => {
    const { installed, threads } = lastJson<ThreadsOutcome>(await runFixture('threads.mjs', ['tsync']));
    expect(threads.length).toBeGreaterThan(1); // Node 20 runs ~11 threads at the entry's first line
    expect(installed.threadsConfirmed).toBeGreaterThan(1);
    for (const thread of threads) {
      expect(thread).toEqual({ ...thread, seccomp: 2, noNewPrivs: 1, filters: installed.filters });
    }
  });

  it('without TSYNC, only the calling thread shows the filter', async () => {
    const { self, threads } = lastJson<ThreadsOutcome>(await runFixture('threads.mjs', ['no-tsync']));
    const others = threads.filter((thread) => thread.tid !== self);
    expect(threads.find((thread) => thread.tid === self)).toMatchObject({ seccomp: 2, noNewPrivs: 1, filters: 1 });
    expect(others.length).toBeGreaterThan(0);
    for (const thread of others) expect(thread).toMatchObject({ seccomp: 0, noNewPrivs: 0, filters: 0 });
  });

  it('fails closed when TSYNC cannot synchronise a thread that has its own filter', async () => {
    const run = await runFixture('tsync-conflict.mjs');
    const tid = /worker tid (\d+)/.exec(run.stdout)?.[1];
    expect(tid).toMatch(/^\d+$/);
    expect(run.stdout).toBe(`worker tid ${tid}\n`);
    expectFailedClosed(
      { ...run, stdout: '' },
      `seccomp TSYNC could not synchronise thread ${tid}: it already runs under a seccomp filter this thread does not have. Apply the sandbox before anything else installs a filter (a worker_thread or native code), from the main thread.`,
    );
  });
});

describe('errno reaches JavaScript', () => {
  it('as an ordinary EPERM error with syscall and path set, sync and async', async () => {
    const dir = scratchDir();
    const outcome = lastJson<MkdirOutcome>(await runFixture('mkdir.mjs', [dir, 'tsync']));
    for (const [kind, error] of [['sync', outcome.sync], ['async', outcome.async]] as const) {
      const path = join(dir, kind);
      expect(error).toEqual({ code: 'EPERM', syscall: 'mkdir', path, message: `EPERM: operation not permitted, mkdir '${path}'` });
    }
  });
});

describe('fail closed', () => {
  it.each([
    ['not-bytes', `the seccomp filter must be a Uint8Array of struct sock_filter bytes; got Array. ${REBUILD}`],
    ['empty', `the seccomp filter is empty (0 bytes). ${REBUILD}`],
    ['odd-length', `the seccomp filter is 13 bytes, not a whole number of 8-byte instructions. ${REBUILD}`],
    ['too-long', `the seccomp filter has 4097 instructions; the kernel accepts at most 4096 (BPF_MAXINSNS). ${REBUILD}`],
    ...['jump-out-of-range', 'no-return'].map((name) => [
      name,
      `the kernel rejected the seccomp filter (EINVAL): it is not a valid seccomp BPF program (a bad opcode or load, a jump out of range, or no final return). ${REBUILD}`,
    ]),
  ])('%s bytes: one line, exit 1, nothing else runs', async (name, line) => {
    expectFailedClosed(await runFixture('fail-closed.mjs', [name]), line);
  });

  it('bytes compiled for another architecture', async () => {
    const [other, self] = process.arch === 'x64' ? ['aarch64', 'x86_64'] : ['x86_64', 'aarch64'];
    expectFailedClosed(
      await runFixture('fail-closed.mjs', ['wrong-arch']),
      `the seccomp filter was compiled for ${other} but this process runs on ${self}. Build for ${self} (the plugin compiles one filter per target architecture).`,
    );
  });

  it.each([
    ['seccomp-enosys', `seccomp is not available in this kernel (seccomp() returned ENOSYS on Linux ${release()}; a container's seccomp profile can also answer that). ${UNSUPPORTED}`],
    ['seccomp-einval', `seccomp filters are not available in this kernel (no CONFIG_SECCOMP_FILTER or SECCOMP_FILTER_FLAG_TSYNC: seccomp() returned EINVAL on Linux ${release()}). ${UNSUPPORTED}`],
    ['seccomp-eperm', "installing a seccomp filter was refused (EPERM): an outer sandbox or container profile forbids seccomp(). Allow seccomp() in that profile, or declare unsupported: 'warn' for development."],
    ['prctl-einval', `prctl(PR_SET_NO_NEW_PRIVS) failed with EINVAL on Linux ${release()}, so no seccomp filter can be installed. ${UNSUPPORTED}`],
  ])('a kernel that answers %s', async (name, line) => {
    expectFailedClosed(await runFixture('outer-filter.mjs', [name]), line);
  });

  it('ffi-rs missing', async () => {
    // A copy of the built package with no node_modules around it: ffi-rs cannot be resolved.
    const copy = join(scratchDir(), 'runtime');
    cpSync(fileURLToPath(new URL('../dist', import.meta.url)), copy, { recursive: true });
    cpSync(fileURLToPath(new URL('../package.json', import.meta.url)), join(copy, 'package.json'));
    // Its other dependency, @syscage/core, stays reachable; only ffi-rs is missing.
    mkdirSync(join(copy, 'node_modules', '@syscage'), { recursive: true });
    symlinkSync(fileURLToPath(new URL('../../core', import.meta.url)), join(copy, 'node_modules', '@syscage', 'core'));
    const run = await runFixture('ffi-missing.mjs', [join(copy, 'index.js')]);
    expect(run.stderr).toMatch(/^syscage: cannot load ffi-rs's native binding for linux-\w+ \(Cannot find module 'ffi-rs'/);
    expectFailedClosed(run, run.stderr.slice('syscage: '.length, -1));
    expect(run.stderr).toContain('Install dependencies with optional dependencies enabled');
  });
});
