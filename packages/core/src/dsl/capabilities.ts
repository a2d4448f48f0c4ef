/**
 * The public capability vocabulary: what a program writes in `sandbox({...})`, in the bundler
 * config, or as `syscage exec --allow` names. Types only, plus the list of names; resolving and
 * validating a declaration is `catalog/resolve.ts`'s job.
 */

/** A list of paths (Landlock-scoped), or `true` for any path. */
export type PathGrant = boolean | readonly string[];
/** A list of TCP ports (Landlock-scoped), or `true` for any port. */
export type PortGrant = boolean | readonly number[];

/**
 * A sandbox declaration. Every key is optional; what is not declared is denied.
 * @example
 * const caps: Capabilities = {
 *   fs: { read: ['./data'], write: ['./out'] },
 *   net: { connect: [443] },
 *   dns: true,
 *   onViolation: 'kill',
 * };
 */
export interface Capabilities {
  /** Files: `true` = read and write anywhere. */
  readonly fs?: boolean | { readonly read?: PathGrant; readonly write?: PathGrant };
  /** Sockets: `true` = every kind below, any port. */
  readonly net?:
    | boolean
    | { readonly connect?: PortGrant; readonly listen?: PortGrant; readonly udp?: boolean; readonly unix?: boolean };
  /** Name resolution: resolv.conf, hosts, UDP/TCP to port 53. */
  readonly dns?: boolean;
  /** Run programs (children inherit the sandbox): `true` = any, list = only these executables. */
  readonly spawn?: PathGrant;
  /** `worker_threads`. */
  readonly worker?: boolean;
  /** Terminal ioctls (raw mode, window size); never TIOCSTI or TIOCLINUX. */
  readonly tty?: boolean;
  /** Signal other processes (signalling itself is always allowed). */
  readonly signal?: boolean;
  /** `kill` (default): SIGSYS kills the process. `errno`: the call fails with EPERM. */
  readonly onViolation?: 'kill' | 'errno';
  /**
   * Where the sandbox cannot be applied (not Linux, unknown architecture): `error` (default) stops
   * the program; `warn` prints one line and runs it unsandboxed, for development on other systems.
   */
  readonly unsupported?: 'error' | 'warn';
  /**
   * Where the kernel lacks a Landlock right the declaration needs to mean what it says (path or
   * port lists, undeclared reads): `enforce` (default) stops the program with one line naming the
   * right and the kernel that has it; `best-effort` runs it with the wider sandbox and a warning.
   */
  readonly landlock?: 'enforce' | 'best-effort';
}

/** The capability names used by the CLI and in messages. */
export const CAPABILITY_NAMES = ['fs.read', 'fs.write', 'net.connect', 'net.listen', 'net.udp', 'net.unix', 'dns', 'spawn', 'worker', 'tty', 'signal'] as const;

/** One capability name. */
export type CapabilityName = (typeof CAPABILITY_NAMES)[number];
