/**
 * compile, disasm and explain end to end through the built CLI, and the usage errors every command
 * shares: exact messages, exit code 2, nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPolicy, compilePolicy, resolveCapabilities } from '@syscage/core';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'syscage-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('compile', () => {
  it('writes the bytes core compiles for the declaration the options describe', async () => {
    const file = join(dir, 'f.bin');
    const run = await runCli(['compile', '--allow', 'dns', '--read', './data', '--connect', '443', '--arch', 'aarch64', '--node', '22', '-o', file]);
    expect(run.code).toBe(0);
    const expected = compilePolicy(buildPolicy(resolveCapabilities({ fs: { read: ['./data'] }, net: { connect: [443] }, dns: true }), { node: 22 }), 'aarch64').bytes;
    expect(new Uint8Array(readFileSync(file))).toEqual(expected);
    expect(run.stderr).toMatch(/^syscage: aarch64 filter, \d+ instructions/);
  });

  it('prints the resolved policy with --json', async () => {
    const run = await runCli(['compile', '--write', './out', '--json', '--arch', 'x86_64']);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({ declaration: { fs: { write: ['./out'] }, onViolation: 'kill' }, grants: ['fs.write'], arch: 'x86_64', node: 'any', defaultAction: 'KILL_PROCESS' });
    expect(json.rules).toContainEqual({ syscall: 'clone3', action: 'ERRNO(ENOSYS)', when: [] });
    expect(json.rules).toContainEqual({ syscall: 'mkdir', action: 'ALLOW', when: [] });
    expect(json.landlock.paths).toContainEqual(expect.objectContaining({ path: './out', from: 'fs.write' }));
  });

  it.each([
    [['compile', '--allow', 'fs.raed', '-o', 'x'], 'syscage: "fs.raed" is not a capability.\nDid you mean "fs.read"? Capabilities: fs.read, fs.write, net.connect, net.listen, net.udp, net.unix, dns, spawn, worker, tty, signal.\n'],
    [['compile', '--allow', 'fs.read'], 'syscage: compile needs -o FILE for the filter bytes, or --json for the policy.\ne.g. syscage compile --allow fs.read -o filter.bin\n'],
    [['compile', '--connect', '99999', '--json'], 'syscage: "99999" is not a TCP port.\nGive port numbers from 1 to 65535, e.g. --connect 443 or --connect 80,443.\n'],
  ])('refuses %j with exit 2', async (args, message) => {
    const run = await runCli(args);
    expect([run.code, run.stderr, run.stdout]).toEqual([2, message, '']);
    expect(existsSync('x')).toBe(false);
  });

  it('reports unknown options and arch choices as usage errors', async () => {
    for (const args of [['compile', '--bogus'], ['compile', '--arch', 'mips', '--json'], ['frobnicate']]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^syscage: /);
    }
  });

  it('has --help on every command', async () => {
    for (const command of ['exec', 'trace', 'inspect', 'compile', 'disasm', 'explain']) {
      const run = await runCli([command, '--help']);
      expect([run.code, run.stdout.startsWith(`Usage: syscage ${command}`)]).toEqual([0, true]);
    }
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('3  inspect: the bundle is tampered with or stale');
  });
});

describe('disasm', () => {
  it('disassembles a raw filter with syscall names, finding the arch from its arch check', async () => {
    const file = join(dir, 'd.bin');
    await runCli(['compile', '--allow', 'fs.read', '--arch', 'aarch64', '-o', file]);
    const run = await runCli(['disasm', file]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: aarch64, \d+ instructions\n0000 {2}A = arch\n0001 {2}if \(arch == AUDIT_ARCH_AARCH64\)/);
    expect(run.stdout).toContain('(openat)');
  });

  it('refuses a file that is neither bytes nor a bundle', async () => {
    const run = await runCli(['disasm', join(dir, 'missing.bin')]);
    expect([run.code, run.stderr]).toEqual([1, `syscage: Cannot read ${join(dir, 'missing.bin')}: no such file.\n`]);
  });
});

describe('explain', () => {
  it('names the capabilities that grant a syscall, with conditions, per arch', async () => {
    const run = await runCli(['explain', 'socket']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('x86_64 (nr 41):');
    expect(run.stdout).toContain('aarch64 (nr 198):');
    expect(run.stdout).toMatch(/net\.connect: arg0 in \[0x2, 0xa\] \(32-bit\) && arg1 & 0xf == 0x1 \(32-bit\)/);
    expect(run.stdout).toContain('answered EACCES when arg0 == 0x10 (32-bit)');
  });

  it('says what is never allowed and what answers ENOSYS', async () => {
    expect((await runCli(['explain', 'ptrace'])).stdout).toContain('never allowed, whatever is declared');
    expect((await runCli(['explain', 'clone3'])).stdout).toContain('always answered ENOSYS, whatever is declared: its flags live in a struct the filter cannot read');
  });

  it('lists what a capability grants and its Landlock meaning, as JSON too', async () => {
    const run = await runCli(['explain', 'net.listen', '--json']);
    const json = JSON.parse(run.stdout);
    expect(json.landlock).toMatch(/bind_tcp/);
    expect(json.arches.map((a: { arch: string }) => a.arch)).toEqual(['x86_64', 'aarch64']);
    expect(json.arches[0].syscalls.map((s: { syscall: string }) => s.syscall)).toEqual(expect.arrayContaining(['listen', 'accept4', 'bind']));
  });

  it('suggests the nearest name', async () => {
    const run = await runCli(['explain', 'conect']);
    expect([run.code, run.stderr]).toEqual([2, 'syscage: "conect" is neither a capability nor a syscall of x86_64 or aarch64.\nDid you mean "connect"?\n']);
  });
});
