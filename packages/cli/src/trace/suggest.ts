/**
 * The suggestion as text to paste: a `sandbox({...})` call for the program's first line, and the
 * equivalent `syscage exec` command line (each capability's option from core's capability table).
 * Formatting only.
 */

import { CAPABILITIES, type Capabilities, type CapabilityInfo } from '@syscage/core';

const literal = (value: unknown): string => {
  if (typeof value === 'string') return `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${literal(v)}`).join(', ')} }`;
  return String(value);
};

/** `sandbox({ ... });`, one capability group per line. */
export function formatSandboxCall(declaration: Capabilities): string {
  const entries = Object.entries(declaration);
  if (entries.length === 0) return 'sandbox({});';
  return `sandbox({\n${entries.map(([key, value]) => `  ${key}: ${literal(value)},`).join('\n')}\n});`;
}

const shellQuote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/** What `declaration` says of `capability`: a group given as `true` grants each of its members. */
function grantOf(declaration: Capabilities, capability: CapabilityInfo): unknown {
  const [key, member] = capability.path;
  const value: unknown = (declaration as Readonly<Record<string, unknown>>)[key];
  if (member === undefined || typeof value !== 'object' || value === null) return value;
  return (value as Readonly<Record<string, unknown>>)[member];
}

/**
 * `syscage exec ... -- COMMAND ARGS` granting `declaration`: `--allow` for what it grants outright,
 * the capability's list option for each item of a list.
 * @example
 * formatExecLine({ fs: { read: ['./data'] }, dns: true }, ['node', 'app.js']); // "syscage exec --allow dns --read ./data -- node app.js"
 */
export function formatExecLine(declaration: Capabilities, command: readonly string[]): string {
  const options: string[] = [];
  const allow: string[] = [];
  for (const capability of CAPABILITIES) {
    const value = grantOf(declaration, capability);
    if (Array.isArray(value) && capability.option !== undefined) for (const item of value) options.push(`--${capability.option}`, String(item));
    else if (value === true || (capability.shape === 'flag' && value)) allow.push(capability.name);
  }
  const words = ['syscage', 'exec', ...(allow.length > 0 ? ['--allow', allow.join(',')] : []), ...options, '--', ...command];
  return words.map(shellQuote).join(' ');
}
