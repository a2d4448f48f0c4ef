/*
 * escape probe: makes one known attempt to get around a seccomp sandbox and prints what the kernel
 * did. The escape suite (escapes.test.ts) runs it inside sandboxed Node programs, where every
 * attempt must be stopped, and unsandboxed, where the same attempt must work (so the suite can
 * fail). It never installs a filter: the sandbox under test does that.
 *
 * Built twice from this file (harness.ts compiles and caches both):
 *   probe           an executable, run by a sandboxed Node program through a declared `spawn`
 *                   (children inherit the sandbox), or directly by the test as the control;
 *   libescape.so    (-DESCAPE_LIBRARY) loaded with ffi-rs BEFORE `sandbox()`, so that the same
 *                   attempts run inside the sandboxed Node process itself, without `spawn`.
 *
 * Usage of the executable:
 *   probe ATTEMPT [ARG]     make one attempt; print `ok VALUE` or `errno N` (or die of SIGSYS),
 *                           prefixed with `outcome ID ` when SYSCAGE_ESCAPE_STEP=ID is set
 *   probe list              print every attempt's name
 *   probe target            a victim: print `target PID ADDR` (ADDR: a 64-byte buffer holding
 *                           "untouched"), wait for EOF on stdin, then print `buffer TEXT`; it also
 *                           listens on the abstract unix names `syscage-escape-PID` (stream) and
 *                           `syscage-escape-dgram-PID` (datagram), and on the unix socket
 *                           /tmp/syscage-escape-PID.sock, counting what reaches them
 *   probe handle PATH       print PATH's `struct file_handle` as hex (for open-by-handle)
 *   probe pty-exec CMD...   run CMD with the slave of a fresh pty as stdin (fd 0: the one
 *                           descriptor above stdout Node's re-execution is sure to keep); when it
 *                           ends, print `pty STATUS RECEIVED_HEX` (what the master read: echo)
 * The library exports `const char *escape_attempt(const char *name, const char *arg)`, which
 * returns the same one-line text.
 *
 * Every attempt reports as soon as its forbidden call returns and cleans nothing up afterwards:
 * a clean-up call the sandbox denies would kill the process and hide a successful escape.
 * Allowed attempts must stay harmless when they really run (as root here): signal 0, the test's
 * own victim process, pty and files; an escaped fork's child exits at once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/perf_event.h>
#include <linux/rtnetlink.h>
#include <linux/sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

extern char **environ;

/* What one attempt got: `err` 0 means the call succeeded and returned `value`. */
struct outcome {
  long value;
  int err;
};

/* Wraps a libc-style return (-1 and errno on failure). */
static struct outcome result(long ret) {
  struct outcome o = {ret, ret == -1 ? errno : 0};
  return o;
}

/* The child of an escaped fork/clone leaves at once, without returning into its caller. */
static struct outcome forked(long ret) {
  if (ret == 0) {
    syscall(SYS_exit_group, 0);
    __builtin_trap();
  }
  return result(ret);
}

static long number(const char *text) { return strtol(text, NULL, 0); }

/* ---- foreign ABIs: the filter must check the arch and the x32 bit before the number ---------- */

#define X32_BIT 0x40000000L

/* The i386 entry on x86_64: eax = nr, ebx ecx edx = args; a compat call returns 32 bits. */
static long int80(long nr, long a, long b, long c) {
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "0"(nr), "b"(a), "c"(b), "d"(c) : "memory", "cc", "r8", "r9", "r10", "r11");
  ret = (long)(int)ret;
  if (ret < 0 && ret >= -4095) {
    errno = (int)-ret;
    return -1;
  }
  return ret;
}

static struct outcome x32_getpid(const char *arg) { (void)arg; return result(syscall(X32_BIT | SYS_getpid)); }
static struct outcome x32_kill(const char *arg) { return result(syscall(X32_BIT | SYS_kill, number(arg), 0)); }
static struct outcome int80_getpid(const char *arg) { (void)arg; return result(int80(20, 0, 0, 0)); }
static struct outcome int80_kill(const char *arg) { return result(int80(37, number(arg), 0, 0)); }
static struct outcome int80_socket(const char *arg) { (void)arg; return result(int80(359, AF_INET, SOCK_STREAM, 0)); }

/* ---- new processes and namespaces -------------------------------------------------------------- */

static struct outcome clone3_with(unsigned long long flags) {
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = flags;
  args.exit_signal = SIGCHLD;
  return forked(syscall(SYS_clone3, &args, sizeof args));
}

