/**
 * The supported architectures and lookups over their syscall tables: descriptor by name, Node's
 * `process.arch` spelling to the kernel's, syscall name ↔ number. It knows nothing of policies or
 * BPF; adding an architecture means adding its descriptor to {@link ARCHES} and nothing else here.
 */
import { SyscageError } from '../errors.ts';
import { aarch64 } from './aarch64.ts';
import type { ArchDescriptor, ArchName } from './types.ts';
import { x86_64 } from './x86_64.ts';

/** Every supported architecture, by its kernel name. */
export const ARCHES: Readonly<Record<ArchName, ArchDescriptor>> = Object.freeze({ x86_64, aarch64 });

/** The names of {@link ARCHES}, in a stable order. */
export const SUPPORTED_ARCHES: readonly ArchName[] = Object.freeze(Object.keys(ARCHES) as ArchName[]);

/** Node's `process.arch` → the kernel's name, for the architectures syscage supports. */
const NODE_ARCHES: Readonly<Record<string, ArchName>> = { x64: 'x86_64', arm64: 'aarch64' };

/**
 * The descriptor of architecture `name` (kernel spelling).
 *
 * @throws {SyscageError} `UNSUPPORTED_ARCH` when syscage has no descriptor for `name`.
 * @example
 * getArch('x86_64').auditArch; // 0xc000003e
 */
export function getArch(name: string): ArchDescriptor {
  if (Object.hasOwn(ARCHES, name)) return ARCHES[name as ArchName];
  const supported = SUPPORTED_ARCHES.join(', ');
  const kernelName = archFromNodeArch(name);
  throw new SyscageError({
    code: 'UNSUPPORTED_ARCH',
    message: `Unsupported architecture \`${name}\`.`,
    hint:
      kernelName === undefined
        ? `syscage compiles filters for ${supported}.`
        : `\`${name}\` is Node's name for it; use the kernel's, \`${kernelName}\`.`,
  });
}

/**
 * Maps Node's `process.arch` (`x64`, `arm64`) to the kernel's architecture name, or `undefined`
 * when syscage does not support that architecture.
 *
 * @example
 * archFromNodeArch(process.arch); // 'x86_64' on an x64 machine
 */
export function archFromNodeArch(nodeArch: string): ArchName | undefined {
  return Object.hasOwn(NODE_ARCHES, nodeArch) ? NODE_ARCHES[nodeArch] : undefined;
}

/** Number → name, built on first use per architecture (most programs never ask). */
const namesByNumber = new Map<ArchName, ReadonlyMap<number, string>>();

/** The name of syscall `nr` on `arch`, or `undefined` if the table has no such number. */
export function syscallName(arch: ArchName, nr: number): string | undefined {
  let names = namesByNumber.get(arch);
  if (names === undefined) {
    names = new Map(Object.entries(ARCHES[arch].syscalls).map(([name, number]) => [number, name]));
    namesByNumber.set(arch, names);
  }
  return names.get(nr);
}

/** The number of syscall `name` on `arch`, or `undefined` if that architecture has no such syscall. */
export function syscallNumber(arch: ArchName, name: string): number | undefined {
  const table = ARCHES[arch].syscalls;
  return Object.hasOwn(table, name) ? table[name] : undefined;
}

/** True when `name` is a syscall on at least one supported architecture. */
export function isKnownSyscall(name: string): boolean {
  return SUPPORTED_ARCHES.some((arch) => Object.hasOwn(ARCHES[arch].syscalls, name));
}

export type { ArchDescriptor, ArchName, SyscallTable } from './types.ts';
