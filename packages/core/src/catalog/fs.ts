/**
 * fs.read and fs.write: what file-system work needs beyond the Node baseline. seccomp decides
 * only the kind (open for reading vs for writing, list a directory, create, remove); which paths
 * is Landlock's business. Both the legacy and the `*at` forms are listed: Node on x86_64 still
 * calls `mkdir` and `readlink`, and names a table lacks (aarch64 has no legacy forms) are skipped.
 *
 * Node's compile cache (module.enableCompileCache(), NODE_COMPILE_CACHE; tsc and eslint use it) is
 * a write under <tmpdir>/node-compile-cache that a program without fs.write there never asked
 * for: instead of granting it, the runtime disables the cache (NODE_DISABLE_COMPILE_CACHE=1, its
 * compile-cache.ts) unless fs.write covers the directory. Only speed is lost.
 */

import { FICLONE, O_WRITE_BITS, S_IFIFO, S_IFMT } from './constants.ts';
import { plain, type CatalogRule } from './types.ts';

/**
 * Opening read-only: none of the write, create, truncate, append or tmpfile bits. O_PATH opens
 * pass (NSS modules such as systemd's open with O_PATH, under os.userInfo() too); Landlock checks
 * no right for them, but such a descriptor reaches only metadata (as stat by path does) and, through
 * AT_EMPTY_PATH, owner and mode, which FS_ATTRIBUTES grants with `fs.write: true` alone.
 */
export const OPEN_READ_ONLY: readonly CatalogRule[] = [
  { syscall: 'openat', when: [{ arg: 2, width: 32, op: 'flags_clear', flags: O_WRITE_BITS }], why: 'open for reading (O_RDONLY, O_DIRECTORY, O_NONBLOCK, O_CLOEXEC, O_PATH; no write/create/truncate/append/tmpfile bit)' },
  { syscall: 'open', when: [{ arg: 1, width: 32, op: 'flags_clear', flags: O_WRITE_BITS }], why: 'legacy open for reading, same flags test as openat' },
];

/**
 * Measured (scripts/baseline, fs-read, modules and fs-watch workloads) plus each call's twin on
 * aarch64, which has only the *at forms (glibc's access() there is the faccessat syscall); a
 * policy is the same for every architecture, so x86_64 allows that twin too. faccessat2 answers
 * ENOSYS (deny.ts: glibc falls back to faccessat). Left out because nothing Node
 * does to read calls them on x86_64 (measured on 20, 22, 24): the legacy `open` (glibc opens
 * with openat), `fstatfs` (fs.statfs is statfs by path), and `stat`/`lstat`, which only
 * std::filesystem in fs.rmSync and fs.cpSync (Node 22+) calls: they are in FS_WRITE.
 */
export const FS_READ: readonly CatalogRule[] = [
  ...OPEN_READ_ONLY.filter((rule) => rule.syscall === 'openat'),
  ...plain('list directories (fs.readdir, opendir, recursive watch)', 'getdents64'),
  ...plain('metadata by path (fs.access, fs.exists, fs.statfs; fs.stat and fs.lstat are statx, in the baseline)', 'access', 'faccessat', 'statfs'),
  ...plain('gathered reads at an offset (filehandle.readv and fs.readv with a position; pread64 is in the baseline)', 'preadv'),
  ...plain('fs.watch uses inotify; watchers only observe', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch'),
  ...plain('process.chdir and the working directory', 'chdir', 'getcwd'),
];

export const FS_WRITE: readonly CatalogRule[] = [
  ...plain('open for writing, creating, truncating or appending (paths are scoped by Landlock)', 'openat', 'open', 'creat'),
  ...plain('gathered writes, writes at an offset, flush and size files', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'fsync', 'fdatasync', 'ftruncate', 'truncate', 'fallocate', 'copy_file_range', 'sendfile'),
  ...plain('fs.rmSync and fs.cpSync (Node 22+) walk the tree with std::filesystem, which calls the legacy stat and lstat', 'stat', 'lstat'),
  ...plain('create and remove entries (mkdir, rm, rename, link, symlink)', 'mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat'),
  ...(['mknodat', 'mknod'] as const).map((syscall) => ({
    syscall,
    when: [{ arg: syscall === 'mknodat' ? 2 : 1, width: 32 as const, op: 'masked_eq' as const, mask: S_IFMT, value: S_IFIFO }],
    why: 'named pipes (mkfifo is mknodat with S_IFIFO; Landlock\'s make_fifo is part of fs.write\'s rights): the mode\'s file-type bits must be S_IFIFO, so never a character or block device (S_IFCHR, S_IFBLK), a socket or a regular file this way',
  })),
  ...plain('file locks on descriptors the program holds', 'flock'),
  ...plain('umask is consulted by fs.mkdir/writeFile modes', 'umask'),
  { syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'eq', value: FICLONE }], why: 'fs.copyFile with COPYFILE_FICLONE shares blocks with the copy' },
];

/**
 * Modes, owners and times: only with `fs.write: true` (build-policy.ts), never with a list.
 * Landlock has no right for attribute changes, so a list could not keep them beneath its paths,
 * and the descriptor forms are no narrower: fchmod, fchown and futimens work on a read-only
 * descriptor, which the baseline lets the program open on any file it may read. So with a list,
 * fs.chmod, fs.chown, fs.utimes, filehandle.chmod and fs.copyFile (libuv sets the copy's mode
 * with fchmod) are refused; fs.cp keeps modes too.
 */
export const FS_ATTRIBUTES: readonly CatalogRule[] = [
  ...plain('change modes, owners and times (fs.chmod, fs.chown, fs.utimes, filehandle.chmod; fs.copyFile sets the copy\'s mode with fchmod). With fs.write: true only: Landlock cannot scope them to a list', 'chmod', 'fchmod', 'fchmodat', 'chown', 'fchown', 'lchown', 'fchownat', 'utimensat', 'utimes', 'futimesat'),
];