static struct outcome clone3_plain(const char *arg) { (void)arg; return clone3_with(0); }
static struct outcome clone3_newuser(const char *arg) { (void)arg; return clone3_with(CLONE_NEWUSER); }
static struct outcome clone_with(unsigned long flags) { return forked(syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0)); }
static struct outcome clone_fork(const char *arg) { (void)arg; return clone_with(0); }
static struct outcome clone_newuser(const char *arg) { (void)arg; return clone_with(CLONE_NEWUSER); }
static struct outcome clone_newuser_hibits(const char *arg) { (void)arg; return clone_with(1UL << 32 | CLONE_NEWUSER); }
static struct outcome clone_newns(const char *arg) { (void)arg; return clone_with(CLONE_NEWNS); }
static struct outcome clone_newnet(const char *arg) { (void)arg; return clone_with(CLONE_NEWNET); }
static struct outcome clone_newpid(const char *arg) { (void)arg; return clone_with(CLONE_NEWPID); }
static struct outcome fork_raw(const char *arg) { (void)arg; return forked(syscall(SYS_fork)); }

/* vfork's child shares the caller's stack, so it must not return from a function: the whole
 * round trip, and the child's exit, stay inside this one asm block. */
static struct outcome vfork_raw(const char *arg) {
  (void)arg;
  long ret;
  __asm__ volatile("syscall\n\t"
                   "test %%rax, %%rax\n\t"
                   "jnz 1f\n\t"
                   "mov $60, %%eax\n\t" /* the child: exit(0) */
                   "xor %%edi, %%edi\n\t"
                   "syscall\n\t"
                   "1:"
                   : "=a"(ret)
                   : "0"((long)SYS_vfork)
                   : "rcx", "rdi", "r11", "memory", "cc");
  if (ret < 0) errno = (int)-ret, ret = -1;
  return result(ret);
}

/* Node's stdio descriptors are close-on-exec, so an escaped exec shows in its exit status: 42. */
static struct outcome execve_sh(const char *arg) {
  (void)arg;
  char *argv[] = {"/bin/sh", "-c", "exit 42", NULL};
  return result(syscall(SYS_execve, argv[0], argv, environ));
}

static struct outcome unshare_newuser(const char *arg) { (void)arg; return result(syscall(SYS_unshare, CLONE_NEWUSER)); }
static struct outcome unshare_newns(const char *arg) { (void)arg; return result(syscall(SYS_unshare, CLONE_NEWNS)); }
static struct outcome unshare_newnet(const char *arg) { (void)arg; return result(syscall(SYS_unshare, CLONE_NEWNET)); }

static struct outcome setns_net(const char *arg) {
  (void)arg;
  long fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return result(fd);
  return result(syscall(SYS_setns, fd, CLONE_NEWNET));
}

/* ---- other processes: ARG is `PID` or `PID:ADDR` (a victim started by `probe target`) ---------- */

static unsigned long address_of(const char *arg) {
  const char *colon = strchr(arg, ':');
  return colon ? strtoul(colon + 1, NULL, 16) : 0;
}

static struct outcome ptrace_seize(const char *arg) { return result(syscall(SYS_ptrace, 0x4206 /* PTRACE_SEIZE */, number(arg), 0, 0)); }
static struct outcome ptrace_traceme(const char *arg) { (void)arg; return result(syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 0, 0, 0)); }

static struct outcome vm_writev(const char *arg) {
  char text[] = "PWNED";
  struct iovec local = {text, sizeof text}, remote = {(void *)address_of(arg), sizeof text};
  return result(syscall(SYS_process_vm_writev, number(arg), &local, 1, &remote, 1, 0));
}

static struct outcome vm_readv(const char *arg) {
  char text[16];
  struct iovec local = {text, sizeof text}, remote = {(void *)address_of(arg), sizeof text};
  return result(syscall(SYS_process_vm_readv, number(arg), &local, 1, &remote, 1, 0));
}

static struct outcome pidfd_getfd(const char *arg) {
  long pidfd = syscall(SYS_pidfd_open, number(arg), 0);
  if (pidfd < 0) return result(pidfd);
  return result(syscall(SYS_pidfd_getfd, pidfd, 0, 0));
}

static struct outcome kill_pid(const char *arg) { return result(syscall(SYS_kill, number(arg), 0)); }
static struct outcome kill_self(const char *arg) { (void)arg; return result(syscall(SYS_kill, getpid(), 0)); }
static struct outcome kill_all(const char *arg) { (void)arg; return result(syscall(SYS_kill, -1, 0)); }
static struct outcome kill_group(const char *arg) { (void)arg; return result(syscall(SYS_kill, 0, 0)); }
static struct outcome tkill_pid(const char *arg) { return result(syscall(SYS_tkill, number(arg), 0)); }
static struct outcome tgkill_pid(const char *arg) { return result(syscall(SYS_tgkill, number(arg), number(arg), 0)); }

