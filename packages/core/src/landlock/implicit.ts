/**
 * The implicit read set: what the Node runtime itself reads after a program's sandbox starts,
 * readable without being declared (and nothing else is). Each entry says who reads it. Measured with
 * `scripts/baseline/measure-paths.mjs` (strace of the baseline workloads and of the Node API
 * matrix's capability-free operations, after the program's first line) on Node 20, 22 and 24: the
 * three versions read the same set, so one list serves all. Placeholders are resolved by the
 * runtime: `{program}` is the directory of the main module (a bundle loads its lazy chunks from it),
 * `{loader}` the real directories of syscage's own runtime packages (and ffi-rs), `{modules}` and
 * `{package-json}` the node_modules directories and package.json files in the directories above
 * the program, `{node}` the Node
 * executable and `{interpreter}` its ELF interpreter. Node itself and the program are read again
 * when the sandbox restarts the process inside the Landlock domain (below ABI 8), so they belong here.
 */

import type { FsRight } from './rights.ts';

/** One path Landlock lets the program use without a declaration. */
export interface ImplicitPath {
  readonly path: string;
  readonly access: readonly FsRight[];
  /** Who reads it, and when. */
  readonly why: string;
}

const READ: readonly FsRight[] = ['read_file', 'read_dir'];

/** What every sandboxed Node program may read (and, for /dev/null, write). */
export const NODE_IMPLICIT_PATHS: readonly ImplicitPath[] = [
  { path: '{program}', access: READ, why: "the program's own directory: its modules (read again at the restart), lazily imported modules and chunks of a bundle" },
  { path: '{loader}', access: READ, why: "syscage's runtime and ffi-rs, loaded again at the restart" },
  { path: '{modules}', access: READ, why: 'the node_modules directories above the program: its dependencies, resolved again at the restart (installed code, not the project\'s sources)' },
  { path: '{package-json}', access: ['read_file'], why: "the package.json files above the program: Node reads them to resolve modules (the package's type, exports)" },
  { path: '{node}', access: ['execute', 'read_file'], why: 'the Node executable, run again at the restart' },
  { path: '/etc/ssl', access: READ, why: "OpenSSL's configuration, read by Node at start-up (and CA files when NODE_EXTRA_CA_CERTS or --use-openssl-ca asks)" },
  { path: '/proc/self', access: READ, why: 'process.memoryUsage(), process.cpuUsage(), os.availableParallelism() (/proc/self/stat, statm, cgroup, task/*)' },
  { path: '/proc/stat', access: READ, why: 'os.cpus()' },
  { path: '/proc/meminfo', access: READ, why: 'os.freemem(), os.totalmem() on some libuv versions' },
  { path: '/proc/uptime', access: READ, why: 'os.uptime() on some libuv versions' },
  { path: '/sys/devices/system/cpu', access: READ, why: 'os.cpus() (cpufreq)' },
  { path: '/sys/fs/cgroup', access: READ, why: 'os.availableParallelism(), process.constrainedMemory() (cgroup limits)' },
  { path: '/usr/share/zoneinfo', access: READ, why: 'time-zone data, read on first Date/Intl use' },
  { path: '/etc/localtime', access: READ, why: 'the local time zone (a link into /usr/share/zoneinfo)' },
  { path: '/dev/null', access: ['read_file', 'write_file'], why: "libuv's spare descriptor and stdio: 'ignore'" },
  { path: '/dev/urandom', access: ['read_file'], why: 'randomness where getrandom(2) is not used' },
  { path: '/dev/random', access: ['read_file'], why: 'randomness where getrandom(2) is not used' },
];

/** What a freshly executed, dynamically linked program reads to start: Node at the restart, and `spawn`ed programs. */
export const EXEC_START_PATHS: readonly ImplicitPath[] = [
  { path: '{interpreter}', access: ['execute', 'read_file'], why: 'the dynamic loader every dynamically linked program is started through' },
  { path: '/etc/ld.so.cache', access: ['read_file'], why: "the dynamic loader's library index" },
  ...libraryPaths('shared libraries (libc, libstdc++, NSS modules)'),
];

/** Where `spawn: true` finds programs: the kernel reads a program to execute it, so these are readable. */
export const PROGRAM_DIRS: readonly ImplicitPath[] = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin', '/usr/libexec'].map((path) => ({
  path,
  access: ['read_file', 'read_dir'],
  why: 'programs on the usual PATH, readable so they can be executed (a program elsewhere needs fs.read)',
}));

/** What name resolution (`dns`) reads: glibc's resolver configuration and its NSS modules. */
export const DNS_PATHS: readonly ImplicitPath[] = [
  { path: '/etc/resolv.conf', access: ['read_file'], why: 'name servers' },
  { path: '/etc/hosts', access: ['read_file'], why: 'local names' },
  { path: '/etc/nsswitch.conf', access: ['read_file'], why: 'which NSS modules resolve names' },
  { path: '/etc/host.conf', access: ['read_file'], why: 'resolver options' },
  { path: '/etc/gai.conf', access: ['read_file'], why: 'getaddrinfo address sorting' },
  { path: '/etc/services', access: ['read_file'], why: 'service names in getaddrinfo' },
];

function libraryPaths(why: string): ImplicitPath[] {
  return ['/lib', '/lib64', '/usr/lib', '/usr/lib64', '/usr/local/lib'].map((path) => ({ path, access: ['read_file', 'read_dir'], why }));
}
