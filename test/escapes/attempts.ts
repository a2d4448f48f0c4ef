/**
 * The escape attempts as data: which probe.c attempt, what it is aimed at, what the sandbox must
 * answer when the declaration does not grant it, which capability (if any) does grant it, and what
 * the same attempt does unsandboxed. escapes.test.ts replays every row under several declarations
 * and modes; README.md explains the rows. Nothing here runs anything.
 */
import type { Capabilities, CapabilityName, ViolationMode } from '@syscage/core';

/**
 * What a denied attempt must get.
 * - `deny`: killed by SIGSYS in kill mode, EPERM in errno mode.
 * - `deny-or-kill`: as `deny`, but errno mode may also kill: the argument carries high bits in a
 *   32-bit (`int`) parameter, which the filter refuses outright where it checks that argument.
 * - `kill`: SIGSYS in both modes (a foreign ABI: the arch or x32 check comes before everything).
 * - `enosys`: ENOSYS in both modes, never run (clone3, io_uring: callers fall back).
 * - `eacces`: EACCES in both modes (the sandbox's soft denials: probes callers recover from, such as
 *   getaddrinfo's netlink interface check; and Landlock's answer for paths outside the declaration
 *   and for other processes' /proc/PID/mem and environ).
 * - `deny-or-eacces`: as `deny` under declarations whose filter refuses the call, EACCES under those
 *   that let it reach Landlock or a soft denial (an AF_UNIX stream socket with `dns`; a read-write
 *   open of /proc/PID/mem with `spawn` or `fs.write`). The per-Node cases in limits.ts pin which.
 * - `deny-or-eperm`: as `deny`, or EPERM in both modes where Landlock's scope answers (a datagram
 *   to an abstract unix socket outside the domain, from a socketpair `spawn` allows).
 * - `eacces-or-eperm`: EACCES or EPERM in both modes, never a kill: a soft denial, or, where the
 *   call is granted, the kernel's own refusal (a route change without CAP_NET_ADMIN).
 */
export type Answer = 'deny' | 'deny-or-kill' | 'kill' | 'enosys' | 'eacces' | 'deny-or-eacces' | 'deny-or-eperm' | 'eacces-or-eperm';

/** What the attempt's argument is; the test supplies the value for each run. */
export type Aim =
  | 'none'
  | 'victim' // pid of a `probe target` process started by the test
  | 'victim-memory' // `PID:ADDR` of that process's buffer
  | 'init' // pid 1
  | 'runner' // the test runner's pid
  | 'tty' // descriptor 0, the slave of a pty the test made
  | 'arena' // a fresh directory holding `victim` and `deletable`
  | 'handle'; // the file handle of arena/victim, made unsandboxed

/** One escape attempt. */
export interface Attempt {
  /** Unique within the table: the probe attempt, plus the aim where one attempt has several. */
  readonly id: string;
  /** The attempt's name in probe.c. */
  readonly attempt: string;
  readonly aim: Aim;
  readonly answer: Answer;
  /** Declaring any of these allows it; `baseline`: always allowed; absent: never allowed. */
  readonly grantedBy?: readonly CapabilityName[] | 'baseline';
  /** Whether the granted form must really work (false where the granted form is itself odd). */
  readonly positive?: boolean;
  /** What means it worked, when not `ok ...` (execve replaces the program, which exits 42). */
  readonly success?: RegExp;
  /** The control in the Node process, where it differs: the kernel refuses some calls to a multi-threaded process by itself. */
  readonly nodeControl?: 'reaches';
  /** Unsandboxed: `ok` (the call succeeds), or `reaches` (any answer but the sandbox's own). */
  readonly control: 'ok' | 'reaches';
  /** Where it runs: `both` (in the Node process and in a spawned probe), or only one of them. */
  readonly where?: 'both' | 'in-process' | 'probe';
  /** What the kernel must offer for the attempt to be made at all: `ia32`, the i386 entry (`int $0x80`). */
  readonly needs?: 'ia32';
}

const row = (id: string, aim: Aim, answer: Answer, control: Attempt['control'], extra: Partial<Attempt> = {}): Attempt => ({
  id,
  attempt: id,
  aim,
  answer,
  control,
  ...extra,
});

const SOCKETS_TCP: readonly CapabilityName[] = ['net.connect', 'net.listen', 'dns'];
const WRITE: readonly CapabilityName[] = ['fs.write'];
const SIGNAL: readonly CapabilityName[] = ['signal'];
const SPAWN: readonly CapabilityName[] = ['spawn'];