static struct outcome sigqueue_pid(const char *arg) {
  siginfo_t info;
  memset(&info, 0, sizeof info);
  info.si_code = SI_QUEUE;
  info.si_pid = getpid();
  info.si_uid = getuid();
  return result(syscall(SYS_rt_sigqueueinfo, number(arg), 0, &info));
}

static struct outcome pidfd_signal(const char *arg) {
  long pidfd = syscall(SYS_pidfd_open, number(arg), 0);
  if (pidfd < 0) return result(pidfd);
  return result(syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0));
}

/* ---- kernel attack surface no declaration grants ------------------------------------------------ */

static struct outcome bpf_map(const char *arg) {
  (void)arg;
  union bpf_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.map_type = BPF_MAP_TYPE_ARRAY;
  attr.key_size = 4;
  attr.value_size = 4;
  attr.max_entries = 1;
  return result(syscall(SYS_bpf, BPF_MAP_CREATE, &attr, sizeof attr));
}

static struct outcome userfault(const char *arg) { (void)arg; return result(syscall(SYS_userfaultfd, O_CLOEXEC)); }

static struct outcome perf_open(const char *arg) {
  (void)arg;
  struct perf_event_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.type = PERF_TYPE_SOFTWARE;
  attr.size = sizeof attr;
  attr.config = PERF_COUNT_SW_CPU_CLOCK;
  attr.disabled = 1;
  return result(syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0));
}

static struct outcome personality_set(unsigned long persona) { return result(syscall(SYS_personality, persona)); }
static struct outcome no_randomize(const char *arg) { (void)arg; return personality_set(0x0040000); }
static struct outcome read_implies_exec(const char *arg) { (void)arg; return personality_set(0x0400000); }

static struct outcome uring_setup(const char *arg) {
  (void)arg;
  unsigned char params[120]; /* struct io_uring_params, zeroed: default ring */
  memset(params, 0, sizeof params);
  return result(syscall(SYS_io_uring_setup, 8, params));
}

static struct outcome uring_enter(const char *arg) { (void)arg; return result(syscall(SYS_io_uring_enter, -1, 0, 0, 0, NULL, 0)); }
static struct outcome uring_register(const char *arg) { (void)arg; return result(syscall(SYS_io_uring_register, -1, 0, NULL, 0)); }

/* ---- terminals: ARG is a descriptor of a pty slave (0) -------------------------------------- */

static struct outcome tty_ioctl(const char *arg, unsigned long request) {
  char byte = 'x';
  return result(syscall(SYS_ioctl, number(arg), request, &byte));
}

static struct outcome tiocsti(const char *arg) { return tty_ioctl(arg, TIOCSTI); }
/* The kernel keeps only the low 32 bits of an ioctl request: this is TIOCSTI to the tty layer. */
static struct outcome tiocsti_hibits(const char *arg) { return tty_ioctl(arg, 1UL << 32 | TIOCSTI); }
static struct outcome tioclinux(const char *arg) { return tty_ioctl(arg, TIOCLINUX); }

static struct outcome tcsets(const char *arg) {
  struct termios t;
  if (syscall(SYS_ioctl, number(arg), TCGETS, &t) != 0) return result(-1);
  return result(syscall(SYS_ioctl, number(arg), TCSETS, &t));
}

/* ---- files: ARG is a directory holding `victim` ("intact\n") and `deletable` ------------------ */

static const char *in_dir(const char *dir, const char *name) {
  static char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  return path;
}

/* An open that succeeded writes, so that the damage shows in the file, then reports. */
static struct outcome opened(long fd) {
  if (fd >= 0) (void)!write((int)fd, "PWNED\n", 6);
  return result(fd);
}

static struct outcome at(const char *dir, const char *name, unsigned long flags) {
  return opened(syscall(SYS_openat, AT_FDCWD, in_dir(dir, name), flags, 0600));
}

static struct outcome legacy(const char *dir, const char *name, unsigned long flags) {
  return opened(syscall(SYS_open, in_dir(dir, name), flags, 0600));
}

