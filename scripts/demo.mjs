// The README's main job: the seed program's hand-written policy, compiled by @syscage/core into a
// seccomp-BPF filter, printed as disassembly with the kernel-cache report and a few simulated calls;
// then a real Node program sandboxed by @syscage/runtime, showing an allowed and a blocked action.
// Run it with `./run demo` (or `pnpm build && pnpm demo`).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  ALLOW, KILL_PROCESS, analyzeCache, compilePolicy, createPolicy, describeReturn, disassemble, getArch, simulate, syscallNumber,
} from '@syscage/core';

const O_ACCMODE_AND_CREATE = 0o3 | 0o100 | 0o1000; // O_WRONLY|O_RDWR, O_CREAT, O_TRUNC
const PROT_EXEC = 0x4;

// What the seed (a syslog parser) needed: read its input, write to stdout/stderr, map memory
// without execute permission, and exit. Everything else kills the process.
const policy = createPolicy({
  defaultAction: KILL_PROCESS,
  rules: [
    ...['read', 'close', 'fstat', 'newfstatat', 'lseek', 'brk', 'munmap', 'exit_group', 'rt_sigreturn'].map((syscall) => ({ syscall, action: ALLOW })),
    { syscall: 'write', when: [{ arg: 0, width: 32, op: 'in', values: [1, 2] }], action: ALLOW },
    { syscall: 'openat', when: [{ arg: 2, width: 32, op: 'flags_clear', flags: O_ACCMODE_AND_CREATE }], action: ALLOW },
    { syscall: 'mmap', when: [{ arg: 2, op: 'flags_clear', flags: PROT_EXEC }], action: ALLOW },
  ],
});

const arch = getArch('x86_64');
const filter = compilePolicy(policy, 'x86_64');
const sha = createHash('sha256').update(filter.bytes).digest('hex');
console.log(`syscage: the seed program's policy, compiled for ${arch.name}`);
console.log(`${policy.rules.length} rules, default KILL_PROCESS → ${filter.instructions.length} instructions, ${filter.bytes.length} bytes, sha256 ${sha.slice(0, 16)}…\n`);
console.log(disassemble(filter.instructions, arch));

const cache = analyzeCache(filter.instructions, arch);
console.log(`\nkernel constant-action cache: ${cache.cached.join(', ')} run no BPF at all`);

const call = (label, name, args = [], dataArch = arch.auditArch) => {
  const nr = typeof name === 'number' ? name : syscallNumber('x86_64', name);
  const { action, executed } = simulate(filter.instructions, { nr, arch: dataArch, args: args.map(BigInt) });
  console.log(`  ${label.padEnd(36)} → ${describeReturn(action).padEnd(13)} (${executed} instructions)`);
};
console.log('\nsimulated calls:');
call('write(1, buf, n)', 'write', [1]);
call('openat(AT_FDCWD, path, O_RDONLY)', 'openat', [-100, 0, 0]);
call('write(7, buf, n)', 'write', [7]);
call('openat(…, O_WRONLY|O_CREAT)', 'openat', [-100, 0, 0o101]);
call('mmap(…, PROT_READ|PROT_EXEC)', 'mmap', [0, 4096, 5]);
call('socket(AF_INET, …)', 'socket', [2, 1]);
call('write via x32 (nr | 0x40000000)', 0x40000001, [1]);
call('i386 int 0x80 write', 4, [1], 0x40000003);
console.log(`\naarch64: ${compilePolicy(policy, 'aarch64').instructions.length} instructions for the same policy`);

console.log('\nsyscage: a real program, sandboxed with sandbox({ fs: { read: true } }) (scripts/demo-program.mjs):');
const run = spawnSync(process.execPath, [new URL('demo-program.mjs', import.meta.url).pathname], { encoding: 'utf8' });
process.stdout.write(run.stdout);
if (run.signal === 'SIGSYS') console.log('  blocked: the kernel killed it with SIGSYS ("Bad system call") at the write');
else {
  console.log(`  unexpected end: exit ${run.status}, signal ${run.signal}\n${run.stderr}`);
  process.exitCode = 1;
}
