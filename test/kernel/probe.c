/*
 * probe: install a classic seccomp-BPF filter in a fresh child process per row, make one raw
 * system call there, and print what the kernel did. The kernel tests use it (through
 * test/kernel/harness.ts, which compiles and caches it) to prove the compiler and the simulator
 * against the real kernel. It never filters itself: only the forked children are filtered.
 *
 * Usage: probe FILTER_FILE < ROWS
 *
 * FILTER_FILE holds the raw `struct sock_filter` array, little-endian, 8 bytes per instruction
 * (u16 code, u8 jt, u8 jf, u32 k), exactly what `struct sock_fprog.filter` points at.
 *
 * ROWS (stdin), one per line; blank lines and lines starting with '#' are skipped:
 *     ENTRY NR [A0 [A1 [A2 [A3 [A4 [A5]]]]]]
 * ENTRY is `syscall` (the native x86_64 `syscall` instruction, through libc's syscall(2)) or
 * `int80` (the i386 `int $0x80` entry, x86_64 only, arguments truncated to 32 bits; there NR is
 * an i386 number). Numbers are unsigned 64-bit, decimal or 0x-hex; missing arguments are 0.
 *
 * Output (stdout), one line per row, in order:
 *     ret V               the call returned V (signed 64-bit decimal)
 *     errno N             the call failed with errno N (a raw return in -4095..-1)
 *     trap                SIGSYS with si_code SYS_SECCOMP reached the child's handler (RET_TRAP)
 *     killed SIGNAME      the child died of a signal before reporting (SIGSYS = RET_KILL_*;
 *                         SIGALRM = the row ran longer than 5 s)
 *     install-failed N    prctl(PR_SET_NO_NEW_PRIVS) or seccomp() failed with errno N
 * Bad usage or input prints `error: ...` on stderr and exits 2.
 *
 * The caller chooses the rows and MUST choose calls that are harmless when they really run,
 * because an allowed row executes for real with the test runner's privileges (root, here):
 * getpid/getppid, close/dup/fcntl/ioctl/read/lseek/fstat on fd -1, socket() (the descriptor dies
 * with the child), x32-numbered calls (nr | 0x40000000), unknown numbers. Never pass pointers:
 * the child's address space is not the caller's.
 *
 * Reporting uses a shared anonymous mapping written before and after the call, so it needs no
 * system call once the filter is in: a filter that denies write() or exit_group() still gets its
 * row reported. When exit_group() is denied the child ends itself with an illegal instruction.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

enum phase { PHASE_START, PHASE_INSTALLED, PHASE_DONE, PHASE_TRAPPED, PHASE_INSTALL_FAILED };

/* One row's report, written by the child into memory shared with the parent. */
struct report {
  volatile int phase;
  volatile int err;
  volatile long ret;
};

static struct report *report;

/* si_code of a seccomp SIGSYS: SYS_SECCOMP in <asm-generic/siginfo.h>, which glibc does not export. */
#define SI_CODE_SYS_SECCOMP 1

static void die(const char *what) {
  fprintf(stderr, "error: %s\n", what);
  exit(2);
}

/* Leaves without trusting the filter to allow exit_group(): ud2 raises SIGILL in the kernel. */
static void leave(void) {
  syscall(SYS_exit_group, 0);
  __builtin_trap();
}

static void on_sigsys(int sig, siginfo_t *info, void *ctx) {
  (void)sig;
  (void)ctx;
  /* Only a trap raised by seccomp, and only for the row's own call, counts as `trap`. */
  if (info->si_code == SI_CODE_SYS_SECCOMP && report->phase == PHASE_INSTALLED) report->phase = PHASE_TRAPPED;
  leave();
}

#if defined(__x86_64__)
/* The i386 entry: eax = nr, ebx ecx edx esi edi ebp = args. rbp is saved by hand because the
 * compiler will not let it be clobbered; the stack pointer first skips the 128-byte red zone. */
static long call_int80(uint64_t nr, const uint64_t a[6]) {
  long ret;
  __asm__ volatile("sub $128, %%rsp\n\t"
                   "push %%rbp\n\t"
                   "mov %k[a5], %%ebp\n\t"
                   "int $0x80\n\t"
                   "pop %%rbp\n\t"
                   "add $128, %%rsp"
                   : "=a"(ret)
                   : "0"(nr), "b"(a[0]), "c"(a[1]), "d"(a[2]), "S"(a[3]), "D"(a[4]), [a5] "r"(a[5])
                   : "memory", "cc");
  return (long)(int)ret; /* a compat call returns a 32-bit value */
}
#endif