static struct outcome openat_read(const char *arg) { return result(syscall(SYS_openat, AT_FDCWD, in_dir(arg, "victim"), O_RDONLY)); }
static struct outcome openat_wronly(const char *arg) { return at(arg, "victim", O_WRONLY | O_APPEND); }
static struct outcome openat_rdwr(const char *arg) { return at(arg, "victim", O_RDWR | O_APPEND); }
static struct outcome openat_creat(const char *arg) { return at(arg, "created-openat", O_RDONLY | O_CREAT); }
static struct outcome openat_trunc(const char *arg) { return at(arg, "victim", O_RDONLY | O_TRUNC); }
static struct outcome openat_wronly_hibits(const char *arg) { return at(arg, "victim", 1UL << 32 | O_WRONLY | O_APPEND); }
static struct outcome openat_tmpfile(const char *arg) { return opened(syscall(SYS_openat, AT_FDCWD, arg, O_TMPFILE | O_RDWR, 0600)); }
static struct outcome open_wronly(const char *arg) { return legacy(arg, "victim", O_WRONLY | O_APPEND); }
static struct outcome open_trunc(const char *arg) { return legacy(arg, "victim", O_RDONLY | O_TRUNC); }
static struct outcome open_creat(const char *arg) { return legacy(arg, "created-open", O_RDONLY | O_CREAT); }
static struct outcome creat_file(const char *arg) { return opened(syscall(SYS_creat, in_dir(arg, "created-creat"), 0600)); }

static struct outcome openat2_wronly(const char *arg) {
  struct open_how how;
  memset(&how, 0, sizeof how);
  how.flags = O_WRONLY | O_APPEND;
  return opened(syscall(SYS_openat2, AT_FDCWD, in_dir(arg, "victim"), &how, sizeof how));
}

static struct outcome truncate_file(const char *arg) { return result(syscall(SYS_truncate, in_dir(arg, "victim"), 0)); }
static struct outcome unlink_file(const char *arg) { return result(syscall(SYS_unlink, in_dir(arg, "deletable"))); }
static struct outcome mkdir_dir(const char *arg) { return result(syscall(SYS_mkdir, in_dir(arg, "created-dir"), 0700)); }

#define HANDLE_MAX 128

static struct outcome name_to_handle(const char *arg) {
  struct {
    unsigned int bytes;
    int type;
    unsigned char data[HANDLE_MAX];
  } fh = {HANDLE_MAX, 0, {0}};
  int mount_id;
  return result(syscall(SYS_name_to_handle_at, AT_FDCWD, in_dir(arg, "victim"), &fh, &mount_id, 0));
}

/* ARG: the hex of a whole `struct file_handle`, as `probe handle` prints it. */
static struct outcome open_by_handle(const char *arg) {
  unsigned char fh[8 + HANDLE_MAX];
  size_t n = 0;
  for (; n < sizeof fh && sscanf(arg + 2 * n, "%2hhx", &fh[n]) == 1; n++) continue;
  return result(syscall(SYS_open_by_handle_at, AT_FDCWD, fh, O_RDONLY));
}

/* ---- sockets -------------------------------------------------------------------------------- */

static struct outcome sock(long domain, long type, long protocol) { return result(syscall(SYS_socket, domain, type, protocol)); }
static struct outcome socket_inet(const char *arg) { (void)arg; return sock(AF_INET, SOCK_STREAM, 0); }
static struct outcome socket_inet_hibits(const char *arg) { (void)arg; return sock(1L << 32 | AF_INET, SOCK_STREAM, 0); }
static struct outcome socket_inet6(const char *arg) { (void)arg; return sock(AF_INET6, SOCK_STREAM, 0); }
static struct outcome socket_udp(const char *arg) { (void)arg; return sock(AF_INET, SOCK_DGRAM, 0); }
static struct outcome socket_unix(const char *arg) { (void)arg; return sock(AF_UNIX, SOCK_STREAM, 0); }
static struct outcome socket_inet_raw(const char *arg) { (void)arg; return sock(AF_INET, SOCK_RAW, 1 /* ICMP */); }
static struct outcome socket_packet(const char *arg) { (void)arg; return sock(AF_PACKET, SOCK_RAW, 0x0300 /* htons(ETH_P_ALL) */); }
static struct outcome socket_alg(const char *arg) { (void)arg; return sock(AF_ALG, SOCK_SEQPACKET, 0); }
static struct outcome netlink(long protocol) { return sock(AF_NETLINK, SOCK_RAW, protocol); }
static struct outcome netlink_route(const char *arg) { (void)arg; return netlink(NETLINK_ROUTE); }
static struct outcome netlink_audit(const char *arg) { (void)arg; return netlink(NETLINK_AUDIT); }
static struct outcome netlink_sock_diag(const char *arg) { (void)arg; return netlink(NETLINK_SOCK_DIAG); }
static struct outcome netlink_uevent(const char *arg) { (void)arg; return netlink(NETLINK_KOBJECT_UEVENT); }
static struct outcome netlink_netfilter(const char *arg) { (void)arg; return netlink(NETLINK_NETFILTER); }
static struct outcome netlink_generic(const char *arg) { (void)arg; return netlink(NETLINK_GENERIC); }
static struct outcome netlink_xfrm(const char *arg) { (void)arg; return netlink(NETLINK_XFRM); }

