/**
 * Landlock's access rights, with the kernel's bit values (`linux/landlock.h`) and the ABI version
 * that introduced each. Names are the kernel's, lower-cased and without the `LANDLOCK_ACCESS_FS_` /
 * `LANDLOCK_ACCESS_NET_` / `LANDLOCK_SCOPE_` prefix. Data and bit arithmetic only: what a
 * declaration grants is `plan.ts`'s business, the system calls are the runtime's.
 */

/** A file-system access right. */
export type FsRight =
  | 'execute'
  | 'write_file'
  | 'read_file'
  | 'read_dir'
  | 'remove_dir'
  | 'remove_file'
  | 'make_char'
  | 'make_dir'
  | 'make_reg'
  | 'make_sock'
  | 'make_fifo'
  | 'make_block'
  | 'make_sym'
  | 'refer'
  | 'truncate'
  | 'ioctl_dev';

/** A network access right (TCP only: Landlock cannot scope UDP or hosts). */
export type NetRight = 'bind_tcp' | 'connect_tcp';

/** An IPC scope: the domain cannot reach outside itself through it. */
export type ScopeRight = 'abstract_unix_socket' | 'signal';

/** Any Landlock right. */
export type LandlockRight = FsRight | NetRight | ScopeRight;

interface RightInfo {
  readonly bit: number;
  readonly abi: number;
}

/** `LANDLOCK_ACCESS_FS_*`. */
export const FS_RIGHTS: Readonly<Record<FsRight, RightInfo>> = {
  execute: { bit: 1 << 0, abi: 1 },
  write_file: { bit: 1 << 1, abi: 1 },
  read_file: { bit: 1 << 2, abi: 1 },
  read_dir: { bit: 1 << 3, abi: 1 },
  remove_dir: { bit: 1 << 4, abi: 1 },
  remove_file: { bit: 1 << 5, abi: 1 },
  make_char: { bit: 1 << 6, abi: 1 },
  make_dir: { bit: 1 << 7, abi: 1 },
  make_reg: { bit: 1 << 8, abi: 1 },
  make_sock: { bit: 1 << 9, abi: 1 },
  make_fifo: { bit: 1 << 10, abi: 1 },
  make_block: { bit: 1 << 11, abi: 1 },
  make_sym: { bit: 1 << 12, abi: 1 },
  refer: { bit: 1 << 13, abi: 2 },
  truncate: { bit: 1 << 14, abi: 3 },
  ioctl_dev: { bit: 1 << 15, abi: 5 },
};

/** `LANDLOCK_ACCESS_NET_*`. */
export const NET_RIGHTS: Readonly<Record<NetRight, RightInfo>> = {
  bind_tcp: { bit: 1 << 0, abi: 4 },
  connect_tcp: { bit: 1 << 1, abi: 4 },
};

/** `LANDLOCK_SCOPE_*`. */
export const SCOPE_RIGHTS: Readonly<Record<ScopeRight, RightInfo>> = {
  abstract_unix_socket: { bit: 1 << 0, abi: 6 },
  signal: { bit: 1 << 1, abi: 6 },
};

/** Rights that apply to a regular file (a rule on a file may grant only these). */
export const FILE_RIGHTS: readonly FsRight[] = ['execute', 'write_file', 'read_file', 'truncate', 'ioctl_dev'];

/** The ABI that brought `LANDLOCK_RESTRICT_SELF_TSYNC` (Linux 7.0): restrict every thread at once. */
export const TSYNC_ABI = 8;

/** The first kernel release of each ABI version, for messages. */
export const ABI_KERNELS: Readonly<Record<number, string>> = { 1: '5.13', 2: '5.19', 3: '6.2', 4: '6.7', 5: '6.10', 6: '6.12', 7: '6.15', 8: '7.0' };

/** The ABI version that introduced `right`. */
export function rightAbi(right: LandlockRight): number {
  return (FS_RIGHTS[right as FsRight] ?? NET_RIGHTS[right as NetRight] ?? SCOPE_RIGHTS[right as ScopeRight]).abi;
}

/** The bit mask of `rights` within their table, keeping only those the running `abi` has. */
export function rightsMask<R extends string>(table: Readonly<Record<R, RightInfo>>, rights: readonly R[], abi = Number.POSITIVE_INFINITY): number {
  let mask = 0;
  for (const right of rights) if (table[right].abi <= abi) mask |= table[right].bit;
  return mask;
}
