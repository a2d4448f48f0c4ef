/**
 * From command-line options to a {@link Capabilities} declaration, shared by `compile` and `exec`.
 * `--allow NAME` grants a capability outright (any path, any port); a list option (`--read`,
 * `--write`, `--connect`, `--listen`, `--exec`) grants its capability scoped to the list, so
 * `--read ./data` alone means `fs: { read: ['./data'] }` and adding `--allow fs.read` changes
 * nothing. It validates names (suggesting the nearest) and ports; the declaration itself is then
 * validated by core's `resolveCapabilities`, like one written in source.
 */

import { CAPABILITY_NAMES, resolveCapabilities, suggestName, isSyscageError, type Capabilities, type CapabilityName, type ResolvedCapabilities } from '@syscage/core';
import type { Command } from 'commander';
import { Option } from 'commander';
import { usageError } from './exit-codes.ts';

/** The declaration options as commander parses them. */
export interface DeclarationOptions {
  readonly allow?: readonly string[];
  readonly read?: readonly string[];
  readonly write?: readonly string[];
  readonly connect?: readonly number[];
  readonly listen?: readonly number[];
  readonly exec?: readonly string[];
  readonly onViolation?: 'kill' | 'errno';
  readonly bestEffort?: boolean;
}

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
  return command
    .option('--allow <caps>', `grant capabilities outright, comma-separated (${CAPABILITY_NAMES.join(', ')})`, collect(parseCapabilityList))
    .option('--read <path>', 'grant fs.read on this path only (repeatable)', collect((v) => [v]))
    .option('--write <path>', 'grant fs.write on this path only (repeatable)', collect((v) => [v]))
    .option('--connect <port>', 'grant net.connect to this TCP port only (repeatable, or 80,443)', collect(parsePorts))
    .option('--listen <port>', 'grant net.listen on this TCP port only (repeatable, or 80,443)', collect(parsePorts))
    .option('--exec <path>', 'grant spawn of this executable only (repeatable)', collect((v) => [v]))
    .addOption(new Option('--on-violation <mode>', 'kill (SIGSYS) or errno (EPERM)').choices(['kill', 'errno']).default('kill'))
    .option('--best-effort', "where the kernel's Landlock lacks a right, run wider with a warning instead of refusing");
}

/** The declaration the options describe. */
export function toCapabilities(options: DeclarationOptions): Capabilities {
  const allowed = new Set<string>(options.allow ?? []);
  const grant = (name: CapabilityName, list: readonly (string | number)[] | undefined): boolean | readonly (string | number)[] | undefined => {
    if (list !== undefined && list.length > 0) return list;
    return allowed.has(name) ? true : undefined;
  };
  const fs = { read: grant('fs.read', options.read), write: grant('fs.write', options.write) };
  const net = { connect: grant('net.connect', options.connect), listen: grant('net.listen', options.listen), udp: grant('net.udp', undefined), unix: grant('net.unix', undefined) };
  const declaration: Record<string, unknown> = {
    fs: prune(fs),
    net: prune(net),
    dns: grant('dns', undefined),
    spawn: grant('spawn', options.exec),
    worker: grant('worker', undefined),
    tty: grant('tty', undefined),
    signal: grant('signal', undefined),
    onViolation: options.onViolation,
    landlock: options.bestEffort ? 'best-effort' : undefined,
  };
  return (prune(declaration) ?? {}) as Capabilities;
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

function prune(record: Record<string, unknown>): Record<string, unknown> | undefined {
  const kept = Object.entries(record).filter(([, value]) => value !== undefined);
  return kept.length === 0 ? undefined : Object.fromEntries(kept);
}