/* A privileged rtnetlink request (add an address) for an interface that does not exist: the
 * kernel checks CAP_NET_ADMIN first, so ENODEV means "this process may reconfigure the network",
 * EPERM means it may not. Nothing changes either way. Reported as `ok ERRNO` when the request
 * passed the capability check. */
static struct outcome netlink_newaddr(const char *arg) {
  (void)arg;
  long fd = syscall(SYS_socket, AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
  if (fd < 0) return result(fd);
  struct {
    struct nlmsghdr nh;
    struct ifaddrmsg ifa;
    struct rtattr rta;
    unsigned char addr[4];
  } req;
  memset(&req, 0, sizeof req);
  req.nh.nlmsg_len = sizeof req;
  req.nh.nlmsg_type = RTM_NEWADDR;
  req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
  req.ifa.ifa_family = AF_INET;
  req.ifa.ifa_prefixlen = 32;
  req.ifa.ifa_index = 0x7fffffff;
  req.rta.rta_type = IFA_LOCAL;
  req.rta.rta_len = RTA_LENGTH(4);
  memcpy(req.addr, (unsigned char[]){127, 0, 0, 254}, 4);
  struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
  if (syscall(SYS_sendto, fd, &req, sizeof req, 0, &kernel, sizeof kernel) < 0) return result(-1);
  union {
    struct nlmsghdr nh;
    unsigned char bytes[512];
  } answer;
  long n = syscall(SYS_recvfrom, fd, &answer, sizeof answer, 0, NULL, NULL);
  if (n < 0) return result(n);
  if (answer.nh.nlmsg_type != NLMSG_ERROR) return (struct outcome){-1, EPROTO};
  int error = -((struct nlmsgerr *)NLMSG_DATA(&answer.nh))->error;
  if (error == EPERM) return (struct outcome){-1, EPERM};
  return (struct outcome){error, 0};
}

/* ---- other processes through /proc, and unix sockets outside the sandbox ------------------- */

static struct outcome proc_open(const char *arg, const char *entry, int flags) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%ld/%s", number(arg), entry);
  return result(syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC));
}

static struct outcome proc_mem_read(const char *arg) {
  struct outcome fd = proc_open(arg, "mem", O_RDONLY);
  if (fd.err) return fd;
  char text[16];
  return result(syscall(SYS_pread64, fd.value, text, sizeof text, address_of(arg)));
}

static struct outcome proc_mem_write(const char *arg) {
  struct outcome fd = proc_open(arg, "mem", O_RDWR);
  if (fd.err) return fd;
  char text[] = "PWNED";
  return result(syscall(SYS_pwrite64, fd.value, text, sizeof text, address_of(arg)));
}

static struct outcome proc_environ(const char *arg) {
  struct outcome fd = proc_open(arg, "environ", O_RDONLY);
  if (fd.err) return fd;
  char text[64];
  return result(syscall(SYS_read, fd.value, text, sizeof text));
}

/* A unix address: an abstract name (leading '@') or a path; returns its length. */
static socklen_t unix_address(struct sockaddr_un *addr, const char *name) {
  memset(addr, 0, sizeof *addr);
  addr->sun_family = AF_UNIX;
  size_t length = strlen(name);
  if (length >= sizeof addr->sun_path) length = sizeof addr->sun_path - 1;
  memcpy(addr->sun_path, name, length);
  if (name[0] == '@') addr->sun_path[0] = '\0';
  return (socklen_t)(offsetof(struct sockaddr_un, sun_path) + length);
}

static struct outcome unix_stream_connect(const char *name) {
  struct sockaddr_un addr;
  socklen_t length = unix_address(&addr, name);
  long fd = syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return result(fd);
  return result(syscall(SYS_connect, fd, &addr, length));
}

static struct outcome abstract_connect(const char *arg) {
  char name[64];
  snprintf(name, sizeof name, "@syscage-escape-%ld", number(arg));
  return unix_stream_connect(name);
}

static struct outcome unix_connect(const char *arg) {
  char name[64];
  snprintf(name, sizeof name, "/tmp/syscage-escape-%ld.sock", number(arg));
  return unix_stream_connect(name);
}

/* A datagram socketpair needs no AF_UNIX socket(): only spawn's socketpair. sendmsg (which spawn
 * allows for fork()'s IPC channel) may still address any datagram socket, abstract ones included. */
static struct outcome abstract_dgram(const char *arg) {
  struct sockaddr_un addr;
  char name[64];
  snprintf(name, sizeof name, "@syscage-escape-dgram-%ld", number(arg));
  socklen_t length = unix_address(&addr, name);
  int pair[2];
  if (syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) != 0) return result(-1);
  char byte = 'x';
  struct iovec io = {&byte, 1};
  struct msghdr message = {.msg_name = &addr, .msg_namelen = length, .msg_iov = &io, .msg_iovlen = 1};
  return result(syscall(SYS_sendmsg, pair[0], &message, 0));
}