static void run_child(const struct sock_fprog *prog, int int80, uint64_t nr, const uint64_t a[6]) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_sigsys;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSYS, &sa, NULL);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core); /* killed rows must not drop core files in the cwd */
  prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
  alarm(5);

  /* As an ordinary process would: without NO_NEW_PRIVS an unprivileged seccomp() is refused. */
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
      syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0) {
    report->err = errno;
    report->phase = PHASE_INSTALL_FAILED;
    _exit(0);
  }
  report->phase = PHASE_INSTALLED;
  long ret;
  int err = 0;
  if (int80) {
#if defined(__x86_64__)
    ret = call_int80(nr, a);
    if (ret < 0 && ret >= -4095) err = (int)-ret, ret = -1;
#else
    ret = -1, err = ENOSYS;
#endif
  } else {
    ret = syscall((long)nr, a[0], a[1], a[2], a[3], a[4], a[5]);
    if (ret == -1) err = errno;
  }
  report->ret = ret;
  report->err = err;
  report->phase = PHASE_DONE;
  leave();
}

static void print_outcome(int status) {
  switch (report->phase) {
    case PHASE_DONE:
      if (report->err) printf("errno %d\n", report->err);
      else printf("ret %ld\n", report->ret);
      return;
    case PHASE_TRAPPED: printf("trap\n"); return;
    case PHASE_INSTALL_FAILED: printf("install-failed %d\n", report->err); return;
  }
  if (WIFSIGNALED(status)) {
    const char *name = sigabbrev_np(WTERMSIG(status));
    if (name) printf("killed SIG%s\n", name);
    else printf("killed %d\n", WTERMSIG(status));
  } else {
    /* The child exited on its own before reporting: nothing in this file does that. */
    printf("exited %d\n", WEXITSTATUS(status));
  }
}

static void run_row(const struct sock_fprog *prog, int int80, uint64_t nr, const uint64_t a[6]) {
  memset(report, 0, sizeof *report);
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) run_child(prog, int80, nr, a);
  int status;
  if (waitpid(pid, &status, 0) != pid) die("waitpid failed");
  print_outcome(status);
}

static struct sock_fprog read_filter(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open the filter file");
  static unsigned char bytes[BPF_MAXINSNS * 8 + 1];
  size_t n = fread(bytes, 1, sizeof bytes, f);
  fclose(f);
  if (n == 0 || n % 8 != 0 || n > BPF_MAXINSNS * 8)
    die("the filter file must hold 1..4096 instructions of 8 bytes");
  static struct sock_filter insns[BPF_MAXINSNS];
  for (size_t i = 0; i < n / 8; i++) {
    const unsigned char *p = bytes + i * 8;
    insns[i].code = (uint16_t)(p[0] | p[1] << 8);
    insns[i].jt = p[2];
    insns[i].jf = p[3];
    insns[i].k = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
  }
  struct sock_fprog prog = {(unsigned short)(n / 8), insns};
  return prog;
}

/* Parses one row; returns 0 for a line to skip, 1 for a row, and exits on a malformed one. */
static int parse_row(char *line, int *int80, uint64_t *nr, uint64_t a[6]) {
  char *save = NULL;
  char *tok = strtok_r(line, " \t\r\n", &save);
  if (!tok || tok[0] == '#') return 0;
  if (strcmp(tok, "syscall") == 0) *int80 = 0;
  else if (strcmp(tok, "int80") == 0) *int80 = 1;
  else die("a row must start with `syscall` or `int80`");
  uint64_t v[7] = {0};
  int count = 0;
  while ((tok = strtok_r(NULL, " \t\r\n", &save)) != NULL) {
    if (count == 7) die("a row takes a number and at most 6 arguments");
    char *end;
    errno = 0;
    v[count++] = strtoull(tok, &end, 0);
    if (*end != '\0' || errno) die("a row holds a malformed number");
  }
  if (count == 0) die("a row needs a system call number");
  *nr = v[0];
  memcpy(a, v + 1, 6 * sizeof *a);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 2) die("usage: probe FILTER_FILE < ROWS");
  struct sock_fprog prog = read_filter(argv[1]);
  report = mmap(NULL, sizeof *report, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (report == MAP_FAILED) die("mmap failed");
  char line[1024];
  while (fgets(line, sizeof line, stdin)) {
    int int80;
    uint64_t nr, a[6];
    if (parse_row(line, &int80, &nr, a)) run_row(&prog, int80, nr, a);
  }
  return 0;
}
