/**
 * What a freshly exec'd, dynamically linked program needs to start, allowed by `syscage exec`
 * whatever is declared (like pledge's execpromises): the dynamic loader mapping libraries, libc
 * setting up TLS, locks and signals, and the program reading its limits and identity. Measured
 * with `strace -f` (clone3 and io_uring_setup answered ENOSYS, as under the filter) on `cat`,
 * `sh` (a script and `-c`), `git --version`, `git status` and `node -e 0` on Node 20, 22 and 24;
 * each entry carries its reason. The aarch64 twins (`faccessat`, `readlinkat`) are listed beside
 * the legacy x86_64 names; a name an architecture lacks is skipped by the compiler.
 *
 * Deliberately absent: anything that makes a new process (`spawn`), writes or creates files
 * (`fs.write`), lists directories (`fs.read`) or opens sockets (`net.*`). Which files a program
 * may execute and read is Landlock's business (`exec/landlock.ts`), not seccomp's.
 */

import type { CatalogRule, ConditionSpec } from '@syscage/core';
import {
  CLONE_NAMESPACES,
  CLONE_PTRACE,
  CLONE_THREAD_FLAGS,
  CLONE_UNTRACED,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_SETFD,
  F_SETFL,
  O_RDWR,
  O_WRITE_BITS,
  TCGETS,
  TIOCGPGRP,
  TIOCGWINSZ,
} from '@syscage/core/constants';

/** What no clone may carry: a namespace, ptrace, or CLONE_UNTRACED (as core's catalog says for spawn). */
const CLONE_FORBIDDEN = CLONE_NAMESPACES | CLONE_PTRACE | CLONE_UNTRACED;

const rules = (why: string, ...syscalls: string[]): CatalogRule[] => syscalls.map((syscall) => ({ syscall, why }));
const readOnly = (arg: number): ConditionSpec[] => [{ arg, width: 32, op: 'flags_clear', flags: O_WRITE_BITS }];

/** What any dynamically linked program does between its execve and its first line of `main`. */
export const EXEC_START: readonly CatalogRule[] = [
  ...rules('the exec itself: syscage exec replaces itself with the command (which files may be executed is Landlock\'s business)', 'execve'),
  ...rules('ld.so maps the program and its libraries; malloc grows the heap', 'brk', 'mmap', 'munmap', 'mprotect', 'madvise'),
  ...rules('libc sets up thread-local storage, the robust futex list and restartable sequences', 'arch_prctl', 'set_tid_address', 'set_robust_list', 'rseq'),
  { syscall: 'openat', when: readOnly(2), why: 'ld.so opens /etc/ld.so.cache and the libraries, programs their configuration: read-only (no write, create, truncate, append or tmpfile bit); Landlock decides which files' },
  { syscall: 'open', when: readOnly(1), why: 'the legacy form of the same read-only open' },
  ...(['openat', 'open'] as const).map((syscall): CatalogRule => ({
    syscall,
    when: [{ arg: syscall === 'openat' ? 2 : 1, width: 32, op: 'masked_eq', mask: O_WRITE_BITS, value: O_RDWR }],
    why: 'an existing file read-write, never created, truncated or appended: git opens /dev/null so to make sure descriptors 0-2 are open; Landlock leaves only /dev/null writable without fs.write',
  })),
  ...rules('ld.so and libc read what they opened, examine it and close it', 'read', 'pread64', 'close', 'lseek', 'fstat', 'newfstatat', 'statx', 'fadvise64'),
  ...rules('ld.so probes /etc/ld.so.preload and programs their configuration by path (stat leaks existence, not content)', 'access', 'faccessat', 'faccessat2', 'stat', 'lstat', 'readlink', 'readlinkat'),
  ...rules('writing to the descriptors the program was given (stdout, stderr), and copying between descriptors it holds (cat to a file: copy_file_range, sendfile)', 'write', 'copy_file_range', 'sendfile'),
  ...rules('libc locks, signal set-up and returns from handlers', 'futex', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn'),
  ...rules('identity and facts read at start-up (stack protector seed, uid checks, $PWD, CPU count)', 'getrandom', 'getpid', 'gettid', 'getppid', 'getpgrp', 'getuid', 'geteuid', 'getgid', 'getegid', 'getcwd', 'uname', 'sysinfo', 'sched_getaffinity', 'clock_gettime'),
  { syscall: 'prlimit64', when: [{ arg: 0, width: 32, op: 'eq', value: 0 }], why: 'libc reads its stack limit, Node raises its own open-file limit: only the calling process (pid 0), never another' },
  { syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'in', values: [TCGETS, TIOCGWINSZ, TIOCGPGRP] }], why: 'isatty(), the terminal size and the foreground group (sh); never TIOCSTI' },
  { syscall: 'fcntl', when: [{ arg: 1, width: 32, op: 'in', values: [F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_DUPFD_CLOEXEC] }], why: 'descriptor flags and duplicates (shells move descriptors for redirections)' },
  ...rules('shells rearrange their descriptors for redirections of what they already hold', 'dup2', 'dup3'),
  ...rules('the end', 'exit', 'exit_group'),
];

/** What Node does at start-up, before a program's first line, beyond {@link EXEC_START} and core's Node baseline. */
export const NODE_START: readonly CatalogRule[] = [
  {
    syscall: 'clone',
    when: [{ arg: 0, op: 'flags_set', flags: CLONE_THREAD_FLAGS }, { arg: 0, op: 'flags_clear', flags: CLONE_FORBIDDEN }],
    why: 'V8 platform workers and the libuv threadpool start before the program: threads only, never a namespace or ptrace flag',
  },
  ...rules('the event loop is created: epoll instance, wake-up eventfd, signal pipe', 'epoll_create1', 'eventfd2', 'pipe2'),
  ...rules('V8 probes memory protection keys; Node reads its capabilities', 'pkey_alloc', 'capget'),
];
