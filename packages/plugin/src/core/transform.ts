/**
 * The bundler-agnostic transform of one module: a cheap text check, then (only if the module
 * mentions `@syscage/runtime` or is listed in `entries`) the scanner, the entry check, the
 * build-time compile, and the rewrite with magic-string: the declaration is replaced so nothing
 * calls the runtime compiler. Nothing is injected into the module: the sandbox is applied by the
 * gate the glue puts in front of the entry's output (`gate.ts`), where no bundler can drop or
 * reorder it. It is idempotent: a module whose declaration was already replaced is returned
 * unchanged. It never emits files and never talks to a bundler; `factory.ts` and `bundlers/` do.
 */

import { relative } from 'node:path';
import MagicString from 'magic-string';
import { SyscageError, type SourceLocation } from '@syscage/core';
import { createCompiler, type CompiledDeclaration, type DeclarationCompiler, type PrecompiledPayload } from './compile.ts';
import type { ResolvedOptions } from './options.ts';
import { REMOVED_CALL, RUNTIME_MODULE, createScanner, type HostParse, type Scanner } from './scan/scan.ts';

/** Where a sandboxed entry's declaration came from. */
export interface DeclarationSource {
  readonly form: 'call' | 'decorator' | 'options';
  /** For `options`: the entry itself, line 1 column 1. */
  readonly location: SourceLocation;
}

/** A module the transform sandboxed. */
export interface SandboxedEntry {
  /** Absolute path. */
  readonly id: string;
  readonly declaration: unknown;
  readonly source: DeclarationSource;
  readonly compiled: CompiledDeclaration;
  /** What the gate passes to `applyPrecompiled()`. */
  readonly payload: PrecompiledPayload;
}

/** The transform's result for a module it changed. */
export interface TransformOutput {
  readonly code: string;
  readonly map: ReturnType<MagicString['generateMap']>;
  readonly entry: SandboxedEntry;
}

/** State shared by every module of one build (or watch session). */
export interface TransformContext {
  readonly options: ResolvedOptions;
  readonly scanner: Scanner;
  readonly compiler: DeclarationCompiler;
  /** Whether `id` is an entry of the build; undefined when the bundler did not say. */
  readonly isEntry: (id: string) => boolean | undefined;
}

/**
 * A context for `options`; `isEntry` defaults to "unknown" (every declaring module is treated as an entry).
 * @example
 * const ctx = createTransformContext(resolveOptions({ arches: ['x86_64'] }));
 */
export function createTransformContext(options: ResolvedOptions, isEntry: (id: string) => boolean | undefined = () => undefined): TransformContext {
  return { options, scanner: createScanner(), compiler: createCompiler(options.arches, options.onViolation), isEntry };
}

/** The cheap check that decides whether a module is parsed at all. */
export function mentionsRuntime(code: string): boolean {
  return code.includes(`'${RUNTIME_MODULE}'`) || code.includes(`"${RUNTIME_MODULE}"`);
}

/** `id` without a query (`?v=…`) or hash. */
export function cleanId(id: string): string {
  return id.replace(/[?#].*$/, '');
}

/**
 * Transforms one module; undefined when it has nothing to do with syscage or was already transformed.
 * @param isEntry What the bundler says about `rawId`, when it can; otherwise `ctx.isEntry` decides.
 * @throws {SyscageError} for any declaration that cannot be compiled at build time: a build never
 * goes on without the sandbox a module declared.
 * @example
 * const out = await transformModule(code, '/app/src/main.ts', ctx);
 * out?.entry.payload.grants; // ['fs.read']
 */
export async function transformModule(code: string, rawId: string, ctx: TransformContext, isEntry?: boolean, hostParse?: HostParse): Promise<TransformOutput | undefined> {
  const id = cleanId(rawId);
  if (wasTransformed(code)) return undefined;
  const fromOptions = ctx.options.entries.get(id);
  if (fromOptions === undefined && !mentionsRuntime(code)) return undefined;
  const file = relative(ctx.options.root, id) || id;
  const scanned = mentionsRuntime(code) ? await ctx.scanner.scan(code, id, file, hostParse) : { declarations: [], edits: [] };
  const [found] = scanned.declarations;
  if (found === undefined && fromOptions === undefined) return undefined;
  if (found !== undefined && fromOptions !== undefined) {
    throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', location: found.location, message: 'This entry declares `sandbox()` in its source and in the plugin\'s `entries` option.', hint: 'Keep one of the two.' });
  }
  if (found !== undefined && (isEntry ?? ctx.isEntry(id)) === false) {
    throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', location: found.location, message: '`sandbox()` is declared in a module that is not an entry of this build, so it would run after other modules.', hint: 'Move the declaration to the entry file, or list this file as an entry of the build.' });
  }
  const source: DeclarationSource = found ?? { form: 'options', location: { file, line: 1, column: 1 } };
  const declaration = found ? found.value : fromOptions;
  const where = found ? (path: string) => found.keys.get(path) ?? found.location : (ctx.options.entryPlaces.get(id) ?? source.location);
  const compiled = ctx.compiler.compile(declaration, where);
  const s = new MagicString(code);
  for (const edit of scanned.edits) {
    if (edit.start === edit.end) s.appendLeft(edit.start, edit.text);
    else if (edit.text === '') s.remove(edit.start, edit.end);
    else s.overwrite(edit.start, edit.end, edit.text);
  }
  return { code: s.toString(), map: s.generateMap({ hires: true, source: id, includeContent: true }), entry: { id, declaration, source, compiled, payload: compiled.payload } };
}

/** Whether `code` is a module this transform already rewrote (its declaration is replaced by {@link REMOVED_CALL}). */
export function wasTransformed(code: string): boolean {
  return code.includes(REMOVED_CALL);
}
