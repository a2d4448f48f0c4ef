/**
 * The gate: how a sandboxed entry's output applies its sandbox before anything of the program
 * runs. Once the bundler has written the entry's output, the plugin writes a gate module beside it
 * (`<output>.syscage.mjs` or `.cjs`: the runtime's inline gate code applying the payload, nothing
 * else; it loads no module in a restarted image and `@syscage/runtime/loader` otherwise) and makes
 * the output's first statement load it: an `import` in an ES
 * module (ES modules evaluate their imports in source order, so the gate is evaluated before every
 * other import the bundler hoisted, external packages included), a `require` in CommonJS (after a
 * `#!` line and the directive prologue). Because it is added after bundling, no tree-shaking,
 * `sideEffects` setting or hoisting can drop or reorder it, and the runtime that applies it is
 * always the installed `@syscage/runtime`, never a copy inlined into the bundle. Source maps move
 * with the inserted line.
 *
 * The launcher: Node parses an ES module's whole import graph (and a CommonJS file whole) before
 * its first statement runs, and a sandbox that restarts the process would have that done twice.
 * So the gated program moves beside the output (`main.program.mjs` beside `main.mjs`, its source
 * map comment unchanged) and the output becomes a launcher: it applies the same payload with
 * `launchPrecompiled()`, which restarts straight into the program as the main module, or (no
 * restart needed) applies in place and starts the program as Node starts a main module; imported
 * by another module instead, it loads the program, whose gate applies the sandbox. An output that
 * others import (a chunk importing the entry chunk) or whose ES exports a caller may import stays
 * gated in place. It edits text only; the bundler glue decides which outputs to gate and split.
 */

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { decode, encode, type SourceMapMappings } from '@jridgewell/sourcemap-codec';
import type { PrecompiledPayload } from './compile.ts';

/** How Node loads an output: as an ES module or as CommonJS. */
export type OutputFormat = 'esm' | 'cjs';

/** The module every gate loads: it imports nothing (see the runtime's loader). */
export const RUNTIME_LOADER = '@syscage/runtime/loader';

/**
 * `@syscage/runtime` and its subpaths: every bundler leaves them external, so the program and its
 * gate share the installed runtime (which finds ffi-rs's binary beside itself), whatever the
 * project bundles otherwise.
 */
export const RUNTIME_ID = /^@syscage\/runtime(?:\/.*)?$/;

/** `<output>.syscage.mjs` (ES module output) or `<output>.syscage.cjs` (CommonJS output). */
export function gateFileName(output: string, format: OutputFormat): string {
  return `${output}.syscage.${format === 'esm' ? 'mjs' : 'cjs'}`;
}

/** The runtime's inline gate code, which every gate carries (see the runtime's gate.ts). */
export const RUNTIME_GATE_CODE = '@syscage/runtime/gate.iife.js';

const gateCodes = new Map<string, string>();

/**
 * The inline gate code of the runtime the program at `output` will load (see
 * {@link resolveRuntimeFile}). Read once per file.
 * @throws when no `@syscage/runtime` can be found at all (the plugin's peer dependency).
 */
export function readGateCode(output: string): string {
  const file = resolveRuntimeFile(output, RUNTIME_GATE_CODE);
  let code = gateCodes.get(file);
  if (code === undefined) gateCodes.set(file, (code = readFileSync(file, 'utf8').trim()));
  return code;
}

/**
 * The gate module's code: the runtime's inline gate code (`gateCode`, see {@link readGateCode}),
 * which defines `syscageGate`, then one call applying `payload`, and nothing else.
 * @example
 * createGateModule(payload, 'esm', readGateCode(output)); // "var syscageGate=(()=>{…})();\nsyscageGate.applyPrecompiledGate({...}, import.meta.url);\n"
 */
export function createGateModule(payload: PrecompiledPayload, format: OutputFormat, gateCode: string): string {
  const head = '// Written by @syscage/plugin: applies the sandbox this program declared, before any of its code runs.\n';
  const json = JSON.stringify(payload);
  return format === 'esm'
    ? `${head}${gateCode}\nsyscageGate.applyPrecompiledGate(${json}, import.meta.url);\n`
    : `${head}'use strict';\n${gateCode}\nsyscageGate.applyPrecompiledGate(${json}, __filename);\n`;
}

/**
 * A file of the runtime the program at `output` will load (resolved from there, so that what a
 * gate or launcher copies and the installed runtime are the same version), else of the runtime
 * beside the plugin (its peer dependency).
 * @throws when no `@syscage/runtime` can be found at all.
 */
function resolveRuntimeFile(output: string, specifier: string): string {
  try {
    return createRequire(output).resolve(specifier);
  } catch {
    return createRequire(import.meta.url).resolve(specifier);
  }
}

/** `main.program.mjs` for the output `main.mjs`: where a launched program lives, beside its launcher. */
export function programFileName(output: string): string {
  const dot = output.lastIndexOf('.');
  return dot <= 0 ? `${output}.program` : `${output.slice(0, dot)}.program${output.slice(dot)}`;
}

