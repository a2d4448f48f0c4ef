/**
 * The few per-architecture numbers the loader itself needs at run time: the numbers of the
 * syscalls it makes and Node's name for the architecture. The numbers are generated from the same
 * uapi headers as core's syscall tables (syscalls.gen.ts, by `pnpm gen:syscalls`) but kept apart
 * so a built program does not load core's tables just to install precompiled bytes. It knows
 * nothing of policies; the filter's own arch check is core's.
 */

import { LOADER_SYSCALLS } from './syscalls.gen.ts';

/** Architecture names as the kernel spells them (core's `ArchName`). */
export type LoaderArchName = 'x86_64' | 'aarch64';

/** What the loader needs to know about the architecture it runs on. */
export interface LoaderArch {
  readonly name: LoaderArchName;
  /** Node's `process.arch` spelling, also used in ffi-rs's platform package names. */
  readonly nodeArch: 'x64' | 'arm64';
  /** `__NR_seccomp`. */
  readonly nrSeccomp: number;
  /** `__NR_fcntl`, to keep a descriptor open across the io_uring re-execution. */
  readonly nrFcntl: number;
  /** `__NR_execve`, to re-execute on Node versions without `process.execve`. */
  readonly nrExecve: number;
  /** `__NR_landlock_create_ruleset`; `add_rule` and `restrict_self` follow it (the same on every arch). */
  readonly nrLandlockCreateRuleset: number;
  /** `__NR_capset`, to drop capabilities before the filter (privileges.ts). */
  readonly nrCapset: number;
  /** `__NR_ioctl`, to ask which user namespace owns the network namespace (privileges.ts). */
  readonly nrIoctl: number;
}

function loaderArch(name: LoaderArchName, nodeArch: LoaderArch['nodeArch']): LoaderArch {
  const nr = LOADER_SYSCALLS[name];
  return { name, nodeArch, nrSeccomp: nr.seccomp, nrFcntl: nr.fcntl, nrExecve: nr.execve, nrLandlockCreateRuleset: nr.landlock_create_ruleset, nrCapset: nr.capset, nrIoctl: nr.ioctl };
}

/** Keyed by `process.arch`. */
const LOADER_ARCHES: Readonly<Record<string, LoaderArch>> = {
  x64: loaderArch('x86_64', 'x64'),
  arm64: loaderArch('aarch64', 'arm64'),
};

/** Every architecture the loader supports, by kernel name. */
export const LOADER_ARCH_NAMES: readonly LoaderArchName[] = Object.values(LOADER_ARCHES).map((arch) => arch.name);

/**
 * The loader's facts for Node's `nodeArch` (default: this process), or `undefined` when syscage
 * does not support that architecture.
 *
 * @example
 * findLoaderArch()?.nrSeccomp; // 317 on x86_64
 */
export function findLoaderArch(nodeArch: string = process.arch): LoaderArch | undefined {
  return Object.hasOwn(LOADER_ARCHES, nodeArch) ? LOADER_ARCHES[nodeArch] : undefined;
}
