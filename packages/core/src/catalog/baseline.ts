/**
 * The Node runtime baseline: what any Node program needs after start-up, allowed whatever is
 * declared. Measured, not guessed: `scripts/baseline/measure.mjs` traces a set of workloads per
 * Node version (the results are in `measured/`), and a test checks that every syscall measured in
 * the baseline workloads is allowed here and that nothing here lacks a reason.
 *
 * Decisions written down:
 * - Reading files Node reads lazily (time-zone data on first Date/Intl use, /proc/self/stat for
 *   process.memoryUsage(), /proc/meminfo, cgroup files for os.availableParallelism(), the modules
 *   and package.json files of a require() or import() after the sandbox point) needs an open for
 *   reading, so the baseline allows read-only opens. seccomp cannot see paths; which
 *   files may be opened is Landlock's business (the implicit read set). Listing directories,
 *   stat-by-path, readlink, access and inotify stay with fs.read.
 * - mmap and mprotect are not argument-checked: V8 maps and protects JIT pages read-write-execute.
 *   madvise is: some advice (MADV_HWPOISON, MADV_SOFT_OFFLINE) reaches beyond the process.
 * - Process and os facts (uid, priority, rusage, umask) are in: reading them is harmless and many
 *   Node APIs ask. Changing them is not (setrlimit), but for the process's own priority
 *   (setpriority on itself only, like kill) and privilege drops (set*id, see below).
 * - Signals: the process may signal itself (abort(), process.kill(process.pid)) but no other; the
 *   filter compares against a placeholder pid the loader binds at install time (SELF_PID).
 * - Kept small (issue 3 counts it: baseline + fs.read on x86_64). A call Node makes after
 *   start-up but does without when it fails is not allowed here: deny.ts answers it with an error
 *   (SOFT_DENIALS: capget, getpeername, set_robust_list of threads started later; ENOSYS:
 *   faccessat2). A call only one capability's work makes belongs to that capability (stat/lstat:
 *   fs.write). Not so rseq: glibc aborts when a new thread cannot register it (found by
 *   scripts/baseline/check.mjs). Every entry below was measured after the program's first line
 *   (measured/, enosys section), or says why it cannot be.
 */

import {
  CLONE_NAMESPACES,
  CLONE_PTRACE,
  CLONE_THREAD_FLAGS,
  CLONE_UNTRACED,
  F_DUPFD,
  F_DUPFD_CLOEXEC,
  F_GETFD,
  F_GETFL,
  F_GETLK,
  F_OFD_GETLK,
  F_OFD_SETLK,
  F_OFD_SETLKW,
  F_SETFD,
  F_SETFL,
  F_SETLK,
  F_SETLKW,
  FIOCLEX,
  MADV_DODUMP,
  MADV_DOFORK,
  MADV_DONTDUMP,
  MADV_DONTFORK,
  MADV_DONTNEED,
  MADV_FREE,
  MADV_HUGEPAGE,
  MADV_KEEPONFORK,
  MADV_NOHUGEPAGE,
  MADV_NORMAL,
  MADV_RANDOM,
  MADV_SEQUENTIAL,
  MADV_WILLNEED,
  MADV_WIPEONFORK,
  FIONBIO,
  FIONCLEX,
  FIONREAD,
  PR_GET_DUMPABLE,
  PR_GET_NAME,
  PR_GET_NO_NEW_PRIVS,
  PR_GET_SECCOMP,
  PR_SET_NAME,
  PR_SET_NO_NEW_PRIVS,
  PRIO_PROCESS,
  SECCOMP_GET_ACTION_AVAIL,
  SECCOMP_SET_MODE_FILTER,
  TCGETS,
  TCSETS,
  TCSETSF,
  TCSETSW,
  TIOCGPTN,
  TIOCGWINSZ,
} from './constants.ts';
import { OPEN_READ_ONLY } from './fs.ts';
import { SELF_PID } from '../bpf/self-pid.ts';
import { plain, type CatalogRule } from './types.ts';

