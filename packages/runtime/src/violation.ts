/**
 * Names the missing capability when the sandbox answers EPERM (`onViolation: 'errno'`). Node
 * already reports `syscall`, `path`, `address` and `port` on such errors; this maps them to a
 * capability. It is a hint, not a verdict: an EPERM can also come from ordinary file permissions.
 * No hint where no capability would help (os.setPriority on another process: the sandbox allows
 * it on the process itself only).
 */

interface ErrorFacts {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly address?: unknown;
  readonly port?: unknown;
}

const BY_SYSCALL: Readonly<Record<string, string>> = {
  open: 'fs.write', openat: 'fs.write', mkdir: 'fs.write', mkdtemp: 'fs.write', rmdir: 'fs.write', rm: 'fs.write', unlink: 'fs.write',
  rename: 'fs.write', copyfile: 'fs.write', symlink: 'fs.write', link: 'fs.write', chmod: 'fs.write', fchmod: 'fs.write',
  chown: 'fs.write', fchown: 'fs.write', lchown: 'fs.write', utime: 'fs.write', futime: 'fs.write', lutime: 'fs.write',
  ftruncate: 'fs.write', fsync: 'fs.write', fdatasync: 'fs.write', write: 'fs.write',
  scandir: 'fs.read', opendir: 'fs.read', stat: 'fs.read', lstat: 'fs.read', access: 'fs.read', readlink: 'fs.read',
  realpath: 'fs.read', watch: 'fs.read', statfs: 'fs.read', read: 'fs.read',
  connect: 'net.connect', bind: 'net.listen', listen: 'net.listen', accept: 'net.listen', send: 'net.udp', recvmsg: 'net.udp',
  getaddrinfo: 'dns', getnameinfo: 'dns', queryA: 'dns', queryAaaa: 'dns', queryAny: 'dns',
  spawn: 'spawn', spawnSync: 'spawn', kill: 'signal',
};

/** The capability an EPERM error most likely lacked, or undefined when it cannot tell. */
export function missingCapability(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const facts = error as ErrorFacts;
  if (facts.code !== 'EPERM' || typeof facts.syscall !== 'string') return undefined;
  const base = facts.syscall.replace(/^(spawn|spawnSync) .*/, '$1');
  if (base === 'connect' && typeof facts.address === 'string' && facts.address.startsWith('/')) return 'net.unix';
  if ((base === 'connect' || base === 'bind' || base === 'listen') && facts.port === undefined && typeof facts.address !== 'string') return 'net';
  return BY_SYSCALL[base];
}

/**
 * The one line printed next to an uncaught error from a call the sandbox answers EACCES on
 * purpose, in either violation mode (core's deny.ts): os.networkInterfaces() without net.listen,
 * which Node reports as "Unknown system error 13" from `uv_interface_addresses`.
 */
export function softDenialHint(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const facts = error as ErrorFacts & { readonly errno?: unknown; readonly message?: unknown; readonly info?: { readonly syscall?: unknown } };
  const syscall = facts.syscall ?? facts.info?.syscall;
  const eacces = facts.errno === 13 || facts.errno === -13 || facts.code === 'EACCES' || /\berror 13\b|\bEACCES\b/.test(String(facts.message ?? ''));
  if (syscall !== 'uv_interface_addresses' || !eacces) return undefined;
  return 'syscage: os.networkInterfaces() needs a NETLINK_ROUTE socket, which the sandbox refused; declare `net.listen` to allow it (the sandbox drops CAP_NET_ADMIN, so it can only read the interfaces).';
}

/** The one line printed next to an uncaught EPERM from the sandbox. */
export function violationHint(error: unknown): string | undefined {
  const capability = missingCapability(error);
  if (capability === undefined) return undefined;
  const facts = error as ErrorFacts;
  const target = typeof facts.path === 'string' ? ` ${facts.path}` : typeof facts.address === 'string' ? ` ${facts.address}${facts.port === undefined ? '' : `:${String(facts.port)}`}` : '';
  return `syscage: ${String(facts.syscall)}${target} was refused by the sandbox; declare \`${capability}\` to allow it.`;
}
