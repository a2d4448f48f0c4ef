/**
 * What no declaration can grant, and the few denials that answer ENOSYS instead of the violation
 * action. ENOSYS is for calls libc or libuv probe and fall back from: clone3 (glibc falls back to
 * clone, whose flags the filter can read), io_uring (libuv falls back to epoll and the
 * threadpool; io_uring operations would bypass seccomp) and faccessat2 (glibc falls back to
 * faccessat). Soft denials answer EACCES for calls
 * their callers recover from without a difference the program can see (netlink interface checks,
 * libuv's terminal reopen, a later thread's robust-list registration, Node's capability
 * check, process.report's peer names): an error answer is not an allowed syscall, so the baseline
 * stays smaller without killing anyone. Everything on
 * ALWAYS_DENIED gets the violation action like any undeclared syscall; the list exists so tests
 * can prove no capability grants one.
 */

import type { CapabilityName } from '../dsl/capabilities.ts';
import type { ConditionSpec } from '../policy/types.ts';
import { AF_NETLINK, AF_UNIX, NETLINK_ROUTE, O_NOCTTY, O_RDWR, O_WRITE_BITS, SOCK_STREAM, SOCK_TYPE_MASK } from './constants.ts';

/** A call answered with an error instead of the violation action: its caller carries on without it. */
export interface SoftDenial {
  readonly syscall: string;
  readonly when: readonly ConditionSpec[];
  /** Declaring any of these grants the call instead. */
  readonly unless: readonly CapabilityName[];
  /** Answered so only when one of these is declared (absent: whatever is declared); otherwise a violation like any undeclared call. */
  readonly only?: readonly CapabilityName[];
  readonly why: string;
}

/** `EACCES`, the errno of {@link SOFT_DENIALS}. */
export const SOFT_DENIAL_ERRNO = 13;

/**
 * Probes Node and glibc make on their own and recover from. Killing them would kill ordinary
 * programs; answering EACCES keeps the capability denied and the program running.
 */
export const SOFT_DENIALS: readonly SoftDenial[] = [
  {
    syscall: 'socket',
    when: [{ arg: 0, width: 32, op: 'eq', value: AF_NETLINK }, { arg: 2, width: 32, op: 'eq', value: NETLINK_ROUTE }],
    unless: ['net.listen'],
    why: "getaddrinfo's AI_ADDRCONFIG (every connect by host name) probes the interfaces over NETLINK_ROUTE and goes on without them; os.networkInterfaces() fails with it (\"Unknown system error 13\"; the runtime's violation hint names net.listen). net.listen grants the socket (net.ts: the runtime drops CAP_NET_ADMIN, so it can only read)",
  },
  {
    syscall: 'socket',
    when: [{ arg: 0, width: 32, op: 'eq', value: AF_NETLINK }, { arg: 2, width: 32, op: 'ne', value: NETLINK_ROUTE }],
    unless: [],
    why: 'any other netlink family (audit, netfilter, generic, …): nothing Node does needs one, and no capability grants one; answered like the routing probe so a library that probes one carries on',
  },
  {
    syscall: 'socket',
    when: [
      { arg: 0, width: 32, op: 'eq', value: AF_UNIX },
      { arg: 1, width: 32, op: 'masked_eq', mask: SOCK_TYPE_MASK, value: SOCK_STREAM },
    ],
    unless: ['net.unix'],
    only: ['dns'],
    why: "glibc's name service first asks nscd over a unix stream socket (getaddrinfo, os.userInfo) and, when the socket cannot be made, goes on without nscd (files, then DNS; systemd-resolved's NSS module falls back to the resolv.conf server too). A granted socket could connect to any unix socket: Landlock cannot scope unix socket paths below ABI 9, and docker.sock, D-Bus or X11 mean code outside the sandbox. net.unix grants it",
  },
  ...(['openat', 'open'] as const).map((syscall) => ({
    syscall,
    when: [{ arg: syscall === 'openat' ? 2 : 1, width: 32 as const, op: 'masked_eq' as const, mask: O_WRITE_BITS | O_NOCTTY, value: O_RDWR | O_NOCTTY }],
    unless: ['fs.write'] as const,
    why: 'libuv reopens a terminal read-write (O_NOCTTY) for stdio; refused, it keeps the descriptor it was given',
  })),
  {
    syscall: 'set_robust_list',
    when: [],
    unless: ['spawn'],
    why: "glibc registers each new thread's robust-futex list and ignores the result; the list only matters for robust (owner-died) mutexes, which Node, V8 and libuv do not use. spawn allows it: an exec'd program's glibc disables robust mutexes when it fails at start-up",
  },
  {
    syscall: 'capget',
    when: [],
    unless: ['spawn'],
    why: "Node's SafeGetenv (os.tmpdir(), a Worker's environment options) asks whether the process holds only CAP_NET_BIND_SERVICE; a failed capget answers \"no\", which only makes a setuid/AT_SECURE process ignore its environment, the stricter way. spawn allows it for exec'd programs",
  },
  {
    syscall: 'getpeername',
    when: [],
    unless: ['net.connect', 'net.listen', 'net.udp', 'net.unix', 'dns'],
    why: "process.report asks for the peer of every pipe and socket handle (stdio socketpairs) and leaves it out when the call fails (the matrix's process.report.getReport works). The socket capabilities allow it (socket.remoteAddress)",
  },
];

/** Answered with ENOSYS whatever is declared: callers fall back to something the filter can check. */
export const ENOSYS_SYSCALLS: Readonly<Record<string, string>> = {
  clone3: 'its flags live in a struct the filter cannot read; glibc falls back to clone',
  io_uring_setup: 'ring operations bypass seccomp; libuv falls back to epoll and the threadpool',
  io_uring_enter: 'no ring may exist under the sandbox (the loader makes sure of it)',
  io_uring_register: 'no ring may exist under the sandbox',
  faccessat2: "glibc's faccessat() tries it first and on ENOSYS (kernels before 5.8) falls back to faccessat, or to a stat and its own permission check, both of which fs.read allows; Node and libuv never call it (fs.access is access(), on aarch64 the faccessat syscall), so allowing it would only add a name",
};

/** Never allowed, whatever is declared (tests assert no capability grants one). */
export const ALWAYS_DENIED: readonly string[] = [
  ...Object.keys(ENOSYS_SYSCALLS),
  'ptrace', 'process_vm_readv', 'process_vm_writev', 'process_madvise', 'pidfd_getfd', 'kcmp',
  'bpf', 'perf_event_open', 'userfaultfd',
  'keyctl', 'add_key', 'request_key',
  'mount', 'umount2', 'move_mount', 'open_tree', 'fsopen', 'fsconfig', 'fsmount', 'fspick', 'mount_setattr', 'pivot_root', 'chroot',
  'unshare', 'setns',
  'kexec_load', 'kexec_file_load', 'init_module', 'finit_module', 'delete_module',
  'open_by_handle_at', 'name_to_handle_at',
  'reboot', 'swapon', 'swapoff', 'acct',
  'settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex',
  'sethostname', 'setdomainname',
  'iopl', 'ioperm', 'quotactl', 'quotactl_fd', 'fanotify_init',
  'setfsuid', 'setfsgid', 'capset',
  'lookup_dcookie', 'vhangup', 'syslog', 'uselib', '_sysctl',
];
