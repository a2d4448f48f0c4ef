/**
 * Validates a declaration ({@link Capabilities}, as written by a person or read from source) and
 * resolves it to the set of granted capability names, their path and port scopes, and the
 * violation mode. Refuses anything it does not understand, naming the nearest valid key. Which
 * keys exist and what each takes is `dsl/capabilities.ts`'s table; this module only checks a
 * declaration against it. It knows nothing of syscalls; `build-policy.ts` maps the result to rules.
 */

import { SyscageError, type SourceLocation } from '../errors.ts';
import { suggestName } from '../suggest.ts';
import { CAPABILITY_TABLE, LANDLOCK_MODES, LATE_START_MODES, UNSUPPORTED_MODES, VIOLATION_MODES, type CapabilityEntry, type CapabilityName, type CapabilityShape, type CapabilitySpec, type LandlockMode, type LateStartMode, type ScopedCapability, type UnsupportedMode, type ViolationMode } from '../dsl/capabilities.ts';

export type { ScopedCapability };

/** A validated declaration. */
export interface ResolvedCapabilities {
  /** Every granted capability, scoped or not. */
  readonly grants: ReadonlySet<CapabilityName>;
  /** For granted scoped capabilities: `any`, or the list the declaration gave. */
  readonly scopes: Readonly<Partial<Record<ScopedCapability, 'any' | readonly string[] | readonly number[]>>>;
  readonly onViolation: ViolationMode;
  readonly unsupported: UnsupportedMode;
  /** What to do where the kernel lacks a Landlock right the declaration needs. */
  readonly landlock: LandlockMode;
  /** What an unbuilt program's late `sandbox()` does. */
  readonly lateStart: LateStartMode;
}

type Shape = CapabilityShape | { readonly [key: string]: Shape };

const shapeOf = (entry: CapabilityEntry | CapabilitySpec): Shape =>
  typeof entry.shape === 'string' ? (entry as CapabilitySpec).shape : Object.fromEntries(Object.entries(entry as Readonly<Record<string, CapabilitySpec>>).map(([key, spec]) => [key, shapeOf(spec)]));

const TOP: Readonly<Record<string, Shape>> = Object.fromEntries(Object.entries(CAPABILITY_TABLE as Readonly<Record<string, CapabilityEntry>>).map(([key, entry]) => [key, shapeOf(entry)]));
const OPTIONS = ['onViolation', 'unsupported', 'landlock', 'lateStart'];

/** Where a declaration stands, for messages: one place, or a place per key (its dotted path, `fs.read`; `''` for the whole). */
export type DeclarationPlace = SourceLocation | ((path: string) => SourceLocation | undefined);

/**
 * Validates and resolves a declaration.
 * @param where Where the declaration stands, for messages: a message about a key points at that key when `where` knows it.
 * @example
 * resolveCapabilities({ fs: { read: ['./data'] }, net: { connect: [443] } }).grants; // Set { 'fs.read', 'net.connect' }
 */
