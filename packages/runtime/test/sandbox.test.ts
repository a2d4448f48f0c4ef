/**
 * sandbox(), narrow() and status() in child processes on Node 20, 22, 24 and 26: applied before the
 * program goes on, no io_uring ring left (re-executing once on 22 and later, and on every version below
 * Landlock ABI 8, with pid, argv, env and cwd kept), violations stopped in both modes, narrowing only narrows, and every refusal is one line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { installNode } from '../../../scripts/baseline/install-node.mjs';
import { fixturePath, runFixture } from './run-fixture.ts';

const nodes: Record<number, string> = { 20: process.execPath };
let scratch = '';
beforeAll(async () => {
  for (const { major, path } of (await installNode({ log: () => {} })) as Array<{ major: number; path: string }>) nodes[major] = path;
  scratch = mkdtempSync(join(tmpdir(), 'syscage-sandbox-'));
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
const run = (major: number, caps: object, ...actions: string[]) =>
  runFixture('sandbox.mjs', [JSON.stringify(caps), ...actions], { node: nodes[major] ?? '', env: { SCRATCH: scratch, SYSCAGE_TEST_ENV: 'kept' } });

describe.each([20, 22, 24, 26])('Node %i', (major) => {
  it.each(['lazy-package.mjs', 'lazy-package.cjs'])('%s: a {} program loads a dependency after its sandbox (import() and require() by package name)', async (fixture) => {
    const result = await runFixture(fixture, [], { node: nodes[major] ?? '' });
    expect([result.code, result.signal, result.stderr]).toEqual([0, null, '']);
    expect(JSON.parse(result.stdout)).toEqual({ required: 'ffi-rs', imported: 'number' });
  });

  it.each([
    ['a read-only declaration', () => ({ fs: { read: true } })],
    ['a declaration with a read list', () => ({ fs: { read: [scratch] } })],
  ])('applies %s before the program goes on, without any io_uring ring', async (_, declaration) => {
    const caps = declaration(); // scratch exists only once the tests run
    const result = await run(major, caps, 'read', 'asyncRead');
    const [first, read, asyncRead] = lines(result.stdout);
    expect(result.code).toBe(0);
    expect(first).toMatchObject({ pid: result.pid, argv: [JSON.stringify(caps), 'read', 'asyncRead'], env: 'kept', rings: 0 });
    const status = first?.['status'] as { landlock?: { abi: number; applied: boolean } } | undefined;
    const abi = status?.landlock?.abi ?? 0;
    // Restarted for io_uring (Node ≥ 22) and, below Landlock ABI 8, to bring every thread into the
    // domain, which every declaration enters (ptrace scoping).
    const restartsForLandlock = abi > 0 && abi < 8;
    expect(status).toMatchObject({ applied: true, grants: ['fs.read'], onViolation: 'kill', node: major, reexecuted: major >= 22 || restartsForLandlock, layers: 1, kernelFilters: major >= 22 ? 2 : 1 });
    expect(status?.landlock).toMatchObject({ applied: abi > 0 });
    expect([read, asyncRead]).toEqual([{ read: true }, { asyncRead: true }]);
  });

  it.each(['mkdir', 'asyncMkdir', 'socket'])('kills %s when it is not declared', async (action) => {
    const result = await run(major, { fs: { read: true } }, action);
    expect(result.signal).toBe('SIGSYS');
    expect(lines(result.stdout)).toHaveLength(1);
  });

  it('answers EPERM in errno mode and names the capability', async () => {
    const result = await run(major, { onViolation: 'errno' }, 'mkdir', 'socket');
    const [, mkdir, socket] = lines(result.stdout);
    expect(result.code).toBe(0);
    expect(mkdir).toEqual({ mkdir: { code: 'EPERM', syscall: 'mkdir' } });
    expect(socket).toEqual({ socket: { code: 'EPERM', syscall: 'connect' } });
  });
});

describe('narrow()', () => {
  it('takes capabilities away: a later socket is killed', async () => {
    const result = await run(20, { fs: { read: true }, net: { connect: true } }, 'narrowToRead', 'read', 'socket');
    expect(lines(result.stdout).slice(1, 3)).toEqual([{ narrowToRead: 'ok' }, { read: true }]);
    expect(lines(result.stdout)[0]?.['status']).toMatchObject({ layers: 1 });
    expect(result.signal).toBe('SIGSYS');
  });

  it('refuses to widen, in one line, and stops the program', async () => {
    const result = await run(20, { fs: { read: true } }, 'narrowWider', 'read');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('syscage: narrow() can only take capabilities away; `spawn` was not granted. Declare it in sandbox() from the start, or leave it out here.\n');
  });
});

describe('refusals are one line and stop the program', () => {
  it('an unknown capability', async () => {
    const result = await run(20, { nett: true }, 'read');
    expect([result.code, result.stdout, result.stderr]).toEqual([1, '', 'syscage: `nett` is not a capability. Did you mean `net`?\n']);
  });

  it('not Linux, unless unsupported: warn', async () => {
    const darwin = { nodeArgs: ['--require', fixturePath('platform-darwin.cjs')], env: { SCRATCH: scratch } };
    const refused = await runFixture('sandbox.mjs', [JSON.stringify({})], darwin);
    expect([refused.code, refused.stderr]).toEqual([1, "syscage: The sandbox needs Linux (seccomp); this is darwin. Run on Linux, or declare unsupported: 'warn' to run unsandboxed during development.\n"]);
    const warned = await runFixture('sandbox.mjs', [JSON.stringify({ unsupported: 'warn' }), 'mkdir'], darwin);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain('The sandbox needs Linux (seccomp); this is darwin. Running WITHOUT a sandbox');
    expect(lines(warned.stdout)[0]?.['status']).toMatchObject({ applied: false });
  });

  it('inside a worker thread', async () => {
    const result = await runFixture('sandbox-in-worker.mjs');
    expect(result.stderr).toBe('syscage: sandbox() was called in a worker thread. Call it first thing in the main program; workers inherit it.\n');
    expect(lines(result.stdout)).toEqual([{ workerExit: 1 }]);
  });

  it('the decorator form is the same function', async () => {
    const result = await run(20, {}, 'decorator');
    expect(lines(result.stdout)[1]).toEqual({ decorator: 'Main' });
  });
});
