/**
 * What the kernel cannot scope for a declaration, in plain words: the limits README's "Security
 * model and limits" lists, picked for the capabilities a sandbox grants, so `inspect` says them
 * for the program at hand. Words only; nothing here decides what is allowed.
 */

/** The limits that apply to a sandbox granting `grants` (capability names), most general first. */
export function limitsOf(grants: readonly string[]): string[] {
  const has = (name: string): boolean => grants.includes(name);
  const limits = [
    'metadata by path (existence, size, mode, times of any file: stat) is readable everywhere; Landlock does not check it',
    'descriptors the process held before the sandbox (stdio, what a parent passed down) keep working',
  ];
  if (has('fs.read')) limits.push('fs.watch (inotify) on a readable directory reports the names of files created there; /proc/self/net lists the host\'s sockets and ports');
  if (has('fs.write')) limits.push('attribute changes (chmod, chown, utimes) reach any file the user owns under fs.write: true; under a list they are refused, copyFile and cp included');
  if (has('net.connect')) limits.push('a TCP port list allows that port on every host');
  if (has('net.listen')) limits.push('a TCP socket may listen() without bind() on an ephemeral port, which Landlock does not check: keep unlisted ports closed with a firewall or a network namespace');
  if (has('net.udp') || has('dns')) limits.push('UDP datagrams may go to any host and port');
  if (has('net.unix')) limits.push('unix sockets are not scoped by path (Landlock ABI < 9), and abstract sockets leave the sandbox');
  if (has('spawn')) limits.push("a listed program's dynamic loader is executable too, so ld.so can start any readable ELF file");
  if (has('signal')) limits.push('signals may reach any process the user may signal (Landlock\'s signal scope is lifted)');
  return limits;
}