export function resolveCapabilities(declaration: unknown, where?: DeclarationPlace): ResolvedCapabilities {
  const fail = (code: 'UNKNOWN_CAPABILITY' | 'INVALID_CAPABILITY', message: string, hint: string, path = ''): never => {
    const location = typeof where === 'function' ? (where(path) ?? where('')) : where;
    throw new SyscageError({ code, message, hint, ...(location ? { location } : {}) });
  };
  if (!isPlainObject(declaration)) {
    return fail('INVALID_CAPABILITY', `A sandbox declaration is an object of capabilities, not ${describe(declaration)}.`, 'Write for example `{ fs: { read: true } }`; `{}` allows only the Node runtime itself.');
  }
  const grants = new Set<CapabilityName>();
  const scopes: Partial<Record<ScopedCapability, 'any' | readonly string[] | readonly number[]>> = {};

  const grant = (name: string, shape: Shape, value: unknown): void => {
    if (typeof shape === 'object') {
      if (value === true || value === false) {
        if (value) for (const [key, inner] of Object.entries(shape)) grant(`${name}.${key}`, inner, true);
        return;
      }
      if (!isPlainObject(value)) fail('INVALID_CAPABILITY', `\`${name}\` takes true, false or an object with ${keyList(shape)}; got ${describe(value)}.`, `Write \`${name}: true\` or \`${name}: { ${Object.keys(shape)[0]}: true }\`.`, name);
      for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
        const innerShape = shape[key];
        if (innerShape === undefined) unknownKey(`${name}.${key}`, Object.keys(shape).map((k) => `${name}.${k}`));
        else grant(`${name}.${key}`, innerShape, inner);
      }
      return;
    }
    const capability = name as CapabilityName;
    if (value === false || value === undefined) return;
    if (value === true) {
      grants.add(capability);
      if (shape !== 'flag') scopes[capability as ScopedCapability] = 'any';
      return;
    }
    if (shape === 'flag') fail('INVALID_CAPABILITY', `\`${name}\` takes true or false; got ${describe(value)}.`, `Write \`${name}: true\` to allow it.`, name);
    if (!Array.isArray(value)) fail('INVALID_CAPABILITY', `\`${name}\` takes true, false or a list of ${shape}; got ${describe(value)}.`, shape === 'paths' ? `Write \`${name}: ['./data']\` or \`${name}: true\`.` : `Write \`${name}: [443]\` or \`${name}: true\`.`, name);
    const list = value as unknown[];
    // `fs.read: []` is a real grant: stat, access and existence checks anywhere (seccomp's side),
    // reading nothing beyond the implicit read set (Landlock's). Another empty list would allow a
    // kind of operation with nowhere to do it.
    if (list.length === 0 && name !== 'fs.read') fail('INVALID_CAPABILITY', `\`${name}: []\` grants nothing.`, `Write \`${name}: false\` (or leave it out) to deny it.`, name);
    for (const item of list) {
      if (shape === 'paths' && (typeof item !== 'string' || item === '' || item.includes('\0'))) fail('INVALID_CAPABILITY', `\`${name}\` lists ${describe(item)}, which is not a path.`, 'List non-empty path strings, relative or absolute.', name);
      if (shape === 'ports' && (typeof item !== 'number' || !Number.isInteger(item) || item < 1 || item > 65535)) fail('INVALID_CAPABILITY', `\`${name}\` lists ${describe(item)}, which is not a TCP port.`, 'List port numbers from 1 to 65535.', name);
    }
    grants.add(capability);
    scopes[capability as ScopedCapability] = Object.freeze([...new Set(list)]) as readonly string[] | readonly number[];
  };

  const unknownKey = (name: string, valid: readonly string[]): never => {
    const guess = suggestName(name, valid);
    return fail('UNKNOWN_CAPABILITY', `\`${name}\` is not a capability.`, guess ? `Did you mean \`${guess}\`?` : `Valid keys: ${valid.join(', ')}.`, name);
  };

  let onViolation: ViolationMode = VIOLATION_MODES[0];
  let unsupported: UnsupportedMode = UNSUPPORTED_MODES[0];
  let landlock: LandlockMode = LANDLOCK_MODES[0];
  let lateStart: LateStartMode = LATE_START_MODES[0];
  for (const [key, value] of Object.entries(declaration)) {
    if (key === 'lateStart') {
      if (!isOneOf(value, LATE_START_MODES)) return fail('INVALID_CAPABILITY', `\`lateStart\` is 'warn' or 'error'; got ${describe(value)}.`, "Write `lateStart: 'error'` to stop an unbuilt program whose sandbox() runs after its own modules; leave it out to warn.", key);
      lateStart = value;
      continue;
    }
    if (key === 'landlock') {
      if (!isOneOf(value, LANDLOCK_MODES)) return fail('INVALID_CAPABILITY', `\`landlock\` is 'enforce' or 'best-effort'; got ${describe(value)}.`, "Write `landlock: 'best-effort'` to run with a warning where the kernel cannot scope paths or ports; leave it out to refuse.", key);
      landlock = value;
      continue;
    }
    if (key === 'unsupported') {
      if (!isOneOf(value, UNSUPPORTED_MODES)) return fail('INVALID_CAPABILITY', `\`unsupported\` is 'error' or 'warn'; got ${describe(value)}.`, "Write `unsupported: 'warn'` to run unsandboxed (with a warning) where the sandbox cannot be applied.", key);
      unsupported = value;
      continue;
    }
    if (key === 'onViolation') {
      if (!isOneOf(value, VIOLATION_MODES)) return fail('INVALID_CAPABILITY', `\`onViolation\` is 'kill' or 'errno'; got ${describe(value)}.`, "Write `onViolation: 'kill'` (SIGSYS, the default) or `onViolation: 'errno'` (EPERM errors).", key);
      onViolation = value;
      continue;
    }
    const shape = TOP[key];
    if (shape === undefined) unknownKey(key, [...Object.keys(TOP), ...OPTIONS]);
    else grant(key, shape, value);
  }
  return Object.freeze({ grants: Object.freeze(grants) as ReadonlySet<CapabilityName>, scopes: Object.freeze(scopes), onViolation, unsupported, landlock, lateStart });
}

function isOneOf<T extends string>(value: unknown, modes: readonly T[]): value is T {
  return (modes as readonly unknown[]).includes(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : String(value);
}

function keyList(shape: Readonly<Record<string, Shape>>): string {
  return Object.keys(shape).map((k) => `\`${k}\``).join(', ');
}
