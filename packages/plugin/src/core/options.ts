/**
 * The plugin's options and their defaults, all in one place: {@link resolveOptions} is the only
 * function that knows a default. It validates what it can without reading files; declarations in
 * `entries` are validated later, with everything else a declaration goes through.
 */

import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SUPPORTED_ARCHES, SyscageError, VIOLATION_MODES, type ArchName, type Capabilities, type SourceLocation, type ViolationMode } from '@syscage/core';

/** What a user passes to `syscage(...)` in a bundler config. */
export interface Options {
  /**
   * Declarations for entries whose source you cannot or would not annotate, keyed by path
   * (relative to `root`). Such an entry must not also declare `sandbox()` in its source.
   * @default {}
   * @example { 'src/cli.ts': { fs: { read: true } } }
   */
  readonly entries?: Readonly<Record<string, Capabilities>>;
  /**
   * Architectures to compile filters for; a program built without its machine's arch refuses to run.
   * @default ['x86_64', 'aarch64']
   */
  readonly arches?: readonly ArchName[];
  /**
   * The violation action for declarations that do not say `onViolation` themselves.
   * @default 'kill'
   */
  readonly onViolation?: ViolationMode;
  /**
   * Make the module-graph lint (a Node builtin imported whose capability is not declared) an error
   * instead of a warning.
   * @default false
   */
  readonly strict?: boolean;
  /**
   * Write `<output>.syscage.json` beside each sandboxed output.
   * @default true
   */
  readonly manifest?: boolean;
  /**
   * The directory `entries` keys and the locations in messages and manifests are relative to.
   * @default process.cwd()
   */
  readonly root?: string;
}

/** {@link Options} with every default filled in and every path absolute. */
export interface ResolvedOptions {
  /** Absolute entry path → declaration. */
  readonly entries: ReadonlyMap<string, Capabilities>;
  /** Absolute entry path → where its key stands in the bundler config that called the plugin (for messages about that declaration), when it can be found. */
  readonly entryPlaces: ReadonlyMap<string, SourceLocation>;
  readonly arches: readonly ArchName[];
  readonly onViolation: ViolationMode;
  readonly strict: boolean;
  readonly manifest: boolean;
  readonly root: string;
}

const invalid = (message: string, hint: string): SyscageError => new SyscageError({ code: 'INVALID_CAPABILITY', message: `@syscage/plugin: ${message}`, hint });

/**
 * Fills in defaults and checks the option shapes.
 * @throws {SyscageError} `INVALID_CAPABILITY` for an option of the wrong shape, `UNSUPPORTED_ARCH`
 * for an unknown architecture.
 * @example
 * resolveOptions({ arches: ['x86_64'] }).onViolation; // 'kill'
 */
export function resolveOptions(options: Options = {}): ResolvedOptions {
  const root = resolve(options.root ?? process.cwd());
  const arches = options.arches ?? SUPPORTED_ARCHES;
  if (!Array.isArray(arches) || arches.length === 0) throw invalid('`arches` lists no architecture.', `Leave it out for ${SUPPORTED_ARCHES.join(' and ')}, or list some.`);
  for (const arch of arches) {
    if (!SUPPORTED_ARCHES.includes(arch)) {
      throw new SyscageError({ code: 'UNSUPPORTED_ARCH', message: `@syscage/plugin: \`arches\` lists ${JSON.stringify(arch)}, which syscage cannot compile for.`, hint: `Supported: ${SUPPORTED_ARCHES.join(', ')}.` });
    }
  }
  const onViolation = options.onViolation ?? VIOLATION_MODES[0];
  if (!VIOLATION_MODES.includes(onViolation)) throw invalid(`\`onViolation\` is 'kill' or 'errno'; got ${JSON.stringify(onViolation)}.`, "Write `onViolation: 'kill'` (SIGSYS) or `onViolation: 'errno'` (EPERM).");
  const entries = new Map<string, Capabilities>();
  const entryPlaces = new Map<string, SourceLocation>();
  const config = options.entries === undefined ? undefined : configCaller(new Error().stack ?? '');
  for (const [path, declaration] of Object.entries(options.entries ?? {})) {
    const id = isAbsolute(path) ? path : resolve(root, path);
    // Bundlers name a module by its real path: a key through a linked directory (a workspace's or
    // pnpm's node_modules) must match that too, or the entry would be built without its sandbox.
    for (const key of new Set([id, realOrSame(id)])) {
      entries.set(key, declaration);
      const place = config && placeOfKey(config, path, root);
      if (place) entryPlaces.set(key, place);
    }
  }
  return Object.freeze({
    entries,
    entryPlaces,
    arches: Object.freeze([...new Set(arches)]),
    onViolation,
    strict: options.strict ?? false,
    manifest: options.manifest ?? true,
    root,
  });
}

/** `path` with its links resolved, or `path` itself when it does not exist (yet). */
function realOrSame(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The plugin's own code (its `src/` or built `dist/` directory): frames inside it are not the caller's. */
const PLUGIN_DIR = ((here: string) => {
  const at = Math.max(here.lastIndexOf(`${sep}src${sep}`), here.lastIndexOf(`${sep}dist${sep}`));
  return at === -1 ? dirname(here) : here.slice(0, here.indexOf(sep, at + 1));
})(fileURLToPath(import.meta.url));

/** The file and line of the code (a bundler config) that called `syscage({...})`, from a stack taken inside it. */
function configCaller(stack: string): { file: string; line: number; column: number } | undefined {
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):(\d+)\)?\s*$/.exec(frame);
    if (!match) continue;
    const file = decodeURIComponent((match[1] as string).replace(/^file:\/\//, ''));
    if (file.startsWith(PLUGIN_DIR + sep) || file.includes(`${sep}node_modules${sep}`)) continue;
    return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

/**
 * Where the `entries` key `key` is written in the config file, or the call itself when the key is
 * not found there; undefined for a caller outside `root` (not the project's config).
 */
function placeOfKey(config: { file: string; line: number; column: number }, key: string, root: string): SourceLocation | undefined {
  const file = relative(root, config.file);
  if (file === '' || file.startsWith('..') || isAbsolute(file)) return undefined;
  let text: string;
  try {
    text = readFileSync(config.file, 'utf8');
  } catch {
    return undefined;
  }
  const at = [`'${key}'`, `"${key}"`, `\`${key}\``].map((quoted) => text.indexOf(quoted)).filter((i) => i !== -1).sort((a, b) => a - b)[0];
  if (at === undefined) return { file, line: config.line, column: config.column };
  const before = text.slice(0, at);
  return { file, line: before.split('\n').length, column: at - before.lastIndexOf('\n') };
}
