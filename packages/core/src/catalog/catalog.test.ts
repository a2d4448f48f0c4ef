import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getArch, syscallNumber } from '../arch/index.ts';
import { compilePolicy } from '../bpf/compile.ts';
import { simulate } from '../bpf/simulate.ts';
import { CAPABILITY_NAMES, type CapabilityName } from '../dsl/capabilities.ts';
import { describeAction, encodeAction } from '../policy/action.ts';
import { evaluatePolicy } from '../policy/evaluate.ts';
import type { Policy } from '../policy/types.ts';
import { NODE_MAJORS, nodeBaseline, type NodeMajor } from './baseline.ts';
import { CAPABILITY_RULES, buildPolicy } from './build-policy.ts';
import { ALWAYS_DENIED, ENOSYS_SYSCALLS, SOFT_DENIALS } from './deny.ts';
import type { MeasuredNodeBaseline } from './measured/types.ts';
import { resolveCapabilities } from './resolve.ts';
import { SELF_PID, bindSelfPid } from '../bpf/self-pid.ts';

const x86 = getArch('x86_64');
const everything = resolveCapabilities({ fs: true, net: true, dns: true, spawn: true, worker: true, tty: true, signal: true });
const measured = (major: NodeMajor): MeasuredNodeBaseline =>
  JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'measured', `node-${major}.json`), 'utf8')) as MeasuredNodeBaseline;

/** What the policy answers for a syscall called with all-zero arguments, or for its first allowed variant. */
function allowedNames(policy: Policy): Set<string> {
  return new Set(policy.rules.filter((r) => r.action.kind === 'ALLOW').map((r) => r.syscall));
}