/** Node major versions syscage measures and supports. */
export const NODE_MAJORS = [20, 22, 24, 26] as const;
/** One of {@link NODE_MAJORS}. */
export type NodeMajor = (typeof NODE_MAJORS)[number];


/**
 * Why process.setuid/setgid/seteuid/setegid/setgroups/initgroups are allowed (a root daemon drops
 * to a service user after binding its port), and why that never widens the sandbox:
 * - The sandbox does not hang on the uid. The seccomp filter belongs to the task and the Landlock
 *   domain to its credentials, which every set*id copies; no_new_privs (set before the filter)
 *   keeps execve from turning a uid back into capabilities (setuid binaries, file capabilities).
 * - Without CAP_SETUID/CAP_SETGID the kernel only lets a process move between the real,
 *   effective and saved ids it already holds. With them it can take any identity; for a root
 *   process that also holds CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER, CAP_KILL and
 *   CAP_SYS_PTRACE, no identity reaches a file, process or signal root could not already reach.
 *   A process that holds CAP_SETUID/CAP_SETGID without all of those could reach another user's
 *   files, signals, or /proc/<pid>/mem of that user's processes where no Landlock domain stands
 *   between: the runtime takes CAP_SETUID and CAP_SETGID away from such a process at sandbox time
 *   (its privileges.ts), so its set*id calls fail with EPERM instead.
 * - Landlock (paths, ports, ptrace and signal scopes) does not depend on the uid at all, and
 *   ptrace, process_vm_*, capset and user namespaces stay denied.
 * glibc runs set*id on every thread (nptl's setxid signals each one with tgkill on the process
 * itself, allowed above); setfsuid and setfsgid, which Node never calls, stay denied.
 */
const PRIVILEGE_DROPS = "privilege drops (process.setuid/setgid/seteuid/setegid/setgroups/initgroups, a root daemon after binding its port): the filter and the Landlock domain survive every uid change and no_new_privs keeps execve from regaining privileges; without CAP_SETUID/CAP_SETGID only ids the process already holds are reachable, and the runtime takes those two away from a process lacking root's file, signal and ptrace overrides, so no identity reaches more than the process could (reasoning in baseline.ts)";