/* ---- attribute changes (modes, owners, times) of a file outside any write list --------------- */

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static struct outcome path_only(const char *arg) {
  /* An O_PATH descriptor: no Landlock right is needed to get one. */
  return result(syscall(SYS_openat, AT_FDCWD, in_dir(arg, "victim"), O_PATH | O_CLOEXEC));
}

static struct outcome read_only(const char *arg) {
  return result(syscall(SYS_openat, AT_FDCWD, in_dir(arg, "victim"), O_RDONLY | O_CLOEXEC));
}

static struct outcome attr_chmod(const char *arg) { return result(syscall(SYS_chmod, in_dir(arg, "victim"), 04777)); }
static struct outcome attr_fchmodat(const char *arg) { return result(syscall(SYS_fchmodat, AT_FDCWD, in_dir(arg, "victim"), 04777)); }
static struct outcome attr_fchmodat2(const char *arg) { return result(syscall(SYS_fchmodat2, AT_FDCWD, in_dir(arg, "victim"), 04777, 0)); }
static struct outcome attr_chown(const char *arg) { return result(syscall(SYS_chown, in_dir(arg, "victim"), getuid(), getgid())); }
static struct outcome attr_lchown(const char *arg) { return result(syscall(SYS_lchown, in_dir(arg, "victim"), getuid(), getgid())); }
static struct outcome attr_fchownat(const char *arg) { return result(syscall(SYS_fchownat, AT_FDCWD, in_dir(arg, "victim"), getuid(), getgid(), 0)); }
static struct outcome attr_utimensat(const char *arg) {
  struct timespec times[2] = {{1, 0}, {1, 0}};
  return result(syscall(SYS_utimensat, AT_FDCWD, in_dir(arg, "victim"), times, 0));
}
static struct outcome attr_utimes(const char *arg) {
  struct timeval times[2] = {{1, 0}, {1, 0}};
  return result(syscall(SYS_utimes, in_dir(arg, "victim"), times));
}
static struct outcome attr_futimesat(const char *arg) {
  struct timeval times[2] = {{1, 0}, {1, 0}};
  return result(syscall(SYS_futimesat, AT_FDCWD, in_dir(arg, "victim"), times));
}
static struct outcome attr_utime(const char *arg) {
  long times[2] = {1, 1}; /* struct utimbuf */
  return result(syscall(SYS_utime, in_dir(arg, "victim"), times));
}
static struct outcome attr_fchownat_empty(const char *arg) {
  struct outcome fd = path_only(arg);
  if (fd.err) return fd;
  return result(syscall(SYS_fchownat, fd.value, "", getuid(), getgid(), AT_EMPTY_PATH));
}
static struct outcome attr_fchmodat2_empty(const char *arg) {
  struct outcome fd = path_only(arg);
  if (fd.err) return fd;
  return result(syscall(SYS_fchmodat2, fd.value, "", 04777, AT_EMPTY_PATH));
}
static struct outcome attr_fchmod_rdonly(const char *arg) {
  struct outcome fd = read_only(arg);
  if (fd.err) return fd;
  return result(syscall(SYS_fchmod, fd.value, 04777));
}
static struct outcome attr_fchown_rdonly(const char *arg) {
  struct outcome fd = read_only(arg);
  if (fd.err) return fd;
  return result(syscall(SYS_fchown, fd.value, getuid(), getgid()));
}
static struct outcome attr_futimens_rdonly(const char *arg) {
  struct outcome fd = read_only(arg);
  if (fd.err) return fd;
  struct timespec times[2] = {{1, 0}, {1, 0}};
  return result(syscall(SYS_utimensat, fd.value, NULL, times, 0));
}

/* ---- privileged memory advice --------------------------------------------------------------- */

/* Aimed at an address nothing maps (below it is mmap_min_addr): unsandboxed, root gets past the
 * capability check and fails on the page (EFAULT); a real page would be poisoned for good. */
static struct outcome advise(long advice) { return result(syscall(SYS_madvise, 0x10000, 4096, advice)); }
static struct outcome madvise_hwpoison(const char *arg) { (void)arg; return advise(100 /* MADV_HWPOISON */); }
static struct outcome madvise_soft_offline(const char *arg) { (void)arg; return advise(101 /* MADV_SOFT_OFFLINE */); }

/* ---- the table ------------------------------------------------------------------------------ */

struct attempt {
  const char *name;
  struct outcome (*run)(const char *arg);
};

