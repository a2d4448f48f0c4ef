/*
 * bench: nanoseconds per system call under one seccomp filter (or none), for a cheap call the
 * kernel's constant-action cache can answer (getppid) and one a policy typically checks by
 * argument (fcntl(fd, F_GETFD), fd an open /dev/null). Driven by run.mjs, which starts one
 * fresh process per mode and round and interleaves them; see README.md.
 *
 * Usage: bench FILTER_FILE|none ITERATIONS CPU
 *   FILTER_FILE  raw little-endian `struct sock_filter` array (8 bytes per instruction)
 *   ITERATIONS   calls timed per syscall, split into CHUNKS equal chunks
 *   CPU          CPU to pin to, or -1 for the highest CPU this process may use
 *
 * Output, one line:  pinned CPU|no  getppid NS|denied:ERRNO  fcntl NS|denied:ERRNO
 * NS is the median over chunks of the per-call wall time (CLOCK_MONOTONIC through the vDSO, so
 * timing makes no system call the filter could see). The measuring happens in a forked child
 * that reports through shared memory, so a filter that denies write() still gets reported, and
 * the filter never reaches this process. Errors go to stderr with exit status 2.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNKS 15
#define WARMUP 20000

struct result {
  int pinned_cpu; /* -1 when pinning failed */
  int install_errno;
  int denied[2];  /* errno of the probe call, 0 when allowed */
  double ns[2];   /* median ns per call */
};

static void die(const char *what) {
  fprintf(stderr, "error: %s\n", what);
  exit(2);
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* One call of the measured syscall `which`: 0 = getppid, 1 = fcntl(fd, F_GETFD). */
static inline long call(int which, int fd) {
  return which == 0 ? syscall(SYS_getppid) : syscall(SYS_fcntl, fd, F_GETFD);
}

static double measure(int which, int fd, long iterations) {
  long per_chunk = iterations / CHUNKS;
  double samples[CHUNKS];
  for (long i = 0; i < WARMUP; i++) call(which, fd);
  for (int c = 0; c < CHUNKS; c++) {
    double start = now_ns();
    for (long i = 0; i < per_chunk; i++) call(which, fd);
    samples[c] = (now_ns() - start) / (double)per_chunk;
  }
  qsort(samples, CHUNKS, sizeof samples[0], compare_doubles);
  return samples[CHUNKS / 2];
}

static int pick_cpu(int wanted) {
  cpu_set_t set;
  if (wanted < 0) {
    if (sched_getaffinity(0, sizeof set, &set) != 0) return -1;
    for (int cpu = CPU_SETSIZE - 1; cpu >= 0; cpu--)
      if (CPU_ISSET(cpu, &set)) return cpu;
    return -1;
  }
  return wanted;
}

static void run_child(struct result *r, const struct sock_fprog *prog, long iterations, int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  r->pinned_cpu = -1;
  if (cpu >= 0) {
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) == 0) r->pinned_cpu = cpu;
  }
  int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (fd < 0) _exit(3);
  if (prog) {
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, prog) != 0) {
      r->install_errno = errno;
      _exit(0);
    }
  }
  for (int which = 0; which < 2; which++) {
    errno = 0;
    if (call(which, fd) == -1) {
      r->denied[which] = errno;
      continue;
    }
    r->ns[which] = measure(which, fd, iterations);
  }
  syscall(SYS_exit_group, 0);
  __builtin_trap(); /* the filter denied exit_group: leave anyway */
}

static struct sock_fprog *read_filter(const char *path) {
  if (strcmp(path, "none") == 0) return NULL;
  static struct sock_filter insns[BPF_MAXINSNS + 1];
  static struct sock_fprog prog;
  FILE *f = fopen(path, "rb");
  if (!f) die("cannot open the filter file");
  size_t n = fread(insns, 1, sizeof insns, f); /* x86_64 is little-endian, like the file */
  fclose(f);
  if (n == 0 || n % 8 != 0 || n > BPF_MAXINSNS * 8) die("a filter file holds 1..4096 instructions");
  prog.len = (unsigned short)(n / 8);
  prog.filter = insns;
  return &prog;
}

int main(int argc, char **argv) {
  if (argc != 4) die("usage: bench FILTER_FILE|none ITERATIONS CPU");
  struct sock_fprog *prog = read_filter(argv[1]);
  long iterations = strtol(argv[2], NULL, 10);
  if (iterations < CHUNKS) die("ITERATIONS is too small");
  int cpu = pick_cpu(atoi(argv[3]));
  struct result *r = mmap(NULL, sizeof *r, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (r == MAP_FAILED) die("mmap failed");
  pid_t pid = fork();
  if (pid < 0) die("fork failed");
  if (pid == 0) run_child(r, prog, iterations, cpu);
  int status;
  if (waitpid(pid, &status, 0) != pid) die("waitpid failed");
  if (r->install_errno) {
    fprintf(stderr, "error: seccomp() refused the filter: %s\n", strerror(r->install_errno));
    return 2;
  }
  if (WIFSIGNALED(status) && r->ns[1] == 0 && !r->denied[1]) {
    fprintf(stderr, "error: the measuring child died of signal %d (did the filter kill it?)\n",
            WTERMSIG(status));
    return 2;
  }
  if (r->pinned_cpu >= 0) printf("pinned %d", r->pinned_cpu);
  else printf("pinned no");
  const char *names[2] = {"getppid", "fcntl"};
  for (int which = 0; which < 2; which++) {
    if (r->denied[which]) printf(" %s denied:%d", names[which], r->denied[which]);
    else printf(" %s %.2f", names[which], r->ns[which]);
  }
  printf("\n");
  return 0;
}
