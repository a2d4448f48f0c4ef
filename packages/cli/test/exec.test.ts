/**
 * exec runs real programs (node, cat, git, sh and a script) under declarations that allow them,
 * with their output and exit status passed through, and stops them where the declaration does
 * not: a read outside --read fails with EACCES (Landlock), a write without fs.write is killed by
 * SIGSYS (seccomp), reported as the command's own signal. Each run is a child process.
 */
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'syscage-cli-exec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'in.txt'), 'hello\n');
const outside = mkdtempSync(join(tmpdir(), 'syscage-cli-outside-'));
writeFileSync(join(outside, 'secret.txt'), 'secret\n');
afterAll(() => rmSync(outside, { recursive: true, force: true }));

describe('exec runs what the declaration allows', () => {
  it('node -e', async () => {
    const run = await runCli(['exec', '--', process.execPath, '-e', 'console.log(6 * 7); process.exitCode = 4']);
    expect([run.code, run.signal, run.stdout]).toEqual([4, null, '42\n']);
  });

  it('cat of a file under --read', async () => {
    const run = await runCli(['exec', '--read', dir, '--', 'cat', join(dir, 'in.txt')]);
    expect([run.code, run.stdout, run.stderr]).toEqual([0, 'hello\n', '']);
  });

  it('git --version', async () => {
    const run = await runCli(['exec', '--', 'git', '--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^git version \d/);
  });

  it("sh -c 'exit 7' passes the status through", async () => {
    expect((await runCli(['exec', '--', 'sh', '-c', 'exit 7'])).code).toBe(7);
  });

  it('a #! shell script', async () => {
    const script = join(dir, 'hello.sh');
    writeFileSync(script, '#!/bin/sh\necho "script $1"\nexit 5\n');
    chmodSync(script, 0o755);
    const run = await runCli(['exec', '--', script, 'arg']);
    expect([run.code, run.stdout]).toEqual([5, 'script arg\n']);
  });
});

describe('exec stops what the declaration does not allow', () => {
  it('cat of a file outside --read fails with EACCES', async () => {
    const run = await runCli(['exec', '--read', dir, '--', 'cat', join(outside, 'secret.txt')]);
    expect([run.code, run.stdout]).toEqual([1, '']);
    expect(run.stderr).toContain('Permission denied');
  });

  it("sh -c 'echo x > f' without fs.write is killed by SIGSYS", async () => {
    const target = join(dir, 'f');
    const run = await runCli(['exec', '--read', dir, '--', 'sh', '-c', `echo x > ${target}`]);
    expect([run.code, run.signal]).toEqual([null, 'SIGSYS']);
    expect(existsSync(target)).toBe(false);
  });

  it('node writing a file without fs.write is killed by SIGSYS', async () => {
    const target = join(dir, 'w');
    const run = await runCli(['exec', '--', process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(target)}, 'x')`]);
    expect(run.signal).toBe('SIGSYS');
    expect(existsSync(target)).toBe(false);
  });

  it('with --on-violation errno the write fails with EPERM instead', async () => {
    const run = await runCli(['exec', '--on-violation', 'errno', '--', process.execPath, '-e', `try { require('fs').writeFileSync(${JSON.stringify(join(dir, 'e'))}, 'x') } catch (e) { console.log(e.code) }`]);
    expect([run.code, run.stdout]).toEqual([0, 'EPERM\n']);
  });
});

describe('exec usage errors (nothing runs)', () => {
  it.each([
    [['exec', 'cat', 'x'], 'syscage: exec needs -- before the command.\nWrite: syscage exec [options] -- cat x\n'],
    [['exec', '--allow', 'fs.reed', '--', 'cat'], 'syscage: "fs.reed" is not a capability.\nDid you mean "fs.read"? Capabilities: fs.read, fs.write, net.connect, net.listen, net.udp, net.unix, dns, spawn, worker, tty, signal.\n'],
    [['exec', '--', 'no-such-command-xyz'], 'syscage: no-such-command-xyz: command not found on PATH.\nGive its path (./tool or /usr/bin/tool), or add its directory to PATH.\n'],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect([run.code, run.stderr, run.stdout]).toEqual([2, message, '']);
  });
});