/**
 * The launcher written in the output's place (see above): it starts `programFile` (beside it)
 * inside the sandbox of `payload`. It keeps the output's `#!` line. With `loaderFile` (the
 * loader's file inside the runtime's package, see {@link readLoaderFile}), it finds the runtime as
 * Node's resolver would, the nearest `node_modules/@syscage/runtime` above it, and loads that file:
 * resolving the package specifier costs about a millisecond of the start-up. Anything else (no
 * such package or file, Yarn's Plug'n'Play) loads `@syscage/runtime/loader` as before.
 */
export function createLauncher(payload: PrecompiledPayload, format: OutputFormat, programFile: string, shebang: string | undefined, loaderFile?: string): string {
  const head = `${shebang === undefined ? '' : `${shebang}\n`}${LAUNCHER_HEAD}${programFile} inside the sandbox it declared, before any of its code is read.\n`;
  const json = JSON.stringify(payload);
  const program = JSON.stringify(`./${programFile}`);
  const loader = loaderFile === undefined ? `'${RUNTIME_LOADER}'` : `${locateLoader(loaderFile, format)}(${format === 'esm' ? 'import.meta.url' : '__filename'})`;
  return format === 'esm'
    ? `${head}const { launchPrecompiled } = await import(${loader});\nif (launchPrecompiled(${json}, { self: import.meta.url, program: ${program}, main: import.meta.main })) await import(${program});\n`
    : `${head}'use strict';\nif (require(${loader}).launchPrecompiled(${json}, { self: __filename, program: ${program}, main: require.main === module })) module.exports = require(${program});\n`;
}

/**
 * One expression: a function of the launcher's own file (URL in an ES module) giving what to
 * load: the real path of `loaderFile` in the nearest `node_modules/@syscage/runtime` (a file URL
 * for an ES module), else the specifier.
 */
function locateLoader(loaderFile: string, format: OutputFormat): string {
  const found = format === 'esm' ? 'pathToFileURL(realpathSync.native(file)).href' : 'realpathSync.native(file)';
  return [
    '((self) => {',
    " const { existsSync, realpathSync } = process.getBuiltinModule('node:fs'); const { basename, dirname, join } = process.getBuiltinModule('node:path');",
    format === 'esm' ? " const { fileURLToPath, pathToFileURL } = process.getBuiltinModule('node:url');" : '',
    ` for (let dir = dirname(${format === 'esm' ? 'fileURLToPath(self)' : 'self'}), up = ''; dir !== up; up = dir, dir = dirname(dir)) {`,
    " if (basename(dir) === 'node_modules') continue;",
    " const root = join(dir, 'node_modules', '@syscage', 'runtime'); if (!existsSync(join(root, 'package.json'))) continue;",
    ` const file = join(root, ${JSON.stringify(loaderFile)}); return existsSync(file) ? ${found} : '${RUNTIME_LOADER}';`,
    ` } return '${RUNTIME_LOADER}'; })`,
  ].join('');
}

/**
 * The loader's file inside the runtime's package (`dist/loader.js`), from the `./loader` export of
 * the runtime `output` will load; undefined when it cannot be read.
 */
export function readLoaderFile(output: string): string | undefined {
  try {
    const manifest = JSON.parse(readFileSync(resolveRuntimeFile(output, '@syscage/runtime/package.json'), 'utf8')) as { exports?: Record<string, { default?: unknown } | undefined> };
    const target = manifest.exports?.['./loader']?.default;
    return typeof target === 'string' && /^\.\/[\w./-]+\.js$/.test(target) && !target.includes('..') ? target.slice(2) : undefined;
  } catch {
    return undefined;
  }
}

const LAUNCHER_HEAD = '// Written by @syscage/plugin: starts ';

/** Whether `code` is a launcher (an output split before, left unchanged by the bundler). */
export function isLauncher(code: string): boolean {
  return code.startsWith(LAUNCHER_HEAD, code.startsWith('#!') ? code.indexOf('\n') + 1 : 0);
}

/** The output's `#!` line, if it has one. */
export function shebangOf(code: string): string | undefined {
  return code.startsWith('#!') ? code.slice(0, code.indexOf('\n') === -1 ? code.length : code.indexOf('\n')) : undefined;
}

/**
 * Why an entry output must stay gated in place rather than become a launcher, or undefined when
 * it can be split: an ES module with exports (whoever imports it would get the launcher's none),
 * or an output another output of the build imports (a chunk importing the entry chunk).
 */
export function keepInPlace(format: OutputFormat, facts: { readonly exportsBindings: boolean; readonly importedByOthers: boolean }): string | undefined {
  if (format === 'esm' && facts.exportsBindings) return 'it exports bindings';
  if (facts.importedByOthers) return 'another output imports it';
  return undefined;
}

/**
 * Whether another output's `code` may load the output `fileName`: it names the file at all. A
 * text check for bundlers that do not say which outputs import which; naming it in a comment or
 * a string only keeps the output in place.
 */
export function mentionsFile(code: string, fileName: string): boolean {
  return code.includes(fileName);
}

