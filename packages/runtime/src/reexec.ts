/**
 * The one re-execution a sandbox may need, for two reasons that share it:
 * - io_uring: Node ≥ 22 makes rings at start-up, and ring operations bypass seccomp. A first-stage
 *   filter answers io_uring_setup/enter/register with ENOSYS, so after the restart libuv falls
 *   back to epoll and no ring ever exists. The first-stage filter stays (filters survive execve);
 *   it allows everything else with constant answers, so the kernel's cache keeps it free.
 * - Landlock below ABI 8 restricts only the calling thread, while Node already runs V8's and
 *   libuv's threads. Restricting the main thread and then executing again puts every thread of the
 *   new image into the domain, since they are all created after it.
 * The restart keeps the pid, argv, execArgv, environment, working directory and descriptors (those
 * Node marked close-on-exec are not inherited, except a `fork()`ed child's IPC channel, kept on
 * purpose). The marker in the environment is trusted as the rest of the start-up environment is:
 * it names the ffi-rs binary the restarted image opens, as NODE_OPTIONS or LD_PRELOAD could name
 * code to run before the loader anyway.
 */

import { F_GETFD, F_SETFD } from '@syscage/core/constants';
import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { execveProcess } from './execve.ts';
import { loadedFfiBinary, syscall } from './ffi.ts';
import { installStage1 } from './seccomp.ts';

/** `<asm-generic/fcntl.h>`; core's constants publish the commands, not this flag. */
const FD_CLOEXEC = 1;

/** Set in the environment of the re-executed process, removed again by the sandbox. */
export const REEXEC_ENV = 'SYSCAGE_REEXEC';

/** What the process before the restart did, as the restarted one learns it. */
export interface ReexecMarker {
  /** The Landlock ABI the domain was entered with before the restart (0: none). */
  readonly landlockAbi: number;
  /** The descriptor of the ruleset the restarted image stacks (landlock.ts `nextLayer`), if one was kept open for it. */
  readonly nextLayer: number | undefined;
  /** The ffi-rs binary the image before the restart opened (ffi.ts), for the restarted one to open without a lookup. */
  readonly ffi: string | undefined;
}

/** `1[:landlock=<abi>[:layer=<fd>]][:ffi=<binary>]`; the binary's path comes last, since it may hold a colon. */
const MARKER = /^1(?::landlock=(\d+)(?::layer=(\d+))?)?(?::ffi=(\/.+\.node))?$/;

/** The marker when this process is the re-executed one (and removes it so children do not inherit it). */
export function takeReexecMarker(): ReexecMarker | undefined {
  const marker = peekReexecMarker();
  delete process.env[REEXEC_ENV];
  return marker;
}

/** The marker, left in the environment (the gate looks before it decides who applies the sandbox). */
export function peekReexecMarker(): ReexecMarker | undefined {
  const value = process.env[REEXEC_ENV];
  const match = value === undefined ? null : MARKER.exec(value);
  if (match === null) return undefined;
  return { landlockAbi: Number(match[1] ?? 0), nextLayer: match[2] === undefined ? undefined : Number(match[2]), ffi: match[3] };
}

/** How to restart. */
export interface ReexecOptions {
  /** A first-stage filter to install before the restart (io_uring → ENOSYS), if rings exist. */
  readonly stage1?: Uint8Array | undefined;
  /** The Landlock ABI of the domain the calling thread entered (0: none). */
  readonly landlockAbi: number;
  /** An inheritable ruleset for the restarted image to stack (see {@link ReexecMarker.nextLayer}). */
  readonly nextLayer?: number | undefined;
  /**
   * The main module the restarted image runs instead of `process.argv[1]`: a built program's
   * launcher restarts straight into the program beside it (loader.ts).
   */
  readonly main?: string | undefined;
}

/** Installs `stage1` if given and replaces the process with a fresh start of itself. Does not return. */
export function reexecSelf(options: ReexecOptions): never {
  const evaluates = process.execArgv.some((arg) => /^(-e|--eval|-p|--print)(=|$)/.test(arg));
  if (process.argv[1] === undefined && !evaluates) {
    throw loaderError({ code: 'RESTART_FAILED', message: 'A program read from standard input cannot be restarted, and this sandbox needs one restart.', hint: 'Save the program to a file and run that.' });
  }
  // On the calling thread only: execve ends every other thread, and the new image inherits this one's filters.
  if (options.stage1 !== undefined) installStage1(options.stage1);
  keepIpcChannel();
  const args = [process.argv0, ...process.execArgv, ...(options.main === undefined ? process.argv.slice(1) : [options.main, ...process.argv.slice(2)])];
  const layer = options.nextLayer === undefined ? '' : `:layer=${options.nextLayer}`;
  const binary = loadedFfiBinary();
  const marker = `${options.landlockAbi > 0 ? `1:landlock=${options.landlockAbi}${layer}` : '1'}${binary === undefined ? '' : `:ffi=${binary}`}`;
  return execveProcess(process.execPath, args, { ...process.env, [REEXEC_ENV]: marker });
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
    throw loaderError({ code: 'RESTART_FAILED', message: `Cannot keep the IPC channel (descriptor ${fd}) open across the restart.`, hint: 'Start this forked program without an IPC channel, or on a kernel with Landlock ABI ≥ 8.' });
  }
}
