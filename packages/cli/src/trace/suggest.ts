/**
 * The suggestion as text to paste: a `sandbox({...})` call for the program's first line, and the
 * equivalent `syscage exec` command line. Formatting only.
 */

import type { Capabilities } from '@syscage/core';

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

/** `syscage exec ... -- COMMAND ARGS` granting `declaration`. */
export function formatExecLine(declaration: Capabilities, command: readonly string[]): string {
  const options: string[] = [];
  const allow: string[] = [];
  const scoped = (name: string, flag: string, value: unknown): void => {
    if (value === true) allow.push(name);
    else if (Array.isArray(value)) for (const item of value) options.push(flag, String(item));
  };
  const fs = declaration.fs;
  if (fs === true) allow.push('fs.read', 'fs.write');
  else if (typeof fs === 'object') {
    scoped('fs.read', '--read', fs.read);
    scoped('fs.write', '--write', fs.write);
  }
  const net = declaration.net;
  if (net === true) allow.push('net.connect', 'net.listen', 'net.udp', 'net.unix');
  else if (typeof net === 'object') {
    scoped('net.connect', '--connect', net.connect);
    scoped('net.listen', '--listen', net.listen);
    if (net.udp) allow.push('net.udp');
    if (net.unix) allow.push('net.unix');
  }
  scoped('spawn', '--exec', declaration.spawn);
  for (const flag of ['dns', 'worker', 'tty', 'signal'] as const) if (declaration[flag]) allow.push(flag);
  const words = ['syscage', 'exec', ...(allow.length > 0 ? ['--allow', allow.join(',')] : []), ...options, '--', ...command];
  return words.map(shellQuote).join(' ');
}
