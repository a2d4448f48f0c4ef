/**
 * Landlock in child processes on Node 20, 22, 24 and 26: declared paths and ports work, everything
 * else fails with EACCES, sync and async (threadpool), through symlinks and `..`, and in children;
 * abstract unix sockets stay inside the sandbox;
 * a kernel below the ABI a declaration needs refuses it, or widens it under `best-effort`.
 * Relative paths in declarations are resolved against the working directory at start.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { installNode } from '../../../scripts/baseline/install-node.mjs';
import { runFixture } from './run-fixture.ts';

const nodes: Record<number, string> = { 20: process.execPath };
const servers: net.Server[] = [];
const ports: Record<string, string> = {};
let root = '';

const listen = (): Promise<net.Server> => new Promise((resolve) => {
  const server = net.createServer((socket) => socket.destroy()).listen(0, '127.0.0.1', () => resolve(server));
});
const freePort = async (): Promise<number> => {
  const server = await listen();
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
};

beforeAll(async () => {
  for (const { major, path } of (await installNode({ log: () => {} })) as Array<{ major: number; path: string }>) nodes[major] = path;
  root = mkdtempSync(join(tmpdir(), 'syscage-landlock-'));
  for (const server of [await listen(), await listen()]) servers.push(server);
  ports['PORT_ALLOWED'] = String((servers[0]?.address() as net.AddressInfo).port);
  ports['PORT_OTHER'] = String((servers[1]?.address() as net.AddressInfo).port);
  ports['PORT_LISTEN'] = String(await freePort());
  ports['PORT_LISTEN_OTHER'] = String(await freePort());

}, 240_000);
afterAll(() => {
  for (const server of servers) server.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh working directory: data/a.txt, data/link → ../other/b.txt, other/b.txt, out/. */
function layOut(name: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'data'), { recursive: true });
  mkdirSync(join(dir, 'other'));
  mkdirSync(join(dir, 'out'));
  writeFileSync(join(dir, 'data/a.txt'), 'inside');
  writeFileSync(join(dir, 'other/b.txt'), 'outside');
  symlinkSync('../other/b.txt', join(dir, 'data/link'));
  return dir;
}

let runs = 0;
async function run(major: number, caps: object, actions: readonly string[], env: Record<string, string> = {}) {
  const result = await runFixture('landlock.mjs', [JSON.stringify(caps), ...actions], { node: nodes[major] ?? '', cwd: layOut(`run-${(runs += 1)}`), env: { ...ports, ...env } });
  const lines = result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { ...result, status: lines[0]?.['status'] as { landlock?: { abi: number; applied: boolean; widened: string[] } } | undefined, outcome: Object.assign({}, ...lines.slice(1)) as Record<string, unknown> };
}

const EACCES = { code: 'EACCES' };

