/**
 * The one re-execution the sandbox may need: when the process already holds io_uring rings
 * (Node ≥ 22 makes them at start-up), it installs a first-stage filter that answers
 * io_uring_setup/enter/register with ENOSYS and executes itself again: same pid, argv, execArgv,
 * environment, working directory and descriptors. libuv then falls back to epoll and no ring ever
 * exists. The first-stage filter stays (filters survive execve); it allows everything else and its
 * answers are constant, so the kernel's cache keeps it free for allowed syscalls.
 */

import { loaderError } from './errors.ts';
import { installFilter } from './seccomp.ts';

/** Set in the environment of the re-executed process, removed again by the sandbox. */
export const REEXEC_ENV = 'SYSCAGE_REEXEC';

/** Whether this process is the re-executed one; removes the marker so children do not inherit it. */
export function takeReexecMarker(): boolean {
  const marked = process.env[REEXEC_ENV] === '1';
  delete process.env[REEXEC_ENV];
  return marked;
}

/** Installs `stage1` and replaces the process with a fresh start of itself. Does not return. */
export function reexecWithoutIoUring(stage1: Uint8Array): never {
  const execve = (process as { execve?: (file: string, args: string[], env: NodeJS.ProcessEnv) => never }).execve;
  if (typeof execve !== 'function') {
    throw loaderError({
      code: 'SECCOMP_UNAVAILABLE',
      message: `This Node (${process.version}) holds io_uring rings, which bypass seccomp, and has no process.execve to restart without them.`,
      hint: 'Use Node 20, or Node ≥ 22.15, or start the program with `syscage exec`.',
    });
  }
  installFilter(stage1, { tsync: true });
  const args = [process.argv0, ...process.execArgv, ...process.argv.slice(1)];
  execve.call(process, process.execPath, args, { ...process.env, [REEXEC_ENV]: '1' });
  throw new Error('process.execve returned');
}
