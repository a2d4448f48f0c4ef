/**
 * The public capability vocabulary, written once: {@link CAPABILITY_TABLE} says which capabilities
 * exist, how each is written in a declaration (a switch, a path list or a port list) and which
 * `syscage` option scopes it. The declaration type, the list of names, the resolver's checks, the
 * CLI's options and `trace`'s suggestions all derive from it, so a new capability is one row here
 * (plus its syscall rules in the catalog). Resolving and validating a declaration is
 * `catalog/resolve.ts`'s job; this module holds the table, its types and nothing that runs.
 */

/** A list of paths (Landlock-scoped), or `true` for any path. */
export type PathGrant = boolean | readonly string[];
/** A list of TCP ports (Landlock-scoped), or `true` for any port. */
export type PortGrant = boolean | readonly number[];

/** How one capability is written: `flag` takes true or false; `paths` and `ports` also take a list that scopes it. */
export type CapabilityShape = 'flag' | 'paths' | 'ports';

/** One capability in {@link CAPABILITY_TABLE}. */
export interface CapabilitySpec {
  readonly shape: CapabilityShape;
  /** For a scoped capability: the `syscage exec`/`compile` option that grants it on one path or port (`read` is `--read`). */
  readonly option?: string;
}

/** A row of {@link CAPABILITY_TABLE}: one capability, or a group of them written `group: { key: ... }` (`true` grants every member). */
export type CapabilityEntry = CapabilitySpec | { readonly [key: string]: CapabilitySpec };

/**
 * Every capability, in the order messages and `--allow` list them. Its doc comments are the
 * declaration's: {@link Capabilities} maps over this table and keeps them.
 */
export const CAPABILITY_TABLE = {
  /** Files: `true` = read and write anywhere. */
  fs: {
    /** Read files and list directories: `true` = anywhere, list = only beneath these paths. */
    read: { shape: 'paths', option: 'read' },
    /** Create, write and remove files: `true` = anywhere, list = only beneath these paths. */
    write: { shape: 'paths', option: 'write' },
  },
  /** Sockets: `true` = every kind below, any port. */
  net: {
    /** Open TCP connections: `true` = to any port, list = only to these remote ports. */
    connect: { shape: 'ports', option: 'connect' },
    /** Accept TCP connections: `true` = on any port, list = only on these local ports. */
    listen: { shape: 'ports', option: 'listen' },
    /** UDP datagrams (Landlock cannot scope UDP). */
    udp: { shape: 'flag' },
    /** Unix domain sockets, abstract ones included. */
    unix: { shape: 'flag' },
  },
  /** Name resolution: resolv.conf, hosts, UDP/TCP to port 53. */
  dns: { shape: 'flag' },
  /** Run programs (children inherit the sandbox): `true` = any, list = only these executables. */
  spawn: { shape: 'paths', option: 'exec' },
  /** `worker_threads`. */
  worker: { shape: 'flag' },
  /** Terminal ioctls (raw mode, window size); never TIOCSTI or TIOCLINUX. */
  tty: { shape: 'flag' },
  /** Signal other processes (signalling itself is always allowed). */
  signal: { shape: 'flag' },
} as const satisfies Readonly<Record<string, CapabilityEntry>>;

type Table = typeof CAPABILITY_TABLE;
type GrantOf<Spec> = Spec extends { readonly shape: 'paths' } ? PathGrant : Spec extends { readonly shape: 'ports' } ? PortGrant : boolean;
type NameOf<Key extends string, Entry> = Entry extends CapabilitySpec ? Key : `${Key}.${keyof Entry & string}`;

/** One capability name: a top-level key of the table, or `group.key` for a group's member. */
export type CapabilityName = { [Key in keyof Table & string]: NameOf<Key, Table[Key]> }[keyof Table & string];

/** The capability grants of a declaration, as the table says each is written. */
export type CapabilityGrants = {
  readonly [Key in keyof Table]?: Table[Key] extends CapabilitySpec ? GrantOf<Table[Key]> : boolean | { readonly [Member in keyof Table[Key]]?: GrantOf<Table[Key][Member]> };
};

