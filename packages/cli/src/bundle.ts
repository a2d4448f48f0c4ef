/**
 * Reads what a bundle built with `@syscage/plugin` embeds: the program it launches when it is a
 * launcher (`<name>.program.mjs` beside it; the plugin's gate.ts), the gate the program loads as
 * its first statement (`<output>.syscage.mjs` or `.cjs` beside it), every `applyPrecompiled({...})` call's
 * literal argument (the plugin writes it as JSON; a bundler may reprint it as a JS object literal
 * or rename the function, so both are read), and the `<output>.syscage.json` manifest beside it.
 * It parses data only: nothing in a bundle is evaluated.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Manifest } from '@syscage/core';
import type { PrecompiledSandbox } from '@syscage/runtime/loader';
import { failure } from './exit-codes.ts';
import { readInput } from './read-input.ts';

/** The manifest beside a bundle as read from disk: the plugin's {@link Manifest}, any part of which may be missing. */
export type ManifestSummary = Partial<Manifest>;

const CALL = /applyPrecompiled[\w$]*\)?\(\s*\{/g;

/** The output's first statement, when it loads a gate: after a `#!` line, comments and `'use strict'`. */
const GATE_FIRST = /^(?:#![^\n]*\n)?(?:\s|\/\*(?:[^*]|\*(?!\/))*\*\/|\/\/[^\n]*\n|(["'])use strict\1;?)*(?:import\s*(["'])(\.\.?\/[^"'\n]+\.syscage\.mjs)\2|require\(\s*(["'])(\.\.?\/[^"'\n]+\.syscage\.cjs)\4\s*\))/;

/** A launcher's head and the program it names (see the plugin's gate.ts). */
const LAUNCHER = /^(?:#![^\n]*\n)?\/\/ Written by @syscage\/plugin: starts [^\n]*\n[^\n]*\n(?:'use strict';\n)?[^\n]*launchPrecompiled\(/;
const LAUNCHED_PROGRAM = /, \{ self: (?:import\.meta\.url|__filename), program: ("\.\/[^"\n]+"), main: /;

/** A built output as `inspect` and `disasm` read it. */
export interface BundleText {
  /** The gate's text (when the program loads one first), then the program's. */
  readonly text: string;
  /** The gate the program loads as its first statement, as a path beside `file`. */
  readonly gate: string | undefined;
  /** When `file` is a launcher: the program it starts and the sandbox it applies first. */
  readonly launcher: { readonly program: string; readonly payload: PrecompiledSandbox } | undefined;
}

/** Reads `file` (and, when it is a launcher, the program it starts) and the gate loaded first, if any. */
export function readBundle(file: string): BundleText {
  const own = readInput(file).toString('utf8');
  const launch = LAUNCHER.exec(own);
  if (launch !== null) {
    const specifier = LAUNCHED_PROGRAM.exec(own.slice(launch[0].length + matchingBrace(own, launch[0].length)))?.[1];
    if (specifier === undefined) throw failure(`${file} is a syscage launcher that names no program.`, 'Rebuild the program with @syscage/plugin.');
    const program = join(dirname(file), JSON.parse(specifier) as string);
    if (!existsSync(program)) throw failure(`${file} starts ${program}, which does not exist: the program cannot start.`, 'Copy the program file with the output, or rebuild.');
    const payload = parseLiteral(own, launch[0].length);
    if (!isPayload(payload)) throw failure(`${file}'s launcher does not carry filters (grants, filters, stage1).`, 'Rebuild the program with @syscage/plugin.');
    return { ...readProgram(program), launcher: { program, payload } };
  }
  return { ...readProgram(file), launcher: undefined };
}

/** How many characters from `at` (an opening brace) to just after its closing one, strings aside. */
function matchingBrace(text: string, at: number): number {
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1 - at;
  }
  return text.length - at;
}

/** Reads the program `file` and the gate it loads first, if any. */
function readProgram(file: string): Omit<BundleText, 'launcher'> {
  const own = readInput(file).toString('utf8');
  const match = GATE_FIRST.exec(own);
  const specifier = match?.[3] ?? match?.[5];
  if (specifier === undefined) return { text: own, gate: undefined };
  const gate = join(dirname(file), specifier);
  if (!existsSync(gate)) throw failure(`${file} loads its sandbox from ${gate}, which does not exist: the program cannot start.`, 'Copy the gate file with the output, or rebuild.');
  return { text: `${readFileSync(gate, 'utf8')}\n${own}`, gate };
}

/** True when `text` looks like a bundle with a syscage loader in it. */
export function looksLikeBundle(text: string): boolean {
  return /applyPrecompiled[\w$]*\)?\(\s*\{/.test(text);
}

/** Every embedded payload of the bundle text, in order. */
export function findPayloads(text: string): PrecompiledSandbox[] {
  return [...text.matchAll(CALL)].map((match) => {
    const start = (match.index ?? 0) + match[0].length - 1;
    const value = parseLiteral(text, start);
    if (!isPayload(value)) throw failure('A syscage loader call in the bundle does not carry filters (grants, filters, stage1).', 'Rebuild the program with @syscage/plugin.');
    return value;
  });
}

/** The manifest beside `bundle`, if there is one. */
export function readManifest(bundle: string): ManifestSummary | undefined {
  const file = `${bundle}.syscage.json`;
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ManifestSummary;
  } catch (error) {
    throw failure(`${file} is not valid JSON (${(error as Error).message}).`, 'Rebuild to write it again.');
  }
}

function isPayload(value: unknown): value is PrecompiledSandbox {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return Array.isArray(record['grants']) && typeof record['filters'] === 'object' && typeof record['stage1'] === 'object';
}

/**
 * Parses the JSON-like literal at `start`: JSON, or a JS literal of objects, arrays, strings,
 * numbers, booleans and null with unquoted keys, single quotes and trailing commas.
 */
export function parseLiteral(text: string, start: number): unknown {
  let at = start;
  const fail = (what: string): never => {
    throw failure(`Cannot read the embedded sandbox at offset ${at}: ${what}.`, 'The bundle is corrupt or was not produced by @syscage/plugin.');
  };
  const skip = (): void => {
    while (at < text.length && /\s/.test(text[at] as string)) at++;
  };
  const string = (): string => {
    const quote = text[at];
    let result = '';
    at++;
    while (at < text.length && text[at] !== quote) {
      if (text[at] === '\\') {
        const next = text[++at] ?? '';
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' };
        if (next === 'u') {
          result += String.fromCharCode(parseInt(text.slice(at + 1, at + 5), 16));
          at += 4;
        } else if (next === 'x') {
          result += String.fromCharCode(parseInt(text.slice(at + 1, at + 3), 16));
          at += 2;
        } else result += simple[next] ?? next;
      } else result += text[at];
      at++;
    }
    if (at >= text.length) fail('an unterminated string');
    at++;
    return result;
  };
  const identifier = (): string => {
    const name = /^[\w$]+/.exec(text.slice(at, at + 256))?.[0] ?? fail('a key');
    at += name.length;
    return name;
  };
  const value = (): unknown => {
    skip();
    const c = text[at];
    if (c === '{') {
      at++;
      const object: Record<string, unknown> = {};
      for (;;) {
        skip();
        if (text[at] === '}') return (at++, object);
        const key = text[at] === '"' || text[at] === "'" ? string() : identifier();
        skip();
        if (text[at] !== ':') fail('a colon');
        at++;
        object[key] = value();
        skip();
        if (text[at] === ',') at++;
        else if (text[at] !== '}') fail('a comma or }');
      }
    }
    if (c === '[') {
      at++;
      const array: unknown[] = [];
      for (;;) {
        skip();
        if (text[at] === ']') return (at++, array);
        array.push(value());
        skip();
        if (text[at] === ',') at++;
        else if (text[at] !== ']') fail('a comma or ]');
      }
    }
    if (c === '"' || c === "'") return string();
    const word = /^(true|false|null|-?\d+(\.\d+)?(e[+-]?\d+)?)/i.exec(text.slice(at, at + 64))?.[0] ?? fail('a value');
    at += word.length;
    return word === 'true' ? true : word === 'false' ? false : word === 'null' ? null : Number(word);
  };
  return value();
}
