// BPF instructions executed per syscall, by the simulator: the binary-search layout against a
// linear chain of the same policy, over every syscall the policy allows, plus what the kernel's
// constant-action cache skips entirely. Also writes the compiled filters so bench/kernel-cost can
// time them in the kernel:
//   pnpm build && node bench/bpf-steps/run.mjs [--out .cache/bench] [--json]
//   node bench/kernel-cost/run.mjs --filter tree=.cache/bench/tree.x86_64.bin --filter linear=.cache/bench/linear.x86_64.bin
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ALLOW, ARCHES, ERRNO, EPERM, analyzeCache, compilePolicy, createPolicy, evaluatePolicy, simulate } from '@syscage/core';

const { values } = parseArgs({ options: { out: { type: 'string', default: '.cache/bench' }, json: { type: 'boolean', default: false } } });

// About what a small Node CLI needs: ~110 unconditioned syscalls and 10 argument-checked ones.
const PLAIN = `read write close fstat lseek brk rt_sigaction rt_sigprocmask rt_sigreturn pread64 pwrite64 readv writev
access pipe select sched_yield mremap msync mincore dup dup2 pause nanosleep getitimer alarm setitimer getpid
sendfile shutdown getsockname getpeername getsockopt exit wait4 uname flock fsync fdatasync truncate ftruncate
getdents getcwd chdir fchdir rename mkdir rmdir link unlink symlink readlink chmod fchmod umask gettimeofday
getrlimit getrusage sysinfo times getuid getgid geteuid getegid getppid getpgrp getgroups sigaltstack statfs
fstatfs getpriority sched_getparam sched_getscheduler sched_get_priority_max sched_get_priority_min gettid
time futex sched_getaffinity set_tid_address epoll_wait epoll_ctl tgkill clock_gettime clock_getres
clock_nanosleep exit_group getdents64 newfstatat readlinkat faccessat pselect6 ppoll set_robust_list
get_robust_list epoll_pwait eventfd2 epoll_create1 dup3 pipe2 preadv pwritev prlimit64 getrandom statx rseq
memfd_create copy_file_range preadv2 pwritev2 faccessat2 epoll_pwait2 close_range getresuid getresgid restart_syscall`
  .split(/\s+/)
  .filter(Boolean);

const CONDITIONED = [
  { syscall: 'fcntl', when: [{ arg: 1, width: 32, op: 'in', values: [0, 1, 2, 3, 4, 1030] }] },
  { syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'in', values: [0x5401, 0x5413, 0x5421, 0x541b] }] },
  { syscall: 'openat', when: [{ arg: 2, width: 32, op: 'flags_clear', flags: 0o1003 | 0o100 | 0o1000 }] },
  { syscall: 'open', when: [{ arg: 1, width: 32, op: 'flags_clear', flags: 0o1003 | 0o100 | 0o1000 }] },
  { syscall: 'mmap', when: [{ arg: 3, width: 32, op: 'flags_clear', flags: 0x100000 }] },
  { syscall: 'mprotect', when: [{ arg: 2, op: 'flags_clear', flags: 0xfffffff8n }] },
  { syscall: 'madvise', when: [{ arg: 2, width: 32, op: 'in', values: [4, 10] }] },
  { syscall: 'socket', when: [{ arg: 0, width: 32, op: 'eq', value: 1 }] },
  { syscall: 'clone', when: [{ arg: 0, op: 'flags_set', flags: 0x10000 }, { arg: 0, op: 'flags_clear', flags: 0x7e020000 }] },
  { syscall: 'kill', when: [{ arg: 1, width: 32, op: 'eq', value: 0 }] },
];

const policy = createPolicy({
  defaultAction: ERRNO(EPERM),
  rules: [...CONDITIONED.map((r) => ({ ...r, action: ALLOW })), ...PLAIN.map((syscall) => ({ syscall, action: ALLOW }))],
});

/** Executed instructions for one typical allowed call of each syscall the policy allows on `arch`. */
function steps(program, arch) {
  const rows = [];
  for (const rule of policy.rules) {
    const nr = arch.syscalls[rule.syscall];
    if (nr === undefined) continue;
    const args = [0n, 0n, 0n, 0n, 0n, 0n];
    for (const c of rule.when) args[c.arg] |= c.op === 'in' ? c.values[0] : c.op === 'eq' ? c.value : c.op === 'flags_set' ? c.flags : 0n;
    const data = { nr, arch: arch.auditArch, args };
    if (evaluatePolicy(policy, arch, data).kind !== 'ALLOW') throw new Error(`bench policy does not allow its own ${rule.syscall} sample`);
    rows.push({ syscall: rule.syscall, conditioned: rule.when.length > 0, executed: simulate(program, data).executed });
  }
  return rows;
}

const summary = (rows) => {
  const n = rows.map((r) => r.executed);
  return { max: Math.max(...n), mean: n.reduce((a, b) => a + b, 0) / n.length };
};

const report = [];
mkdirSync(values.out, { recursive: true });
for (const arch of Object.values(ARCHES)) {
  const result = { arch: arch.name, allowed: 0 };
  for (const layout of ['tree', 'linear']) {
    const compiled = compilePolicy(policy, arch.name, { layout });
    writeFileSync(join(values.out, `${layout}.${arch.name}.bin`), compiled.bytes);
    const rows = steps(compiled.instructions, arch);
    result.allowed = rows.length;
    const cache = analyzeCache(compiled.instructions, arch);
    result[layout] = {
      instructions: compiled.instructions.length,
      all: summary(rows),
      conditioned: summary(rows.filter((r) => r.conditioned)),
      cachedAllowed: cache.cached.length,
    };
  }
  report.push(result);
}

if (values.json) console.log(JSON.stringify(report, null, 2));
else {
  console.log(`policy: ${PLAIN.length} unconditioned + ${CONDITIONED.length} argument-checked syscalls (names absent on an arch are skipped there)`);
  for (const r of report) {
    const { tree, linear } = r;
    const f = (x) => x.toFixed(1);
    console.log(`\n${r.arch}: ${r.allowed} allowed syscalls`);
    console.log(`  layout   insns  executed max/mean (all)   max/mean (arg-checked)  kernel-cached`);
    for (const [name, x] of [['tree', tree], ['linear', linear]]) {
      console.log(`  ${name.padEnd(7)} ${String(x.instructions).padStart(5)}  ${String(x.all.max).padStart(8)} / ${f(x.all.mean).padStart(6)}      ${String(x.conditioned.max).padStart(8)} / ${f(x.conditioned.mean).padStart(6)}   ${x.cachedAllowed}`);
    }
    console.log(`  linear/tree executed: max ${f(linear.all.max / tree.all.max)}×, mean ${f(linear.all.mean / tree.all.mean)}×`);
  }
  console.log(`\nfilters written to ${values.out}/{tree,linear}.<arch>.bin`);
}