static const struct attempt attempts[] = {
    {"x32-getpid", x32_getpid}, {"x32-kill", x32_kill}, {"int80-getpid", int80_getpid}, {"int80-kill", int80_kill},
    {"int80-socket-inet", int80_socket}, {"clone3", clone3_plain}, {"clone3-newuser", clone3_newuser},
    {"clone-fork", clone_fork}, {"clone-newuser", clone_newuser}, {"clone-newuser-hibits", clone_newuser_hibits},
    {"clone-newns", clone_newns}, {"clone-newnet", clone_newnet}, {"clone-newpid", clone_newpid}, {"fork", fork_raw},
    {"vfork", vfork_raw}, {"execve", execve_sh}, {"unshare-newuser", unshare_newuser},
    {"unshare-newns", unshare_newns}, {"unshare-newnet", unshare_newnet}, {"setns-net", setns_net},
    {"ptrace-seize", ptrace_seize}, {"ptrace-traceme", ptrace_traceme}, {"process-vm-writev", vm_writev},
    {"process-vm-readv", vm_readv}, {"pidfd-getfd", pidfd_getfd}, {"kill", kill_pid}, {"kill-self", kill_self},
    {"kill-all", kill_all}, {"kill-group", kill_group}, {"tkill", tkill_pid}, {"tgkill", tgkill_pid},
    {"rt-sigqueueinfo", sigqueue_pid}, {"pidfd-send-signal", pidfd_signal}, {"bpf", bpf_map},
    {"userfaultfd", userfault}, {"perf-event-open", perf_open}, {"personality-addr-no-randomize", no_randomize},
    {"personality-read-implies-exec", read_implies_exec}, {"io-uring-setup", uring_setup},
    {"io-uring-enter", uring_enter}, {"io-uring-register", uring_register}, {"tiocsti", tiocsti},
    {"tiocsti-hibits", tiocsti_hibits}, {"tioclinux", tioclinux}, {"tty-tcsets", tcsets},
    {"openat-read", openat_read}, {"openat-wronly", openat_wronly}, {"openat-rdwr", openat_rdwr},
    {"openat-creat", openat_creat}, {"openat-trunc", openat_trunc}, {"openat-wronly-hibits", openat_wronly_hibits},
    {"openat-tmpfile", openat_tmpfile}, {"open-wronly", open_wronly}, {"open-trunc", open_trunc},
    {"open-creat", open_creat}, {"creat", creat_file}, {"openat2-wronly", openat2_wronly},
    {"truncate", truncate_file}, {"unlink", unlink_file}, {"mkdir", mkdir_dir},
    {"name-to-handle-at", name_to_handle}, {"open-by-handle-at", open_by_handle}, {"socket-inet", socket_inet},
    {"socket-inet-hibits", socket_inet_hibits}, {"socket-inet6", socket_inet6}, {"socket-udp", socket_udp},
    {"socket-unix", socket_unix}, {"socket-inet-raw", socket_inet_raw}, {"socket-packet", socket_packet},
    {"socket-alg", socket_alg}, {"netlink-route", netlink_route}, {"netlink-audit", netlink_audit},
    {"netlink-sock-diag", netlink_sock_diag}, {"netlink-uevent", netlink_uevent},
    {"netlink-netfilter", netlink_netfilter}, {"netlink-generic", netlink_generic}, {"netlink-xfrm", netlink_xfrm},
    {"netlink-route-newaddr", netlink_newaddr}, {"proc-mem-read", proc_mem_read},
    {"proc-mem-write", proc_mem_write}, {"proc-environ", proc_environ}, {"abstract-connect", abstract_connect},
    {"abstract-dgram", abstract_dgram}, {"unix-connect", unix_connect}, {"chmod", attr_chmod},
    {"fchmodat", attr_fchmodat}, {"fchmodat2", attr_fchmodat2}, {"chown", attr_chown}, {"lchown", attr_lchown},
    {"fchownat", attr_fchownat}, {"utimensat", attr_utimensat}, {"utimes", attr_utimes},
    {"futimesat", attr_futimesat}, {"utime", attr_utime}, {"fchownat-empty-path", attr_fchownat_empty},
    {"fchmodat2-empty-path", attr_fchmodat2_empty}, {"fchmod-rdonly", attr_fchmod_rdonly},
    {"fchown-rdonly", attr_fchown_rdonly}, {"futimens-rdonly", attr_futimens_rdonly},
    {"madvise-hwpoison", madvise_hwpoison},
    {"madvise-soft-offline", madvise_soft_offline},
};