/** What a violation does: `kill` (SIGSYS kills the process) or `errno` (the call fails with EPERM). */
export type ViolationMode = 'kill' | 'errno';
/** What a program does where the sandbox cannot be applied: `error` (refuse to run) or `warn` (run unsandboxed, with a warning). */
export type UnsupportedMode = 'error' | 'warn';
/** What a program does where the kernel lacks a Landlock right it needs: `enforce` (refuse to run) or `best-effort` (run wider, with a warning). */
export type LandlockMode = 'enforce' | 'best-effort';

/**
 * What an unbuilt program's `sandbox()` does when it runs after the program's own modules were
 * evaluated (their top-level code ran unsandboxed): `warn` (default) prints one line and applies
 * the sandbox; `error` stops the program. Built programs apply their sandbox before anything else.
 */
export type LateStartMode = 'warn' | 'error';

/** Every {@link ViolationMode}, the default first. */
export const VIOLATION_MODES = ['kill', 'errno'] as const satisfies readonly ViolationMode[];
/** Every {@link UnsupportedMode}, the default first. */
export const UNSUPPORTED_MODES = ['error', 'warn'] as const satisfies readonly UnsupportedMode[];
/** Every {@link LateStartMode}, the default first. */
export const LATE_START_MODES = ['warn', 'error'] as const satisfies readonly LateStartMode[];
/** Every {@link LandlockMode}, the default first. */
export const LANDLOCK_MODES = ['enforce', 'best-effort'] as const satisfies readonly LandlockMode[];

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
export interface Capabilities extends CapabilityGrants {
  /** `kill` (default): SIGSYS kills the process. `errno`: the call fails with EPERM. */
  readonly onViolation?: ViolationMode;
  /**
   * Where the sandbox cannot be applied (not Linux, unknown architecture): `error` (default) stops
   * the program; `warn` prints one line and runs it unsandboxed, for development on other systems.
   */
  readonly unsupported?: UnsupportedMode;
  /**
   * Where the kernel lacks a Landlock right the declaration needs to mean what it says (path or
   * port lists, undeclared reads): `enforce` (default) stops the program with one line naming the
   * right and the kernel that has it; `best-effort` runs it with the wider sandbox and a warning.
   */
  readonly landlock?: LandlockMode;
  /**
   * An unbuilt program's `sandbox()` that runs after the program's own modules were evaluated:
   * `warn` (default) says so in one line; `error` stops the program (their top-level code ran
   * unsandboxed). A built program's sandbox always comes first.
   */
  readonly lateStart?: LateStartMode;
}

/** One capability with its place in the table. */
export interface CapabilityInfo extends CapabilitySpec {
  readonly name: CapabilityName;
  /** Where it is written in a declaration: `['fs', 'read']`, `['dns']`. */
  readonly path: readonly [string] | readonly [string, string];
}

const isSpec = (entry: CapabilityEntry): entry is CapabilitySpec => typeof entry.shape === 'string';

/** Every capability of the table, flattened, in table order. */
export const CAPABILITIES: readonly CapabilityInfo[] = Object.freeze(
  Object.entries(CAPABILITY_TABLE as Readonly<Record<string, CapabilityEntry>>).flatMap(([key, entry]): CapabilityInfo[] =>
    isSpec(entry) ? [{ ...entry, name: key as CapabilityName, path: [key] }] : Object.entries(entry).map(([member, spec]) => ({ ...spec, name: `${key}.${member}` as CapabilityName, path: [key, member] })),
  ),
);

/** The capability names used by the CLI and in messages. */
export const CAPABILITY_NAMES: readonly CapabilityName[] = Object.freeze(CAPABILITIES.map((capability) => capability.name));

/** The table's spec of capability `Name`. */
type SpecOf<Name> = Name extends `${infer Group extends keyof Table}.${infer Member}` ? Table[Group][Member & keyof Table[Group]] : Table[Name & keyof Table];

/** Capabilities whose grant can be narrowed to a list (of paths or ports). */
export type ScopedCapability = { [Name in CapabilityName]: SpecOf<Name> extends { readonly shape: 'flag' } ? never : Name }[CapabilityName];
