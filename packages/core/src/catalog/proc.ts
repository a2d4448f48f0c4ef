/**
 * spawn, worker and signal. Threads are part of the baseline (Node has them before user code);
 * a new *process* needs spawn, which also allows what a freshly exec'd program needs to start,
 * since children inherit the filter (like pledge's execpromises). No capability allows a clone
 * with a namespace flag, and clone3, whose flags the filter cannot read, answers ENOSYS (deny.ts).
 */

import { CLONE_NAMESPACES, CLONE_PTRACE, CLONE_THREAD, CLONE_UNTRACED, O_RDWR, O_WRITE_BITS, PR_CAPBSET_READ } from './constants.ts';
import { OPEN_READ_ONLY } from './fs.ts';
import { plain, type CatalogRule } from './types.ts';

/** Never allowed in any clone: new namespaces, being traced. */
const CLONE_FORBIDDEN = CLONE_NAMESPACES | CLONE_PTRACE | CLONE_UNTRACED;

export const SPAWN: readonly CatalogRule[] = [
  {
    syscall: 'clone',
    when: [{ arg: 0, op: 'flags_clear', flags: CLONE_FORBIDDEN | CLONE_THREAD }],
    why: 'a new process: fork (libuv), or CLONE_VM|CLONE_VFORK (posix_spawn); never a namespace or ptrace flag',
  },
  ...plain('fork and vfork themselves (x86_64 only)', 'fork', 'vfork'),
  ...plain('replace the child with the program (which executables is Landlock\'s business)', 'execve', 'execveat'),
  ...plain('stdio pipes and the exec-error pipe between parent and child', 'socketpair', 'pipe', 'pipe2', 'dup2', 'dup3'),
  ...plain('libuv sizes and shuts down the socketpairs it uses for piped stdio', 'setsockopt', 'getsockopt', 'shutdown'),
  ...plain('wait for and reap children (signalling them, subprocess.kill, is `signal`)', 'wait4', 'waitid'),
  ...plain('fork()\'s IPC channel passes messages and handles over its socketpair', 'sendmsg', 'recvmsg'),
  ...plain('the spawn cwd option: the child changes directory before exec', 'chdir', 'fchdir'),
  ...plain('detached children start a session or process group', 'setsid', 'setpgid', 'getpgid', 'getsid'),
  ...plain('spawnSync and execSync run a private event loop', 'epoll_create1', 'eventfd2'),
  ...plain('a spawned Node\'s own start-up (measured: the startup sets in measured/): V8 probes memory protection keys', 'pkey_alloc', 'sysinfo', 'capget'),
  { syscall: 'prlimit64', when: [{ arg: 0, width: 32, op: 'eq', value: 0 }], why: 'a spawned Node raises its own open-file limit at start-up; only its own (pid 0), never another process\'s' },
  { syscall: 'prctl', when: [{ arg: 0, width: 32, op: 'eq', value: PR_CAPBSET_READ }], why: "an exec'd program linked with libcap (ip, and many more) reads the capability bounding set in libcap's constructor; reading only" },
  ...plain('sleeping programs (sleep, timeouts in shell scripts)', 'clock_nanosleep', 'nanosleep'),
  ...plain('an exec\'d dynamic program\'s start-up: loader, TLS, limits (read-only), its own metadata', 'arch_prctl', 'set_tid_address', 'set_robust_list', 'rseq', 'access', 'faccessat', 'readlink', 'readlinkat', 'getppid', 'getpgrp', 'getcwd', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups', 'uname', 'sysinfo', 'statfs', 'fstatfs', 'fadvise64', 'getdents64', 'statx', 'newfstatat', 'stat', 'lstat', 'pread64'),
  ...OPEN_READ_ONLY,
  ...(['openat', 'open'] as const).map((syscall) => ({
    syscall,
    when: [{ arg: syscall === 'openat' ? 2 : 1, width: 32 as const, op: 'masked_eq' as const, mask: O_WRITE_BITS, value: O_RDWR }],
    why: 'stdio: "ignore" opens /dev/null read-write in the child; existing files only (no create, truncate, append). Landlock narrows it to /dev/null',
  })),
];

export const WORKER: readonly CatalogRule[] = [
  ...plain("a worker's own event loop and wake-ups", 'epoll_create1', 'eventfd2', 'pipe2'),
  ...plain("a worker's isolate start-up asks for its identity and limits; its capget is answered EACCES (deny.ts)", 'getcwd', 'getuid', 'geteuid', 'getgid', 'getegid', 'sched_getaffinity'),
  ...plain('a worker maps the node binary again, found through /proc/self/exe', 'readlink', 'readlinkat'),
];

export const SIGNAL: readonly CatalogRule[] = [...plain('signal any process (signal: true); without it only the process itself', 'kill', 'tgkill', 'tkill', 'rt_sigqueueinfo', 'rt_tgsigqueueinfo', 'pidfd_send_signal', 'pidfd_open')];