static const char *run_attempt(const char *name, const char *arg) {
  static char line[64];
  for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) {
    if (strcmp(attempts[i].name, name) != 0) continue;
    struct outcome o = attempts[i].run(arg ? arg : "");
    if (o.err) snprintf(line, sizeof line, "errno %d", o.err);
    else snprintf(line, sizeof line, "ok %ld", o.value);
    return line;
  }
  return "unknown-attempt";
}

#ifdef ESCAPE_LIBRARY

/* Runs when ffi-rs loads the library, before the sandbox: a Node process the sandbox kills with
 * SIGSYS must not leave a core file behind. */
__attribute__((constructor)) static void no_core_files(void) {
  struct rlimit none = {0, 0};
  setrlimit(RLIMIT_CORE, &none);
}

const char *escape_attempt(const char *name, const char *arg) { return run_attempt(name, arg); }

#else

/* Binds (and for streams listens on) a unix socket outside any sandbox; -1 if it cannot. */
static int unix_listener(int type, const char *name) {
  struct sockaddr_un addr;
  socklen_t length = unix_address(&addr, name);
  int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  if (fd < 0 || bind(fd, (struct sockaddr *)&addr, length) != 0) return -1;
  if (type == SOCK_STREAM && listen(fd, 8) != 0) return -1;
  return fd;
}

static int run_target(void) {
  static char buffer[64] = "untouched";
  char stream[64], dgram[64], path[64];
  snprintf(stream, sizeof stream, "@syscage-escape-%d", getpid());
  snprintf(dgram, sizeof dgram, "@syscage-escape-dgram-%d", getpid());
  snprintf(path, sizeof path, "/tmp/syscage-escape-%d.sock", getpid());
  if (unix_listener(SOCK_STREAM, stream) < 0 || unix_listener(SOCK_DGRAM, dgram) < 0 || unix_listener(SOCK_STREAM, path) < 0) return perror("target sockets"), 2;
  chmod(path, 0777); /* reachable by an unprivileged attempt too */
  printf("target %d %lx\n", getpid(), (unsigned long)buffer);
  fflush(stdout);
  char sink[256];
  while (read(0, sink, sizeof sink) > 0) continue;
  unlink(path);
  printf("buffer %s\n", buffer);
  return 0;
}

static int print_handle(const char *path) {
  struct {
    unsigned int bytes;
    int type;
    unsigned char data[HANDLE_MAX];
  } fh = {HANDLE_MAX, 0, {0}};
  int mount_id;
  if (syscall(SYS_name_to_handle_at, AT_FDCWD, path, &fh, &mount_id, 0) != 0) {
    printf("errno %d\n", errno);
    return 1;
  }
  const unsigned char *bytes = (const unsigned char *)&fh;
  for (size_t i = 0; i < 8 + fh.bytes; i++) printf("%02x", bytes[i]);
  printf("\n");
  return 0;
}

/* Runs argv with a pty slave as stdin (and as its controlling terminal), then reports how the
 * command ended and what the master received: with echo on, an injected byte comes back there. */
static int pty_exec(char **argv) {
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) return perror("pty"), 2;
  int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
  if (slave < 0) return perror("pty slave"), 2;
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    setsid();
    ioctl(slave, TIOCSCTTY, 0);
    if (dup2(slave, 0) != 0) _exit(127);
    execvp(argv[0], argv);
    _exit(127);
  }
  close(slave);
  int status;
  waitpid(pid, &status, 0);
  fcntl(master, F_SETFL, O_NONBLOCK);
  unsigned char received[256];
  ssize_t n = read(master, received, sizeof received);
  if (WIFSIGNALED(status)) printf("pty signal:%s ", sigabbrev_np(WTERMSIG(status)));
  else printf("pty exit:%d ", WEXITSTATUS(status));
  for (ssize_t i = 0; i < n; i++) printf("%02x", received[i]);
  printf("\n");
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) return fprintf(stderr, "usage: probe ATTEMPT [ARG] | list | target | handle PATH | pty-exec CMD...\n"), 2;
  if (strcmp(argv[1], "target") == 0) return run_target();
  if (strcmp(argv[1], "handle") == 0 && argc == 3) return print_handle(argv[2]);
  if (strcmp(argv[1], "pty-exec") == 0 && argc > 2) return pty_exec(argv + 2);
  if (strcmp(argv[1], "list") == 0) {
    for (size_t i = 0; i < sizeof attempts / sizeof attempts[0]; i++) printf("%s\n", attempts[i].name);
    return 0;
  }
  const char *line = run_attempt(argv[1], argc > 2 ? argv[2] : "");
  const char *step = getenv("SYSCAGE_ESCAPE_STEP");
  if (step) printf("outcome %s ", step);
  printf("%s\n", line);
  return strcmp(line, "unknown-attempt") == 0 ? 2 : 0;
}

#endif
