/**
 * The plugin's options and their defaults, all in one place: {@link resolveOptions} is the only
 * function that knows a default. It validates what it can without reading files; declarations in
 * `entries` are validated later, with everything else a declaration goes through.
 */

import { isAbsolute, resolve } from 'node:path';
import { SUPPORTED_ARCHES, SyscageError, type ArchName, type Capabilities } from '@syscage/core';

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
  readonly onViolation?: 'kill' | 'errno';
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
  readonly arches: readonly ArchName[];
  readonly onViolation: 'kill' | 'errno';
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
  const onViolation = options.onViolation ?? 'kill';
  if (onViolation !== 'kill' && onViolation !== 'errno') throw invalid(`\`onViolation\` is 'kill' or 'errno'; got ${JSON.stringify(onViolation)}.`, "Write `onViolation: 'kill'` (SIGSYS) or `onViolation: 'errno'` (EPERM).");
  const entries = new Map<string, Capabilities>();
  for (const [path, declaration] of Object.entries(options.entries ?? {})) {
    entries.set(isAbsolute(path) ? path : resolve(root, path), declaration);
  }
  return Object.freeze({
    entries,
    arches: Object.freeze([...new Set(arches)]),
    onViolation,
    strict: options.strict ?? false,
    manifest: options.manifest ?? true,
    root,
  });
}
