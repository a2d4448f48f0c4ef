/**
 * The one re-execution the sandbox may need: when the process already holds io_uring rings
 * (Node ≥ 22 makes them at start-up), it installs a first-stage filter that answers
 * io_uring_setup/enter/register with ENOSYS and executes itself again: same pid, argv, execArgv,
 * environment, working directory and descriptors (those Node marked close-on-exec are not
 * inherited, except a `fork()`ed child's IPC channel, kept on purpose). libuv then falls back to
 * epoll and no ring ever exists. The first-stage filter stays (filters survive execve); it allows everything else and its
 * answers are constant, so the kernel's cache keeps it free for allowed syscalls.
 */

import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { syscall } from './ffi.ts';
import { installFilter } from './seccomp.ts';

const F_GETFD = 1;
const F_SETFD = 2;
const FD_CLOEXEC = 1;

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
      hint: 'Upgrade to Node ≥ 22.15 (it has process.execve); UV_USE_IO_URING=1 on older Node makes rings too, so unset it.',
    });
  }
  installFilter(stage1, { tsync: true });
  keepIpcChannel();
  const args = [process.argv0, ...process.execArgv, ...process.argv.slice(1)];
  execve.call(process, process.execPath, args, { ...process.env, [REEXEC_ENV]: '1' });
  throw new Error('process.execve returned');
}

/**
 * A `fork()`ed child talks to its parent over `NODE_CHANNEL_FD`, which Node marks close-on-exec
 * when it adopts it; the restarted process must find it open again.
 */
function keepIpcChannel(): void {
  const fd = Number(process.env['NODE_CHANNEL_FD']);
  const arch = findLoaderArch();
  if (!Number.isInteger(fd) || fd < 3 || arch === undefined) return;
  const flags = syscall(arch.nrFcntl, fd, F_GETFD);
  if (flags.value < 0 || syscall(arch.nrFcntl, fd, F_SETFD, flags.value & ~FD_CLOEXEC).value < 0) {
    throw loaderError({ code: 'SECCOMP_UNAVAILABLE', message: `Cannot keep the IPC channel (descriptor ${fd}) open across the restart without io_uring.`, hint: 'Start this forked program with Node 20, or without an IPC channel.' });
  }
}