const COMMON: readonly CatalogRule[] = [
  ...plain('the heap, V8 code space and thread stacks (V8 JIT pages are RWX, so no prot check)', 'brk', 'mmap', 'munmap', 'mprotect'),
  {
    syscall: 'madvise',
    when: [{ arg: 2, width: 32, op: 'in', values: [MADV_NORMAL, MADV_RANDOM, MADV_SEQUENTIAL, MADV_WILLNEED, MADV_DONTNEED, MADV_FREE, MADV_DONTFORK, MADV_DOFORK, MADV_HUGEPAGE, MADV_NOHUGEPAGE, MADV_DONTDUMP, MADV_DODUMP, MADV_WIPEONFORK, MADV_KEEPONFORK] }],
    why: "advice on the process's own memory: glibc's free and V8's page discards (MADV_DONTNEED, MADV_FREE; measured: DONTNEED and DONTFORK), huge pages (--use-largepages, glibc's hugetlb tunable), core-dump and fork behaviour (OpenSSL's secure heap: DONTDUMP, WIPEONFORK), access hints. Never MADV_HWPOISON or MADV_SOFT_OFFLINE (as root they take a physical page, shared library pages included, away from every process), MADV_MERGEABLE (cross-process page sharing), MADV_REMOVE or MADV_PAGEOUT/COLD",
  },
  {
    syscall: 'clone',
    when: [{ arg: 0, op: 'flags_set', flags: CLONE_THREAD_FLAGS }, { arg: 0, op: 'flags_clear', flags: CLONE_NAMESPACES | CLONE_PTRACE | CLONE_UNTRACED }],
    why: 'threads (libuv threadpool, V8 platform workers): the thread flags, never a namespace or ptrace flag',
  },
  ...plain('thread synchronisation and teardown (futex waits of every thread, thread and process exit)', 'futex', 'exit', 'exit_group'),
  ...plain("every thread glibc starts registers restartable sequences, and glibc aborts the process (\"Fatal glibc error: rseq registration failed\") if that fails once the main thread has them: threadpool threads start after the sandbox (Node 22/24; Node 20 with a CommonJS entry)", 'rseq'),
  ...plain('abort() and raise() find the calling thread with gettid before tgkill; V8 13 (Node 24) also records mutex owners by thread id', 'gettid'),
  ...plain('spin-lock back-off at thread teardown (measured on Node 20 and 24 in a few runs of 8; a run without it was killed)', 'sched_yield'),
  ...plain('os.availableParallelism() and libuv\'s threadpool size; V8 platform threads on Node 22 and 24', 'sched_getaffinity'),
  ...plain('signal handling (SIGINT/SIGTERM handlers, SIGCHLD, SIGWINCH); rt_sigreturn ends every handler', 'rt_sigaction', 'rt_sigprocmask', 'rt_sigreturn'),
  ...plain('the kernel restarts a sleep (a futex or clock_nanosleep with a timeout) interrupted by a handled signal through restart_syscall; never seen in a trace because it only follows a signal', 'restart_syscall'),
  { syscall: 'kill', when: [{ arg: 0, width: 32, op: 'eq', value: SELF_PID }], why: 'process.kill(process.pid, sig) signals the process itself' },
  { syscall: 'tgkill', when: [{ arg: 0, width: 32, op: 'eq', value: SELF_PID }], why: 'abort() and raise() (process.abort(), V8 fatal errors) and the CPU profiler\'s SIGPROF signal a thread of the process itself; not measured (no workload aborts), a kill there would turn an abort into a false "Bad system call"' },
  ...plain('the event loop', 'epoll_ctl', 'epoll_pwait'),
  ...plain('clocks when the vDSO cannot answer (clock sources without a vDSO read, some VMs); never measured here, where the vDSO answers', 'clock_gettime'),
  ...plain('I/O on descriptors the process already holds (stdio, and what it was allowed to open); libuv\'s uv_guess_handle and Node\'s stdio reset at exit call fstat', 'read', 'write', 'close', 'lseek', 'fstat'),
  ...plain("reading at an offset: Node 20 to 24 read a package's package.json with pread64 (their C++ package.json reader) for every require() and import() of a package after the sandbox point, so a declaration without fs.read would kill a program that loads a dependency lazily; fs.read with a position is the same call. The same reach as lseek and read on a descriptor the process holds", 'pread64'),
  ...plain('glibc\'s fstat() is newfstatat(fd, "", AT_EMPTY_PATH); glibc also stats by path when it loads a time zone (TZ set) and in ttyname (a terminal on stdio), so stat by path is no capability of its own (Landlock does not check it either: README, "Security model and limits")', 'newfstatat'),
  ...plain('gathered reads on descriptors the process already holds: fs.readv, fs.readvSync and filehandle.readv without a position (with one they are preadv, fs.read). The same reach as read(2) on the same descriptor; not in the measured workloads, which never call readv without a position', 'readv'),
  ...plain('libuv asks what kind of socket its stdio are (uv_guess_handle: a Node parent passes socketpairs); process.report reads the same', 'getsockname', 'getsockopt'),
  ...plain("libuv's stat: its fstat (fs.promises.readFile) is statx(fd, \"\", AT_EMPTY_PATH), and Node's module loader stats by path to resolve every require() and import() made after the sandbox point (a CommonJS program's chunks and packages, any dynamic import), so a declaration without fs.read would kill a program that loads its own code. Stat by path reaches no more than newfstatat above (metadata, not contents; Landlock does not check it)", 'statx'),
  ...OPEN_READ_ONLY.filter((rule) => rule.syscall === 'openat'),
  ...plain('ICU finds the time zone by resolving /etc/localtime on first Date formatting (http Date headers too); readlinkat is the only form on aarch64 (a policy is the same for every architecture, so x86_64 gets it too)', 'readlink', 'readlinkat'),
  {
    syscall: 'fcntl',
    when: [{ arg: 1, width: 32, op: 'in', values: [F_DUPFD, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK, F_SETLK, F_SETLKW, F_DUPFD_CLOEXEC, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW] }],
    why: 'descriptor flags (O_NONBLOCK, FD_CLOEXEC), dup and record locks; not F_SETOWN/F_SETSIG/leases/pipe sizes',
  },
  {
    syscall: 'ioctl',
    when: [{ arg: 1, width: 32, op: 'in', values: [FIONBIO, FIONREAD, FIOCLEX, FIONCLEX, TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCGPTN] }],
    why: 'non-blocking mode, bytes available, close-on-exec, isatty()/terminal size, whether a terminal is a pty master (libuv, TIOCGPTN), and the terminal modes Node restores at exit when stdio is a terminal (never TIOCSTI)',
  },
  ...plain('randomness (OpenSSL reseeding, crypto.randomBytes) and the pid OpenSSL checks for forks before each draw', 'getrandom', 'getpid'),
  ...plain('os.hostname(), os.release(), os.version(), process.report (uname)', 'uname'),
  ...plain('process and os facts (process.getuid/getgroups/ppid/umask, os.tmpdir, os.getPriority, process.cpuUsage/resourceUsage, process.cwd on Node 24, process.report); their callers report a failure as a wrong value or an exception, so an error answer is no substitute', 'getuid', 'geteuid', 'getgid', 'getegid', 'getgroups', 'getppid', 'getpriority', 'getrusage', 'umask', 'getcwd'),
  {
    syscall: 'setpriority',
    when: [{ arg: 0, width: 32, op: 'eq', value: PRIO_PROCESS }, { arg: 1, width: 32, op: 'in', values: [0, SELF_PID] }],
    why: "os.setPriority() and os.setPriority(process.pid) change the process's own nice value (who 0: the calling thread); another process's stays denied (the pid is bound like kill's), and raising a priority still needs CAP_SYS_NICE. Not measured (no workload changes its priority)",
  },
  ...plain(PRIVILEGE_DROPS, 'setuid', 'setgid', 'setreuid', 'setregid', 'setresuid', 'setresgid', 'setgroups'),
  { syscall: 'prlimit64', when: [{ arg: 2, op: 'eq', value: 0 }], why: 'reading resource limits (libuv reads RLIMIT_STACK for every thread it starts and aborts if it cannot, process.constrainedMemory, process.report); never setting them: new_limit must be NULL' },
  {
    syscall: 'prctl',
    when: [{ arg: 0, width: 32, op: 'in', values: [PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE, PR_GET_SECCOMP, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS] }],
    why: 'thread names (libuv workers, process.title), and reading or tightening the security state',
  },
  {
    syscall: 'seccomp',
    when: [{ arg: 0, width: 32, op: 'in', values: [SECCOMP_SET_MODE_FILTER, SECCOMP_GET_ACTION_AVAIL] }],
    why: 'narrow() stacks a stricter filter; a filter can only take away',
  },
];

/** Node 24 and 26 (V8 13 and 14, measured on both). */
const MUTEX_BACK_OFF = plain('abseil\'s Mutex (V8 13 and 14) reads the waiting thread\'s priority (pthread_getschedparam) and backs off with 1-2 ms sleeps; it logs to stderr if the read fails, so an error answer would change output', 'clock_nanosleep', 'sched_getparam', 'sched_getscheduler');

/** What a Node version needs beyond the common set (measured). */
const BY_VERSION: Readonly<Record<NodeMajor, readonly CatalogRule[]>> = {
  20: [{ syscall: 'pkey_mprotect', why: 'V8 11 protects JIT pages with memory protection keys where the CPU has them' }],
  22: [],
  24: MUTEX_BACK_OFF,
  26: MUTEX_BACK_OFF,
};

/** The baseline for Node `major`, or the union over every supported version when undefined. */
export function nodeBaseline(major?: NodeMajor): readonly CatalogRule[] {
  return [...COMMON, ...(major === undefined ? NODE_MAJORS.flatMap((m) => BY_VERSION[m]) : BY_VERSION[major])];
}
