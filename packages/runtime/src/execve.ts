/**
 * Replaces the process image: `process.execve` where Node has it (≥ 22.15), else the execve(2)
 * system call through ffi-rs (Node 20). Same pid; descriptors without close-on-exec stay open. It
 * does not decide when to re-execute (see reexec.ts) or what runs next.
 */

import { F_GETFD, F_SETFD } from '@syscage/core/constants';
import { findLoaderArch } from './arch.ts';
import { loaderError } from './errors.ts';
import { allocNative, syscall, writeNative } from './ffi.ts';

/** `<asm-generic/fcntl.h>`; core's constants publish the commands, not this flag. */
const FD_CLOEXEC = 1;

type NodeExecve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * Executes `file` with `args` (argv, including argv[0]) and `env`, replacing this process.
 * @throws `SECCOMP_UNAVAILABLE` when execve fails (the message names the errno).
 * @example
 * execveProcess(process.execPath, [process.argv0, ...process.execArgv, ...process.argv.slice(1)], process.env);
 */
export function execveProcess(file: string, args: readonly string[], env: NodeJS.ProcessEnv): never {
  const nodeExecve = (process as { execve?: NodeExecve }).execve;
  if (typeof nodeExecve === 'function') {
    nodeExecve.call(process, file, [...args], env);
    throw new Error('process.execve returned');
  }
  const arch = findLoaderArch();
  if (arch === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `No execve for ${process.arch}.`, hint: 'Run on x64 or arm64.' });
  keepStdio(arch.nrFcntl);
  const envList = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [`${key}=${value}`]));
  const { path, argv, envp } = layOut(file, args, envList);
  const result = syscall(arch.nrExecve, path, argv, envp);
  throw loaderError({ code: 'EXEC_FAILED', message: `execve(${file}) failed with errno ${result.errno}.`, hint: 'Check that the program exists and is executable.' });
}

/**
 * Node marks its stdio close-on-exec (libuv adopts them); `process.execve` clears the flag before
 * executing, and so must we, or the new image starts with descriptors 0–2 closed.
 */
function keepStdio(nrFcntl: number): void {
  for (const fd of [0, 1, 2]) {
    const flags = syscall(nrFcntl, fd, F_GETFD);
    if (flags.value >= 0 && (flags.value & FD_CLOEXEC) !== 0) syscall(nrFcntl, fd, F_SETFD, flags.value & ~FD_CLOEXEC);
  }
}

/**
 * Lays the strings and the two NULL-terminated pointer arrays out in one native block: the
 * NUL-terminated strings first, then argv, then envp, whose entries point into the block.
 */
function layOut(file: string, args: readonly string[], env: readonly string[]): { path: number; argv: number; envp: number } {
  const strings = [file, ...args, ...env].map((text) => Buffer.from(`${text}\0`, 'utf8'));
  const pointersAt = Math.ceil(strings.reduce((sum, s) => sum + s.length, 0) / 8) * 8;
  const block = Buffer.alloc(pointersAt + 8 * (args.length + env.length + 2));
  const base = allocNative(block.length);
  let at = 0;
  const addresses = strings.map((s) => {
    s.copy(block, at);
    at += s.length;
    return base + at - s.length;
  });
  const pointers = [...addresses.slice(1, 1 + args.length), 0, ...addresses.slice(1 + args.length), 0];
  pointers.forEach((value, slot) => block.writeBigUInt64LE(BigInt(value), pointersAt + 8 * slot));
  writeNative(base, block);
  return { path: base, argv: base + pointersAt, envp: base + pointersAt + 8 * (args.length + 1) };
}