/** The statement that loads the gate `gateFile` (a path relative to the output's directory). */
export function gateStatement(gateFile: string, format: OutputFormat): string {
  const specifier = JSON.stringify(gateFile.startsWith('../') ? gateFile : `./${gateFile}`);
  return format === 'esm' ? `import ${specifier};` : `require(${specifier});`;
}

/** Whether `code` already loads the gate `gateFile` first (an output gated before, left unchanged by the bundler). */
export function isGated(code: string, gateFile: string, format: OutputFormat): boolean {
  const at = insertionPoint(code, format);
  return code.startsWith(gateStatement(gateFile, format), at);
}

/**
 * Where the gate statement goes: after a `#!` line (which must stay first), and in CommonJS after
 * the directive prologue (`'use strict'` stays a directive only while it is the first statement).
 */
export function insertionPoint(code: string, format: OutputFormat): number {
  let at = 0;
  if (code.startsWith('#!')) {
    const end = code.indexOf('\n');
    at = end === -1 ? code.length : end + 1;
  }
  if (format === 'esm') return at;
  for (;;) {
    const start = skipTrivia(code, at);
    const quote = code[start];
    if (quote !== '"' && quote !== "'") return at;
    let end = start + 1;
    while (end < code.length && code[end] !== quote && code[end] !== '\n') end += code[end] === '\\' ? 2 : 1;
    if (code[end] !== quote) return at;
    let after = skipBlanks(code, end + 1);
    const terminated = code[after] === ';';
    if (terminated) after = skipBlanks(code, after + 1);
    if (code[after] === '\r') after++;
    if (code[after] === '\n') after++;
    else if (!terminated && after < code.length) return at; // a string expression (`'a'.length`), not a directive
    at = after;
  }
}

/** Skips spaces and tabs from `at`. */
function skipBlanks(code: string, at: number): number {
  while (code[at] === ' ' || code[at] === '\t') at++;
  return at;
}

/** Skips white space and comments from `at`. */
function skipTrivia(code: string, at: number): number {
  for (;;) {
    while (at < code.length && /\s/.test(code[at] as string)) at++;
    if (code.startsWith('//', at)) {
      const end = code.indexOf('\n', at);
      at = end === -1 ? code.length : end + 1;
    } else if (code.startsWith('/*', at)) {
      const end = code.indexOf('*/', at + 2);
      at = end === -1 ? code.length : end + 2;
    } else return at;
  }
}

/** A source map object as bundlers hold it (only `mappings` is changed). */
export interface MapLike {
  mappings: string;
}

/** What {@link insertGate} did: the new code and where the text went, for a map kept elsewhere. */
export interface GatedCode {
  readonly code: string;
  /** Shifts a source map's `mappings` of the original code to the gated code. */
  readonly shiftMappings: (mappings: string) => string;
}

const INLINE_MAP = /(\/\/# sourceMappingURL=data:application\/json;(?:charset=utf-8;)?base64,)([A-Za-z0-9+/=]+)(\s*)$/;

/**
 * Inserts the statement that loads `gateFile` at the {@link insertionPoint} of `code`, on a line
 * of its own, and moves an inline source map along.
 */
export function insertGate(code: string, gateFile: string, format: OutputFormat): GatedCode {
  const at = insertionPoint(code, format);
  const lineStart = at === 0 || code[at - 1] === '\n';
  const text = `${lineStart ? '' : '\n'}${gateStatement(gateFile, format)}\n`;
  const before = code.slice(0, at);
  const line = before.split('\n').length - 1;
  const column = at - (before.lastIndexOf('\n') + 1);
  const shiftMappings = (mappings: string): string => encode(shiftLines(decode(mappings), line, column, text));
  let gated = `${before}${text}${code.slice(at)}`;
  gated = gated.replace(INLINE_MAP, (_all, prefix: string, base64: string, end: string) => {
    const map = JSON.parse(Buffer.from(base64, 'base64').toString('utf8')) as MapLike;
    map.mappings = shiftMappings(map.mappings);
    return `${prefix}${Buffer.from(JSON.stringify(map)).toString('base64')}${end}`;
  });
  return { code: gated, shiftMappings };
}

/** The decoded mappings after inserting `text` at generated `line`:`column`. */
function shiftLines(lines: SourceMapMappings, line: number, column: number, text: string): SourceMapMappings {
  const added = text.split('\n');
  const lastLength = (added[added.length - 1] as string).length;
  const current = lines[line] ?? [];
  const head = current.filter((segment) => segment[0] < column);
  const tail = current.filter((segment) => segment[0] >= column).map((segment) => [segment[0] - column + lastLength, ...segment.slice(1)] as typeof segment);
  const inserted = added.slice(1, -1).map(() => []);
  return [...lines.slice(0, line), head, ...inserted, tail, ...lines.slice(line + 1)];
}

/** The `type` of the package.json nearest to `file` (`commonjs` when it has none, as Node reads it). */
export function nearestPackageType(file: string): 'module' | 'commonjs' {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { type?: unknown };
      return manifest.type === 'module' ? 'module' : 'commonjs';
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dir === dirname(dir)) return 'commonjs';
    }
  }
}
