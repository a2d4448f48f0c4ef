/**
 * Whether a sandbox can be applied here, before anything is changed: Linux, an architecture the
 * loader has numbers for, the main thread, no sandbox yet. A refusal throws; `unsupported: 'warn'`
 * turns the platform's refusals into a warning and an unsandboxed run. It decides nothing about
 * restarts (apply.ts) and reads no filter.
 */

import { findLoaderArch, type LoaderArchName } from './arch.ts';
import { loaderError } from './errors.ts';
import { box } from './state.ts';
import type { UnsupportedMode } from '@syscage/core';

/** Refuses a second `sandbox()`: a process has one sandbox, narrowed only by `narrow()`. */
export function checkNotApplied(): void {
  if (box().current !== undefined) throw loaderError({ code: 'ALREADY_APPLIED', message: 'sandbox() was already applied in this process.', hint: 'Call narrow() to take capabilities away later.' });
}

/** The running architecture, or why the sandbox cannot apply (undefined: warned, run unsandboxed). */
export function checkApplicable(unsupported: UnsupportedMode): LoaderArchName | undefined {
  const refuse = (code: 'UNSUPPORTED_PLATFORM' | 'UNSUPPORTED_ARCH', message: string, hint: string): undefined => {
    if (unsupported === 'error') throw loaderError({ code, message, hint });
    process.emitWarning(`${message} Running WITHOUT a sandbox (unsupported: 'warn').`, { code: 'SYSCAGE_UNSANDBOXED' });
    return undefined;
  };
  if (process.platform !== 'linux') return refuse('UNSUPPORTED_PLATFORM', `The sandbox needs Linux (seccomp); this is ${process.platform}.`, "Run on Linux, or declare unsupported: 'warn' to run unsandboxed during development.");
  const arch = findLoaderArch();
  if (arch === undefined) return refuse('UNSUPPORTED_ARCH', `syscage has no filter for ${process.arch}.`, "Run on x64 or arm64, or declare unsupported: 'warn'.");
  if (!isMainThread()) throw loaderError({ code: 'NOT_MAIN_THREAD', message: 'sandbox() was called in a worker thread.', hint: 'Call it first thing in the main program; workers inherit it.' });
  return arch.name;
}

/**
 * Whether this is the process's main thread: /proc/thread-self is `<pid>/task/<tid>`, and the main
 * thread's tid is the pid. Loading `node:worker_threads` to ask instead costs a few milliseconds
 * of start-up in a program that never uses workers; it is the answer only without /proc.
 */
function isMainThread(): boolean {
  try {
    const [pid, , tid] = process.getBuiltinModule('node:fs').readlinkSync('/proc/thread-self').split('/');
    return pid === tid;
  } catch {
    return process.getBuiltinModule('node:worker_threads').isMainThread;
  }
}