describe('the catalog', () => {
  it('gives every rule a reason', () => {
    const all = [...NODE_MAJORS.flatMap((m) => nodeBaseline(m)), ...Object.values(CAPABILITY_RULES).flat()];
    expect(all.filter((rule) => rule.why.trim().length < 10)).toEqual([]);
  });

  it.each(NODE_MAJORS)('never grants an always-denied syscall, whatever is declared (Node %i)', (node) => {
    const allowed = allowedNames(buildPolicy(everything, { node }));
    expect(ALWAYS_DENIED.filter((name) => allowed.has(name))).toEqual([]);
  });

  it('lists in `unless` every capability that grants a syscall it answers EACCES outright', () => {
    const wrong = SOFT_DENIALS.filter((soft) => soft.when.length === 0).flatMap((soft) =>
      CAPABILITY_NAMES.filter((name) => CAPABILITY_RULES[name].some((rule) => rule.syscall === soft.syscall) && !soft.unless.includes(name)).map((name) => `${soft.syscall}: ${name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('never both allows and answers EACCES for a baseline syscall', () => {
    const outright = new Set(SOFT_DENIALS.filter((soft) => soft.when.length === 0).map((soft) => soft.syscall));
    expect(NODE_MAJORS.flatMap((m) => nodeBaseline(m)).filter((rule) => outright.has(rule.syscall)).map((rule) => rule.syscall)).toEqual([]);
  });

  it('answers clone3 and io_uring with ENOSYS so libc and libuv fall back', () => {
    const policy = buildPolicy(everything);
    for (const name of Object.keys(ENOSYS_SYSCALLS)) {
      const nr = syscallNumber('x86_64', name) ?? -1;
      expect(describeAction(evaluatePolicy(policy, x86, { nr, arch: x86.auditArch })), name).toBe('ERRNO(ENOSYS)');
    }
  });

  it('kills what is not declared by default, and answers EPERM with onViolation errno', () => {
    const socket = { nr: syscallNumber('x86_64', 'socket') ?? -1, arch: x86.auditArch, args: [2n, 1n] };
    expect(describeAction(evaluatePolicy(buildPolicy(resolveCapabilities({})), x86, socket))).toBe('KILL_PROCESS');
    expect(describeAction(evaluatePolicy(buildPolicy(resolveCapabilities({ onViolation: 'errno' })), x86, socket))).toBe('ERRNO(EPERM)');
  });

  it('never allows a thread clone with a namespace flag, nor a process clone without spawn', () => {
    const clone = syscallNumber('x86_64', 'clone') ?? -1;
    const thread = 0x3d0f00n; // glibc pthread_create
    const fork = 0x1200011n; // CLONE_CHILD_SETTID|CLONE_CHILD_CLEARTID|SIGCHLD
    const base = buildPolicy(resolveCapabilities({}));
    const spawn = buildPolicy(resolveCapabilities({ spawn: true }));
    const answer = (policy: Policy, flags: bigint) => describeAction(evaluatePolicy(policy, x86, { nr: clone, arch: x86.auditArch, args: [flags] }));
    expect([answer(base, thread), answer(base, fork), answer(spawn, fork)]).toEqual(['ALLOW', 'KILL_PROCESS', 'ALLOW']);
    expect([answer(base, thread | 0x10000000n), answer(spawn, fork | 0x10000000n), answer(spawn, fork | 0x20000n)]).toEqual(['KILL_PROCESS', 'KILL_PROCESS', 'KILL_PROCESS']);
  });

  it('never allows TIOCSTI or TIOCLINUX, even with tty, and kills a request with high bits', () => {
    const ioctl = syscallNumber('x86_64', 'ioctl') ?? -1;
    const tty = buildPolicy(resolveCapabilities({ tty: true }));
    const answer = (request: bigint) => describeAction(evaluatePolicy(tty, x86, { nr: ioctl, arch: x86.auditArch, args: [0n, request] }));
    expect([answer(0x5402n), answer(0x5412n), answer(0x541cn), answer(0x1_0000_5401n)]).toEqual(['ALLOW', 'KILL_PROCESS', 'KILL_PROCESS', 'KILL_PROCESS']);
  });

  it('opens read-only in the baseline, for writing only with fs.write', () => {
    const openat = syscallNumber('x86_64', 'openat') ?? -1;
    const answer = (policy: Policy, flags: number) => describeAction(evaluatePolicy(policy, x86, { nr: openat, arch: x86.auditArch, args: [0n, 0n, BigInt(flags)] }));
    const base = buildPolicy(resolveCapabilities({}));
    const write = buildPolicy(resolveCapabilities({ fs: { write: ['./out'] } }));
    expect([answer(base, 0o2000000), answer(base, 0o101), answer(base, 0o2), answer(write, 0o1101)]).toEqual(['ALLOW', 'KILL_PROCESS', 'KILL_PROCESS', 'ALLOW']);
  });

  it('lets the process signal itself only, once the loader binds its pid', () => {
    const kill = syscallNumber('x86_64', 'kill') ?? -1;
    const filter = bindSelfPid(compilePolicy(buildPolicy(resolveCapabilities({})), 'x86_64').bytes, 4242);
    const answer = (pid: bigint) => simulate(filter, { nr: kill, arch: x86.auditArch, args: [pid, 15n] }).action;
    expect([answer(4242n), answer(4243n), answer(BigInt(SELF_PID))]).toEqual([0x7fff0000, 0x80000000, 0x80000000]);
  });
});

describe('issue 13: calls Node programs make that were killed', () => {
  const answer = (policy: Policy, name: string, args: bigint[]) => describeAction(evaluatePolicy(policy, x86, { nr: syscallNumber('x86_64', name) ?? -1, arch: x86.auditArch, args }));
  const base = buildPolicy(resolveCapabilities({}));

  it('reads gathered on held descriptors in the baseline (fs.readv without a position)', () => {
    expect(answer(base, 'readv', [3n, 0n, 2n])).toBe('ALLOW');
  });

  it('lets a process change its own priority only (who 0 or its own pid)', () => {
    const filter = bindSelfPid(compilePolicy(base, 'x86_64').bytes, 4242);
    const nr = syscallNumber('x86_64', 'setpriority') ?? -1;
    const run = (which: bigint, who: bigint) => simulate(filter, { nr, arch: x86.auditArch, args: [which, who, 5n] }).action;
    expect([run(0n, 0n), run(0n, 4242n), run(0n, 4243n), run(1n, 0n), run(2n, 0n)]).toEqual([0x7fff0000, 0x7fff0000, 0x80000000, 0x80000000, 0x80000000]);
  });

  it('allows privilege drops (set*id) in the baseline, never setfsuid or capset', () => {
    for (const name of ['setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setgroups']) expect(answer(base, name, [1000n]), name).toBe('ALLOW');
    const all = buildPolicy(everything);
    for (const name of ['setfsuid', 'setfsgid', 'capset']) expect(answer(all, name, [1000n]), name).toBe('KILL_PROCESS');
  });

  it('makes FIFOs with fs.write, never devices', () => {
    const write = buildPolicy(resolveCapabilities({ fs: { write: ['./out'] } }));
    const read = buildPolicy(resolveCapabilities({ fs: { read: true } }));
    const S_IFIFO = 0o010000n;
    const S_IFCHR = 0o020000n;
    const S_IFBLK = 0o060000n;
    expect([answer(write, 'mknodat', [0n, 0n, S_IFIFO | 0o644n]), answer(write, 'mknod', [0n, S_IFIFO | 0o600n]), answer(read, 'mknodat', [0n, 0n, S_IFIFO | 0o644n])]).toEqual(['ALLOW', 'ALLOW', 'KILL_PROCESS']);
    expect([answer(write, 'mknodat', [0n, 0n, S_IFCHR | 0o644n]), answer(write, 'mknodat', [0n, 0n, S_IFBLK]), answer(write, 'mknod', [0n, S_IFCHR]), answer(write, 'mknodat', [0n, 0n, 0o644n])]).toEqual(['KILL_PROCESS', 'KILL_PROCESS', 'KILL_PROCESS', 'KILL_PROCESS']);
  });

  it('grants a NETLINK_ROUTE socket with net.listen only; other netlink families never', () => {
    const listen = buildPolicy(resolveCapabilities({ net: { listen: [8080] } }));
    const connect = buildPolicy(resolveCapabilities({ net: { connect: true }, dns: true }));
    const AF_NETLINK = 16n;
    const route = (type: bigint) => [AF_NETLINK, type, 0n];
    expect([answer(listen, 'socket', route(3n | 0x80000n)), answer(listen, 'socket', route(2n)), answer(listen, 'socket', route(1n))]).toEqual(['ALLOW', 'ALLOW', 'KILL_PROCESS']);
    expect([answer(base, 'socket', route(3n)), answer(connect, 'socket', route(3n | 0x80000n))]).toEqual(['ERRNO(EACCES)', 'ERRNO(EACCES)']);
    for (const family of [9n /* AUDIT */, 12n /* NETFILTER */, 16n /* GENERIC */]) expect(answer(buildPolicy(everything), 'socket', [AF_NETLINK, 3n, family])).toBe('ERRNO(EACCES)');
  });
});

describe.each(NODE_MAJORS)('the catalog covers what Node %i was measured doing', (node) => {
  const data = measured(node).enosys;
  const enosys = new Set(Object.keys(ENOSYS_SYSCALLS));
  const areas: ReadonlyArray<[string, readonly string[], readonly CapabilityName[]]> = [
    // Loading modules after the sandbox point (a lazy require() or import() of a package or a chunk) needs no capability.
    ['baseline', ['empty', 'empty-cjs', 'empty-file', 'empty-extra-ca', 'console', 'console-file', 'timers', 'exit-code', 'exit-reject', 'exit-throw', 'crypto-zlib', 'date-intl', 'gc-jit-wasm', 'os-info', 'signals', 'stdin', 'modules'], []],
    ['fs.read', ['fs-read', 'fs-watch'], ['fs.read', 'fs.write']],
    ['fs.write', ['fs-write'], ['fs.write']],
    ['net', ['tcp', 'http', 'fetch', 'tls-context'], ['net.connect', 'net.listen']],
    ['udp', ['udp'], ['net.udp']],
    ['unix', ['unix'], ['net.unix', 'fs.write']],
    ['dns', ['dns-lookup'], ['dns']],
    ['spawn', ['child-process', 'child-fork'], ['spawn', 'net.unix', 'signal']],
    ['worker', ['worker'], ['worker']],
  ];
  it.each(areas)('%s', (_, workloads, grants) => {
    // The workloads ran with `true` declarations: scoped capabilities are granted for any path.
    const scopes = Object.fromEntries(grants.filter((g) => ['fs.read', 'fs.write', 'spawn', 'net.connect', 'net.listen'].includes(g)).map((g) => [g, 'any' as const]));
    const policy = buildPolicy({ grants: new Set(grants), scopes, onViolation: 'kill', unsupported: 'error', landlock: 'enforce', lateStart: 'warn' }, { node });
    const allowed = allowedNames(policy);
    const answered = new Set(policy.rules.filter((r) => r.action.kind === 'ERRNO' && r.when.length === 0).map((r) => r.syscall));
    const missing = workloads.flatMap((w) => Object.keys(data.workloads[w]?.syscalls ?? {}).filter((s) => !allowed.has(s) && !enosys.has(s) && !answered.has(s)).map((s) => `${w}: ${s}`));
    expect(missing).toEqual([]);
    expect(workloads.every((w) => data.workloads[w] !== undefined)).toBe(true);
  });
});

describe('policies compile for both architectures', () => {
  it.each(CAPABILITY_NAMES)('%s', (name) => {
    const policy = buildPolicy({ grants: new Set([name]), scopes: {}, onViolation: 'kill', unsupported: 'error', landlock: 'enforce', lateStart: 'warn' });
    for (const arch of ['x86_64', 'aarch64'] as const) expect(compilePolicy(policy, arch).instructions.length).toBeLessThan(600);
    expect(encodeAction(policy.defaultAction)).toBe(0x80000000);
  });
});
