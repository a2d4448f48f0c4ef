/**
 * Kernel constants the catalog's argument conditions use, spelled as in the uapi headers. Where a
 * value differs between x86_64 and aarch64 it is not here: the catalog only tests values that are
 * the same on both (asm-generic ioctls, open flags, socket and clone constants). Published as
 * `@syscage/core/constants` so that rules written outside core (`syscage exec`'s start-up set)
 * test the same values instead of copies.
 */

// <asm-generic/fcntl.h>: open flags (identical on x86_64 and aarch64).
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;
export const __O_TMPFILE = 0o20000000;
export const O_NOCTTY = 0o400;
/** Any of these in an open's flags makes it a write: fs.write. */
export const O_WRITE_BITS = O_WRONLY | O_RDWR | O_CREAT | O_TRUNC | O_APPEND | __O_TMPFILE;

// fcntl commands.
export const F_DUPFD = 0;
export const F_GETFD = 1;
export const F_SETFD = 2;
export const F_GETFL = 3;
export const F_SETFL = 4;
export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_DUPFD_CLOEXEC = 1030;
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_OFD_SETLKW = 38;

// <asm-generic/ioctls.h>.
export const TCGETS = 0x5401;
export const TCSETS = 0x5402;
export const TCSETSW = 0x5403;
export const TCSETSF = 0x5404;
export const TCSBRK = 0x5409;
export const TCXONC = 0x540a;
export const TCFLSH = 0x540b;
export const TIOCGPGRP = 0x540f;
export const TIOCSPGRP = 0x5410;
/** Pushes input into a terminal: never allowed. */
export const TIOCSTI = 0x5412;
export const TIOCGWINSZ = 0x5413;
export const TIOCSWINSZ = 0x5414;
export const FIONREAD = 0x541b;
/** Console control, including selection paste: never allowed. */
export const TIOCLINUX = 0x541c;
export const FIONBIO = 0x5421;
export const TIOCGPTN = 0x80045430;
export const FIONCLEX = 0x5450;
export const FIOCLEX = 0x5451;
/** Share a file's blocks with another (copy-on-write copies, COPYFILE_FICLONE). */
export const FICLONE = 0x40049409;

// Sockets.
export const AF_UNIX = 1;
export const AF_NETLINK = 16;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;
/** `<linux/netlink.h>`: the routing family (interfaces, addresses, routes). */
export const NETLINK_ROUTE = 0;
/** `type & SOCK_TYPE_MASK` is the socket type without SOCK_NONBLOCK / SOCK_CLOEXEC. */
export const SOCK_TYPE_MASK = 0xf;

// <linux/sched.h>: clone flags.
export const CLONE_VM = 0x100;
export const CLONE_FS = 0x200;
export const CLONE_FILES = 0x400;
export const CLONE_SIGHAND = 0x800;
export const CLONE_PTRACE = 0x2000;
export const CLONE_VFORK = 0x4000;
export const CLONE_THREAD = 0x10000;
export const CLONE_NEWNS = 0x20000;
export const CLONE_UNTRACED = 0x800000;
export const CLONE_NEWCGROUP = 0x2000000;
export const CLONE_NEWUTS = 0x4000000;
export const CLONE_NEWIPC = 0x8000000;
export const CLONE_NEWUSER = 0x10000000;
export const CLONE_NEWPID = 0x20000000;
export const CLONE_NEWNET = 0x40000000;
/** Every namespace flag `clone` takes. */
export const CLONE_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET;
/** What makes a clone a thread of this process. */
export const CLONE_THREAD_FLAGS = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD;

// <linux/prctl.h>.
export const PR_GET_DUMPABLE = 3;
export const PR_SET_NAME = 15;
export const PR_GET_NAME = 16;
export const PR_GET_SECCOMP = 21;
export const PR_CAPBSET_READ = 23;
export const PR_SET_NO_NEW_PRIVS = 38;
export const PR_GET_NO_NEW_PRIVS = 39;

// <linux/seccomp.h>: operations of seccomp(2).
export const SECCOMP_SET_MODE_FILTER = 1;
export const SECCOMP_GET_ACTION_AVAIL = 2;

// <linux/stat.h>: the file-type bits of a mode (mknod).
export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;

// <linux/resource.h>: setpriority's `which`.
export const PRIO_PROCESS = 0;

// <fcntl.h>: *at flags.
export const AT_EMPTY_PATH = 0x1000;

// <asm-generic/mman-common.h>: madvise advice (the same on x86_64 and aarch64).
export const MADV_NORMAL = 0;
export const MADV_RANDOM = 1;
export const MADV_SEQUENTIAL = 2;
export const MADV_WILLNEED = 3;
export const MADV_DONTNEED = 4;
export const MADV_FREE = 8;
export const MADV_DONTFORK = 10;
export const MADV_DOFORK = 11;
export const MADV_HUGEPAGE = 14;
export const MADV_NOHUGEPAGE = 15;
export const MADV_DONTDUMP = 16;
export const MADV_DODUMP = 17;
export const MADV_WIPEONFORK = 18;
export const MADV_KEEPONFORK = 19;
