/**
 * The implicit read set: what the Node runtime itself reads after a program's sandbox starts,
 * readable without being declared (and nothing else is). Each entry says who reads it.
 * Measured by `scripts/baseline/measure-paths.mjs` (strace of the baseline workloads after the
 * program's first line) on Node 20, 22, 24 and 26: the four read the same 23–24 paths, all covered
 * here but os.userInfo()'s /etc/passwd, which stays fs.read's; the Node API matrix's scoped case
 * then runs ~320 operations with path lists. What Node reads at start-up is here too, by reason:
 * below Landlock ABI 8 the sandbox restarts the process inside the domain, and it starts again.
 * Placeholders are resolved by the runtime: `{program}` is the directory of the main module (a
 * bundle loads its lazy chunks from it; its hidden entries left out: a program at a project's
 * root must not read the project's .env or .git), `{loader}` the real directories of syscage's runtime
 * packages and ffi-rs, `{modules}` and `{package-json}` the node_modules directories and
 * package.json files above the program, `{extra-ca-certs}` the NODE_EXTRA_CA_CERTS file, `{node}`
 * the Node executable and `{interpreter}` its ELF interpreter.
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
  { path: '{program}', access: READ, why: "the program's own directory, without its hidden entries (.env, .git, .npmrc) when it has any: its modules (read again at the restart), lazily imported modules and chunks of a bundle" },
  { path: '{loader}', access: READ, why: "syscage's runtime and ffi-rs, which the restarted image opens again and the program may import" },
  { path: '{modules}', access: READ, why: 'the node_modules directories above the program: its dependencies, resolved again at the restart (installed code, not the project\'s sources)' },
  { path: '{package-json}', access: ['read_file'], why: "the package.json files above the program: Node reads them to resolve modules (the package's type, exports)" },
  { path: '{node}', access: ['execute', 'read_file'], why: 'the Node executable, run again at the restart' },
  { path: '/etc/ssl/openssl.cnf', access: ['read_file'], why: "OpenSSL's configuration, read at start-up by a Node built against the system's OpenSSL (distribution packages)" },
  { path: '/etc/ssl/certs', access: READ, why: "the system's CA certificates: tls.getCACertificates('system'), --use-system-ca, --use-openssl-ca, and a distribution's Node (never /etc/ssl/private)" },
  { path: '/usr/share/ca-certificates', access: READ, why: 'the files the links in /etc/ssl/certs point to (Debian, Ubuntu)' },
  { path: '{extra-ca-certs}', access: READ, why: 'the NODE_EXTRA_CA_CERTS file, read by Node at start-up (again at the restart)' },
  { path: '/proc/self', access: READ, why: 'process.memoryUsage(), process.cpuUsage(), os.availableParallelism() (/proc/self/stat, statm, cgroup, task/*)' },
  { path: '/proc/stat', access: READ, why: 'os.cpus()' },
  { path: '/proc/cpuinfo', access: READ, why: 'os.cpus() (model and speed)' },
  { path: '/proc/loadavg', access: READ, why: 'os.loadavg() on some libuv versions' },
  { path: '/proc/sys/vm/overcommit_memory', access: READ, why: 'V8 reads it when it reserves memory (GC, WebAssembly, workers)' },
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

/**
 * What resolving a name reads: glibc's resolver configuration (its NSS modules are in the library
 * directories). Granted with `dns` and with every socket capability: connecting to or listening on
 * `localhost` resolves it through /etc/hosts. Sending the queries is `dns`'s alone.
 */
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
