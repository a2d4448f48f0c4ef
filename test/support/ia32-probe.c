/*
 * ia32-probe: does this kernel run i386 system calls made with `int $0x80` from an x86_64
 * process? That is IA32 emulation: built in (CONFIG_IA32_EMULATION) and not switched off at boot
 * (`ia32_emulation=0`). Without it the instruction faults and the process dies of SIGSEGV, with or
 * without a seccomp filter. test/support/ia32.ts builds and runs it; it installs no filter.
 *
 * Makes i386 getpid (number 20) and prints `ia32 ok` when it returns this process's pid,
 * `ia32 returned N` (exit 1) when it returns anything else.
 */
#include <stdio.h>
#include <unistd.h>

int main(void) {
#if defined(__x86_64__)
  long ret;
  __asm__ volatile("int $0x80" : "=a"(ret) : "0"(20L) : "memory", "cc", "r8", "r9", "r10", "r11");
  if ((int)ret == getpid()) {
    puts("ia32 ok");
    return 0;
  }
  printf("ia32 returned %ld\n", ret);
  return 1;
#else
  puts("ia32 returned -1 (not an x86_64 build)");
  return 1;
#endif
}
