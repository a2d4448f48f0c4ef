/**
 * Errors in the bundler's voice: a `SyscageError` from the plugin becomes the bundler's own
 * diagnostic (esbuild's message with a location and the line's text, Rollup's `this.error` with a
 * position, webpack's error without a stack), so the bundler shows `file:line:col` and the
 * message, not the plugin's stack. `SYSCAGE_DEBUG=1` keeps the stacks. Other errors pass through
 * untouched: they are bugs, and their stacks matter.
 */

import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isSyscageError } from '@syscage/core';

/** A diagnostic: what happened and what to do, and where (1-based line and column). */
export interface Diagnostic {
  readonly text: string;
  readonly location: { readonly file: string; readonly line: number; readonly column: number; readonly lineText: string } | undefined;
}

/** Whether the user asked for the plugin's stacks (`SYSCAGE_DEBUG`). */
export function showStacks(): boolean {
  const debug = process.env['SYSCAGE_DEBUG'];
  return debug !== undefined && debug !== '' && debug !== '0';
}

/** The diagnostic for `error` when it is syscage's own and stacks are not asked for, else undefined (rethrow it). */
export function diagnosticOf(error: unknown, root: string): Diagnostic | undefined {
  if (!isSyscageError(error) || showStacks()) return undefined;
  const text = error.hint ? `${error.reason} ${error.hint}` : error.reason;
  const at = error.location;
  if (at === undefined) return { text, location: undefined };
  let lineText = '';
  try {
    lineText = readFileSync(isAbsolute(at.file) ? at.file : resolve(root, at.file), 'utf8').split('\n')[at.line - 1] ?? '';
  } catch {
    // A place in a file that cannot be read (a virtual module): no line to show.
  }
  return { text, location: { file: at.file, line: at.line, column: at.column, lineText } };
}

/** `error` marked so webpack and Rspack print its message without its stack (unless stacks are asked for). */
export function withoutStack(error: unknown): unknown {
  if (isSyscageError(error) && !showStacks()) Object.assign(error, { hideStack: true });
  return error;
}
