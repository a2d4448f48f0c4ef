/**
 * Finds io_uring instances the process holds. io_uring operations bypass seccomp (a ring can open
 * files and connect sockets without a syscall the filter sees), so the sandbox must not start
 * while one exists. Node ≥ 22 (libuv ≥ 1.51) creates rings at start-up; Node 20 does not.
 */

const fs = process.getBuiltinModule('node:fs');

/** The descriptors of this process that are io_uring instances. */
export function findIoUringFds(): number[] {
  const fds: number[] = [];
  for (const name of fs.readdirSync('/proc/self/fd')) {
    try {
      if (fs.readlinkSync(`/proc/self/fd/${name}`) === 'anon_inode:[io_uring]') fds.push(Number(name));
    } catch {
      // The descriptor closed while we looked (readdir's own, for one).
    }
  }
  return fds;
}
