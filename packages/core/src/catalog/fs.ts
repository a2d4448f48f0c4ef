/**
 * fs.read and fs.write: what file-system work needs beyond the Node baseline. seccomp decides
 * only the kind (open for reading vs for writing, list a directory, create, remove); which paths
 * is Landlock's business. Both the legacy and the `*at` forms are listed: Node on x86_64 still
 * calls `mkdir` and `readlink`, and names a table lacks (aarch64 has no legacy forms) are skipped.
 */

import { O_WRITE_BITS } from './constants.ts';
import { plain, type CatalogRule } from './types.ts';

/** Opening read-only: none of the write, create, truncate, append or tmpfile bits. */
export const OPEN_READ_ONLY: readonly CatalogRule[] = [
  { syscall: 'openat', when: [{ arg: 2, width: 32, op: 'flags_clear', flags: O_WRITE_BITS }], why: 'open for reading (O_RDONLY, O_DIRECTORY, O_NONBLOCK, O_CLOEXEC; no write/create/truncate/append/tmpfile bit)' },
  { syscall: 'open', when: [{ arg: 1, width: 32, op: 'flags_clear', flags: O_WRITE_BITS }], why: 'legacy open for reading, same flags test as openat' },
];

export const FS_READ: readonly CatalogRule[] = [
  ...OPEN_READ_ONLY,
  ...plain('list directories (fs.readdir, opendir, recursive watch)', 'getdents64', 'getdents'),
  ...plain('file metadata and existence checks (fs.stat, fs.access, realpath)', 'statx', 'newfstatat', 'stat', 'lstat', 'access', 'faccessat', 'faccessat2', 'readlink', 'readlinkat', 'statfs', 'fstatfs'),
  ...plain('reading at an offset (fs.read with a position, readFile of large files)', 'pread64', 'preadv', 'preadv2'),
  ...plain('fs.watch uses inotify; watchers only observe', 'inotify_init1', 'inotify_add_watch', 'inotify_rm_watch'),
  ...plain('process.chdir and path resolution relative to the working directory', 'chdir', 'fchdir', 'getcwd'),
  ...plain('read-ahead hints on files already open', 'fadvise64'),
];

export const FS_WRITE: readonly CatalogRule[] = [
  ...plain('open for writing, creating, truncating or appending (paths are scoped by Landlock)', 'openat', 'open', 'creat'),
  ...plain('gathered writes, writes at an offset, flush and size files', 'writev', 'pwrite64', 'pwritev', 'pwritev2', 'fsync', 'fdatasync', 'ftruncate', 'truncate', 'fallocate', 'copy_file_range', 'sendfile'),
  ...plain('create and remove entries (mkdir, rm, rename, link, symlink)', 'mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link', 'linkat', 'symlink', 'symlinkat'),
  ...plain('change modes, owners and times (fs.chmod, fs.chown, fs.utimes)', 'chmod', 'fchmod', 'fchmodat', 'chown', 'fchown', 'lchown', 'fchownat', 'utimensat', 'utimes', 'futimesat'),
  ...plain('file locks on descriptors the program holds', 'flock'),
  ...plain('umask is consulted by fs.mkdir/writeFile modes', 'umask'),
];
