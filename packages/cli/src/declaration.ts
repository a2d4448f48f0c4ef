/**
 * From command-line options to a {@link Capabilities} declaration, shared by `compile` and `exec`.
 * `--allow NAME` grants a capability outright (any path, any port); a list option (`--read`,
 * `--write`, `--connect`, `--listen`, `--exec`: core's capability table names each scoped
 * capability's option) grants its capability scoped to the list, so `--read ./data` alone means
 * `fs: { read: ['./data'] }` and adding `--allow fs.read` changes nothing. It validates names
 * (suggesting the nearest) and ports; the declaration itself is then validated by core's
 * `resolveCapabilities`, like one written in source.
 */

import { CAPABILITIES, CAPABILITY_NAMES, VIOLATION_MODES, resolveCapabilities, suggestName, isSyscageError, type Capabilities, type CapabilityInfo, type CapabilityName, type ResolvedCapabilities, type ScopedCapability, type ViolationMode } from '@syscage/core';
import type { Command } from 'commander';
import { Option } from 'commander';
import { usageError } from './exit-codes.ts';
import { declarationFromGrants } from './grants.ts';

/** The declaration options as commander parses them: `allow`, and one list per scoped capability's option. */
export interface DeclarationOptions {
  readonly allow?: readonly string[];
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  readonly connect?: readonly number[];
  readonly listen?: readonly number[];
  readonly exec?: readonly string[];
  readonly onViolation?: ViolationMode;
  readonly bestEffort?: boolean;
}

/** A scoped capability with its option, as the table gives it. */
type OptionCapability = CapabilityInfo & { readonly option: keyof DeclarationOptions & string };

/** The scoped capabilities' options, in table order. */
const SCOPE_OPTIONS = CAPABILITIES.filter((capability): capability is OptionCapability => capability.option !== undefined);

/** What each scope option grants, for `--help`. */
const SCOPE_HELP: Readonly<Record<ScopedCapability, string>> = {
  'fs.read': 'grant fs.read on this path only (repeatable)',
  'fs.write': 'grant fs.write on this path only (repeatable)',
  'net.connect': 'grant net.connect to this TCP port only (repeatable, or 80,443)',
  'net.listen': 'grant net.listen on this TCP port only (repeatable, or 80,443)',
  spawn: 'grant spawn of this executable only (repeatable)',
};

const collect = <T>(parse: (value: string) => T[]) => (value: string, previous: T[] | undefined): T[] => [...(previous ?? []), ...parse(value)];

/** Parses `443` or `80,443`; anything else is a usage error. */
export function parsePorts(value: string): number[] {
  return value.split(',').map((text) => {
    const port = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || port < 1 || port > 65535) throw usageError(`"${text}" is not a TCP port.`, 'Give port numbers from 1 to 65535, e.g. --connect 443 or --connect 80,443.');
    return port;
  });
}

/** Parses `fs.read,net.connect`, refusing unknown names with the nearest valid one. */
export function parseCapabilityList(value: string): CapabilityName[] {
  return value.split(',').map((text) => text.trim()).filter((text) => text !== '').map((name) => {
    if ((CAPABILITY_NAMES as readonly string[]).includes(name)) return name as CapabilityName;
    const guess = suggestName(name, CAPABILITY_NAMES);
    throw usageError(`"${name}" is not a capability.`, guess ? `Did you mean "${guess}"? Capabilities: ${CAPABILITY_NAMES.join(', ')}.` : `Capabilities: ${CAPABILITY_NAMES.join(', ')}.`);
  });
}

/** Adds the declaration options to `command`. */
export function addDeclarationOptions(command: Command): Command {
  command.option('--allow <caps>', `grant capabilities outright, comma-separated (${CAPABILITY_NAMES.join(', ')})`, collect(parseCapabilityList));
  for (const capability of SCOPE_OPTIONS) {
    const help = SCOPE_HELP[capability.name as ScopedCapability];
    if (capability.shape === 'ports') command.option(`--${capability.option} <port>`, help, collect(parsePorts));
    else command.option(`--${capability.option} <path>`, help, collect((v) => [v]));
  }
  return command
    .addOption(new Option('--on-violation <mode>', 'kill (SIGSYS) or errno (EPERM)').choices(VIOLATION_MODES).default(VIOLATION_MODES[0]))
    .option('--best-effort', "where the kernel's Landlock lacks a right, run wider with a warning instead of refusing");
}

/**
 * The declaration the options describe: each capability granted by its option's list, else by
 * `--allow` (any path, any port), else not at all.
 * @example
 * toCapabilities({ read: ['./data'], allow: ['dns'] }); // { fs: { read: ['./data'] }, dns: true }
 */
export function toCapabilities(options: DeclarationOptions): Capabilities {
  const allowed = new Set<string>(options.allow ?? []);
  const scopes = new Map<CapabilityName, readonly (string | number)[]>();
  for (const capability of SCOPE_OPTIONS) {
    const list = options[capability.option] as readonly (string | number)[] | undefined;
    if (list !== undefined && list.length > 0) scopes.set(capability.name, list);
  }
  const granted = CAPABILITY_NAMES.filter((name) => scopes.has(name) || allowed.has(name));
  const declaration: Record<string, unknown> = { ...declarationFromGrants(granted, options.onViolation, scopes) };
  if (options.bestEffort) declaration['landlock'] = 'best-effort';
  return declaration as Capabilities;
}

/** Resolves the options' declaration; an invalid one is a usage error. */
export function resolveOptions(options: DeclarationOptions): { declaration: Capabilities; resolved: ResolvedCapabilities } {
  const declaration = toCapabilities(options);
  try {
    return { declaration, resolved: resolveCapabilities(declaration) };
  } catch (error) {
    if (isSyscageError(error)) throw usageError(error.reason, error.hint);
    throw error;
  }
}