describe.each([20, 22, 24, 26])('Node %i', (major) => {
  it('reads and writes inside the declared paths, and nowhere else', async () => {
    const { code, status, outcome, stderr } = await run(major, { fs: { read: ['./data'], write: ['./out'] } }, [
      'readIn', 'asyncReadIn', 'listIn', 'readOut', 'asyncReadOut', 'readThroughSymlink', 'readThroughDotDot',
      'writeIn', 'renameIn', 'mkdirIn', 'asyncMkdirIn', 'writeOut', 'asyncWriteOut', 'asyncMkdirOut', 'renameOut',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(status?.landlock).toMatchObject({ applied: true, widened: [] });
    expect(outcome).toEqual({
      readIn: 'inside', asyncReadIn: 'inside', listIn: 'a.txt,link',
      readOut: EACCES, asyncReadOut: EACCES, readThroughSymlink: EACCES, readThroughDotDot: EACCES,
      writeIn: 'ok', renameIn: 'ok', mkdirIn: 'ok', asyncMkdirIn: 'ok',
      writeOut: EACCES, asyncWriteOut: EACCES, asyncMkdirOut: EACCES, renameOut: EACCES,
    });
  });

  it('children inherit the domain, and only listed programs run (node ran for the restart only)', async () => {
    const { code, outcome } = await run(major, { fs: { read: ['./data'] }, spawn: ['/bin/cat'] }, ['childReadIn', 'childReadOut', 'spawnUnlisted', 'spawnNode', 'rulesetsOpen']);
    expect(code).toBe(0);
    expect(outcome).toEqual({ childReadIn: { status: 0, denied: false }, childReadOut: { status: 1, denied: true }, spawnUnlisted: EACCES, spawnNode: EACCES, rulesetsOpen: 0 });
  });

  it('connects and listens on the declared TCP ports only', async () => {
    const { code, outcome } = await run(major, { net: { connect: [Number(ports['PORT_ALLOWED'])], listen: [Number(ports['PORT_LISTEN'])] } }, ['connectAllowed', 'connectOther', 'listenAllowed', 'listenOther']);
    expect(code).toBe(0);
    expect(outcome).toEqual({ connectAllowed: 'connected', connectOther: EACCES, listenAllowed: 'listening', listenOther: EACCES });
  });

  it('keeps abstract unix sockets inside the sandbox unless net.unix is declared (ABI ≥ 6)', async (ctx) => {
    // The server runs outside the sandbox on the same Node (versions spell abstract addresses differently).
    const name = `syscage-landlock-${process.pid}-${major}`;
    const server = spawn(nodes[major] ?? '', ['-e', `require('node:net').createServer((s) => s.destroy()).listen({ path: '\\0${name}' }, () => console.log('ready'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    ctx.onTestFinished(() => void server.kill());
    await once(server.stdout, 'data');
    // dns gets no unix stream socket (EACCES: glibc goes on without nscd). Landlock's scope, which
    // stops what a socket seccomp lets through, is tried from a spawned socketpair in test/escapes.
    const scoped = await run(major, { dns: true }, ['connectAbstract'], { ABSTRACT_NAME: name });
    if ((scoped.status?.landlock?.abi ?? 0) < 6) ctx.skip('this kernel has no Landlock scopes (ABI < 6)');
    expect(scoped.outcome).toEqual({ connectAbstract: { code: 'EACCES' } });
    expect((await run(major, { net: { unix: true } }, ['connectAbstract'], { ABSTRACT_NAME: name })).outcome).toEqual({ connectAbstract: 'connected' });
  });
});

it('refuses a program read from standard input, which the restart could not run again', async () => {
  const { spawnSync } = await import('node:child_process');
  const runtime = new URL('../dist/index.js', import.meta.url).href;
  const result = spawnSync(process.execPath, ['--input-type=module'], { input: `import { sandbox } from '${runtime}'; sandbox({}); console.log('ran');`, encoding: 'utf8' });
  // Node 20 restarts only to bring its threads into the Landlock domain, which ABI ≥ 8 does without one.
  const { status } = await run(20, {}, []);
  if ((status?.landlock?.abi ?? 0) >= 8) {
    expect([result.status, result.stdout]).toEqual([0, 'ran\n']);
    return;
  }
  expect(result.stdout).toBe('');
  expect(result.status).toBe(1);
  expect(result.stderr).toBe('syscage: A program read from standard input cannot be restarted, and this sandbox needs one restart. Save the program to a file and run that.\n');
});

describe('a kernel without the Landlock ABI a declaration needs (simulated with SYSCAGE_LANDLOCK_ABI_LIMIT=3)', () => {
  const caps = () => ({ net: { connect: [Number(ports['PORT_ALLOWED'])] } });

  it('refuses to run the program, in one line naming the right and the kernel', async () => {
    const { code, stdout, stderr } = await run(20, caps(), ['connectOther'], { SYSCAGE_LANDLOCK_ABI_LIMIT: '3' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("syscage: This kernel has Landlock ABI 3; enforcing the net.connect port list needs the connect_tcp right (ABI 4, Linux 6.7). Run on Linux ≥ 6.7 with Landlock enabled (lsm=…,landlock), or declare landlock: 'best-effort' to run with the wider sandbox.\n");
  });

  it.each([20, 24])('widens with a warning under best-effort (Node %i)', async (major) => {
    const { code, status, outcome, stderr } = await run(major, { ...caps(), landlock: 'best-effort' }, ['connectOther', 'readOut'], { SYSCAGE_LANDLOCK_ABI_LIMIT: '3' });
    expect(code).toBe(0);
    expect(stderr).toBe("syscage: warning: This kernel has Landlock ABI 3; enforcing the net.connect port list needs the connect_tcp right (ABI 4, Linux 6.7). Running with the wider sandbox (landlock: 'best-effort'): the net.connect port list not enforced.\n");
    expect(status?.landlock).toMatchObject({ abi: 3, applied: true, widened: ['connect_tcp'] });
    // The port list is widened; what ABI 3 can enforce still is.
    expect(outcome).toEqual({ connectOther: 'connected', readOut: EACCES });
  });
});

describe('a kernel without Landlock (simulated with SYSCAGE_LANDLOCK_ABI_LIMIT=0)', () => {
  // Every declaration needs a domain: without one nothing keeps another process's /proc/<pid>/mem
  // and environ out of reach, so even a read-only declaration refuses (or widens, and says so).
  it('refuses even a declaration whose paths seccomp alone would keep, in one line', async () => {
    const { code, stdout, stderr } = await run(20, { fs: { read: true } }, ['readOut'], { SYSCAGE_LANDLOCK_ABI_LIMIT: '0' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe("syscage: This kernel has no Landlock; enforcing that reading every file stops at other processes' /proc/<pid> (environ, maps) needs the read_file right (ABI 1, Linux 5.13). Run on Linux ≥ 5.13 with Landlock enabled (lsm=…,landlock), or declare landlock: 'best-effort' to run with the wider sandbox.\n");
  });

  it.each([20, 24])('runs it under best-effort with a warning (Node %i)', async (major) => {
    const { signal, status, outcome, stderr } = await run(major, { fs: { read: true }, landlock: 'best-effort' }, ['readOut', 'writeOut'], { SYSCAGE_LANDLOCK_ABI_LIMIT: '0' });
    expect(stderr).toMatch(/^syscage: warning: This kernel has no Landlock; .* Running with the wider sandbox \(landlock: 'best-effort'\)/);
    expect(status?.landlock).toMatchObject({ abi: 0, applied: false });
    expect(outcome).toEqual({ readOut: 'outside' });
    expect(signal).toBe('SIGSYS'); // writeOut: stopped by seccomp, as with Landlock
  });
});