/** Every attempt, in the order a batch makes them (execve last: it would replace the process). */
export const ATTEMPTS: readonly Attempt[] = [
  // Foreign ABIs. x32 is compiled out of this kernel (ENOSYS unsandboxed), so only a filter
  // that checks the x32 bit itself can kill it. Without IA32 emulation `int $0x80` faults
  // (SIGSEGV) whatever the filter says: the i386 rows are then skipped.
  row('x32-getpid', 'none', 'kill', 'reaches'),
  row('x32-kill', 'init', 'kill', 'reaches'),
  row('int80-getpid', 'none', 'kill', 'ok', { needs: 'ia32' }),
  row('int80-kill', 'init', 'kill', 'ok', { needs: 'ia32' }),
  row('int80-socket-inet', 'none', 'kill', 'ok', { needs: 'ia32' }),
  // clone3 and io_uring: ENOSYS whatever is declared.
  row('clone3', 'none', 'enosys', 'ok'),
  row('clone3-newuser', 'none', 'enosys', 'ok'),
  row('io-uring-setup', 'none', 'enosys', 'ok'),
  row('io-uring-enter', 'none', 'enosys', 'reaches'),
  row('io-uring-register', 'none', 'enosys', 'reaches'),
  // Namespaces: never, not even with spawn.
  row('clone-newuser', 'none', 'deny', 'ok'),
  row('clone-newuser-hibits', 'none', 'deny', 'ok'),
  row('clone-newns', 'none', 'deny', 'ok'),
  row('clone-newnet', 'none', 'deny', 'ok'),
  row('clone-newpid', 'none', 'deny', 'ok'),
  // Other processes' memory and the kernel's attack surface.
  row('ptrace-seize', 'victim', 'deny', 'ok'),
  row('ptrace-traceme', 'none', 'deny', 'ok', { where: 'probe' }),
  row('process-vm-writev', 'victim-memory', 'deny', 'ok'),
  row('process-vm-readv', 'victim-memory', 'deny', 'ok'),
  // The same through /proc: Landlock's domain scopes ptrace, so a process outside it is out of
  // reach even where the filter lets the open through (issue 12, item 3).
  row('proc-mem-read', 'victim-memory', 'eacces', 'ok'),
  row('proc-mem-write', 'victim-memory', 'deny-or-eacces', 'ok'),
  row('proc-environ', 'victim', 'eacces', 'ok'),
  row('pidfd-getfd', 'victim', 'deny', 'ok'),
  row('bpf', 'none', 'deny', 'ok'),
  // Privileged memory advice: as root, poisoning a shared library's page kills everyone mapping it.
  row('madvise-hwpoison', 'none', 'deny', 'reaches'),
  row('madvise-soft-offline', 'none', 'deny', 'reaches'),
  row('userfaultfd', 'none', 'deny', 'ok'),
  row('perf-event-open', 'none', 'deny', 'ok'),
  row('personality-addr-no-randomize', 'none', 'deny', 'ok'),
  row('personality-read-implies-exec', 'none', 'deny', 'ok'),
  row('open-by-handle-at', 'handle', 'deny', 'ok'),
  row('name-to-handle-at', 'arena', 'deny', 'ok'),
  // Terminal injection: never, not even with tty. tty-tcsets shows terminal modes can be set.
  row('tiocsti', 'tty', 'deny', 'ok'),
  row('tiocsti-hibits', 'tty', 'deny-or-kill', 'ok'),
  row('tioclinux', 'tty', 'deny', 'reaches'),
  // Setting terminal modes is in the baseline: Node restores them at exit when stdio is a terminal.
  row('tty-tcsets', 'tty', 'deny', 'ok', { grantedBy: 'baseline' }),
  // Signals to anyone but the process itself need `signal` (signal 0: nothing is delivered).
  // A process may signal itself; the loader binds the sandboxed process's pid into the filter, so
  // a child it spawned (which inherits the filter) may not, unless signal is declared.
  row('kill-self', 'none', 'deny', 'ok', { grantedBy: 'baseline', where: 'in-process' }),
  { ...row('kill-self', 'none', 'deny', 'ok', { grantedBy: SIGNAL, where: 'probe' }), id: 'kill-self-child' },
  { ...row('kill', 'init', 'deny', 'ok', { grantedBy: SIGNAL }), id: 'kill-init' },
  { ...row('kill', 'runner', 'deny', 'ok', { grantedBy: SIGNAL }), id: 'kill-runner' },
  { ...row('kill', 'victim', 'deny', 'ok', { grantedBy: SIGNAL }), id: 'kill-victim' },
  row('kill-all', 'none', 'deny', 'ok', { grantedBy: SIGNAL }),
  row('kill-group', 'none', 'deny', 'ok', { grantedBy: SIGNAL }),
  row('tkill', 'victim', 'deny', 'ok', { grantedBy: SIGNAL }),
  row('tgkill', 'victim', 'deny', 'ok', { grantedBy: SIGNAL }),
  row('rt-sigqueueinfo', 'victim', 'deny', 'ok', { grantedBy: SIGNAL }),
  row('pidfd-send-signal', 'victim', 'deny', 'ok', { grantedBy: SIGNAL }),
  // Sockets: families and types by capability; packet, raw, crypto and most netlink never.
  row('socket-inet', 'none', 'deny', 'ok', { grantedBy: SOCKETS_TCP }),
  row('socket-inet6', 'none', 'deny', 'ok', { grantedBy: SOCKETS_TCP }),
  row('socket-inet-hibits', 'none', 'deny-or-kill', 'ok', { grantedBy: SOCKETS_TCP, positive: false }),
  row('socket-udp', 'none', 'deny', 'ok', { grantedBy: ['net.udp', 'dns'] }),
  // dns asks nscd over a unix stream socket; that socket is answered EACCES (glibc goes on without
  // nscd), so dns reaches no unix socket: docker.sock, D-Bus, X11 (issue 12, item 2).
  row('socket-unix', 'none', 'deny-or-eacces', 'ok', { grantedBy: ['net.unix'] }),
  row('unix-connect', 'victim', 'deny-or-eacces', 'ok', { grantedBy: ['net.unix'] }),
  row('abstract-connect', 'victim', 'deny-or-eacces', 'ok', { grantedBy: ['net.unix'] }),
  // spawn's socketpair can address any datagram socket; Landlock's scope keeps abstract ones inside.
  row('abstract-dgram', 'victim', 'deny-or-eperm', 'ok', { grantedBy: ['net.unix'], positive: false }),
  // Netlink: only net.listen grants NETLINK_ROUTE (os.networkInterfaces(); the runtime drops
  // CAP_NET_ADMIN, so it can only read); every other netlink socket, and NETLINK_ROUTE without
  // net.listen, is answered EACCES, so getaddrinfo's AI_ADDRCONFIG probe carries on (catalog/deny.ts).
  row('netlink-route', 'none', 'eacces', 'ok', { grantedBy: ['net.listen'] }),
  row('socket-inet-raw', 'none', 'deny', 'ok'),
  row('socket-packet', 'none', 'deny', 'ok'),
  row('socket-alg', 'none', 'deny', 'reaches'),
  row('netlink-audit', 'none', 'eacces', 'ok'),
  row('netlink-sock-diag', 'none', 'eacces', 'ok'),
  row('netlink-uevent', 'none', 'eacces', 'ok'),
  row('netlink-netfilter', 'none', 'eacces', 'ok'),
  row('netlink-generic', 'none', 'eacces', 'ok'),
  row('netlink-xfrm', 'none', 'eacces', 'ok'),
  // A route change: no socket (EACCES), or with net.listen the kernel's EPERM (no CAP_NET_ADMIN).
  row('netlink-route-newaddr', 'none', 'eacces-or-eperm', 'ok'),
  // Files: seccomp lets read-only opens through (Node's lazy readers); Landlock refuses files outside
  // the declared paths and the implicit read set with EACCES. Anything that writes needs fs.write.
  row('openat-read', 'arena', 'eacces', 'ok', { grantedBy: ['fs.read', 'fs.write'] }),
  row('openat-wronly', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  // O_RDWR|O_APPEND: a write. (spawn allows plain O_RDWR on existing files, for stdio: 'ignore'
  // opening /dev/null in the child; Landlock narrows that to /dev/null.)
  row('openat-rdwr', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('openat-creat', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('openat-trunc', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('openat-tmpfile', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('openat-wronly-hibits', 'arena', 'deny-or-kill', 'ok', { grantedBy: WRITE, positive: false }),
  row('open-wronly', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('open-trunc', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('open-creat', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('creat', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('openat2-wronly', 'arena', 'deny', 'ok', { grantedBy: WRITE, positive: false }),
  row('truncate', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('unlink', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  row('mkdir', 'arena', 'deny', 'ok', { grantedBy: WRITE }),
  // Modes, owners and times: Landlock has no right for them, so the filter allows them only with
  // `fs.write: true` (limits.ts tries them under a write list). Descriptor forms included: an
  // O_PATH or read-only descriptor of a file outside the write list must not reach it either.
  ...['chmod', 'fchmodat', 'chown', 'lchown', 'fchownat', 'utimensat', 'utimes', 'futimesat', 'utime', 'fchownat-empty-path'].map((id) => row(id, 'arena', 'deny', 'ok', { grantedBy: WRITE, positive: id !== 'utime' })),
  // Through a read-only descriptor: Landlock refuses the open itself where the arena is not readable.
  ...['fchmod-rdonly', 'fchown-rdonly', 'futimens-rdonly'].map((id) => row(id, 'arena', 'deny-or-eacces', 'ok', { grantedBy: WRITE })),
  // fchmodat2 (Linux 6.6) is newer than the syscall tables: ENOSYS, as for any unknown number.
  row('fchmodat2', 'arena', 'enosys', 'ok'),
  row('fchmodat2-empty-path', 'arena', 'enosys', 'ok'),
  // Namespaces of the process itself (late: when one gets through, it changes what later rows see).
  row('unshare-newuser', 'none', 'deny', 'ok', { nodeControl: 'reaches' }),
  row('unshare-newns', 'none', 'deny', 'ok'),
  row('unshare-newnet', 'none', 'deny', 'ok'),
  row('setns-net', 'none', 'deny', 'ok'),
  // New processes need spawn.
  row('fork', 'none', 'deny', 'ok', { grantedBy: SPAWN }),
  row('vfork', 'none', 'deny', 'ok', { grantedBy: SPAWN }),
  row('clone-fork', 'none', 'deny', 'ok', { grantedBy: SPAWN }),
  row('execve', 'none', 'deny', 'ok', { grantedBy: SPAWN, success: /exit:? ?42\b/ }),
];

/** Every capability name of the public vocabulary (DESIGN.md). */
export const ALL: readonly CapabilityName[] = ['fs.read', 'fs.write', 'net.connect', 'net.listen', 'net.udp', 'net.unix', 'dns', 'spawn', 'worker', 'tty', 'signal'];

/** Whether declaring `names` grants `attempt`. */
export function grants(names: readonly CapabilityName[], attempt: Attempt): boolean {
  if (attempt.grantedBy === 'baseline') return true;
  return attempt.grantedBy?.some((name) => names.includes(name)) ?? false;
}

/** Every capability except those that grant `attempt`: the widest declaration that must still stop it. */
export function allBut(attempt: Attempt): readonly CapabilityName[] {
  const granting = attempt.grantedBy === 'baseline' ? ALL : (attempt.grantedBy ?? []);
  return ALL.filter((name) => !granting.includes(name));
}

/** A readable name for a declaration: `{}`, `{fs.read, spawn}`, `everything`, `everything but signal`. */
export function label(names: readonly CapabilityName[]): string {
  if (names.length === ALL.length) return 'everything';
  const missing = ALL.filter((name) => !names.includes(name));
  if (names.length > missing.length) return `everything but ${missing.join(', ')}`;
  return `{${names.join(', ')}}`;
}

/** The `sandbox()` argument that declares exactly `names`. */
export function declaration(names: readonly CapabilityName[], onViolation: ViolationMode): Capabilities {
  const has = (name: CapabilityName): boolean => names.includes(name);
  const fs = { ...(has('fs.read') ? { read: true } : {}), ...(has('fs.write') ? { write: true } : {}) };
  const net = {
    ...(has('net.connect') ? { connect: true } : {}),
    ...(has('net.listen') ? { listen: true } : {}),
    ...(has('net.udp') ? { udp: true } : {}),
    ...(has('net.unix') ? { unix: true } : {}),
  };
  return {
    ...(Object.keys(fs).length > 0 ? { fs } : {}),
    ...(Object.keys(net).length > 0 ? { net } : {}),
    ...(has('dns') ? { dns: true } : {}),
    ...(has('spawn') ? { spawn: true } : {}),
    ...(has('worker') ? { worker: true } : {}),
    ...(has('tty') ? { tty: true } : {}),
    ...(has('signal') ? { signal: true } : {}),
    onViolation,
  };
}
