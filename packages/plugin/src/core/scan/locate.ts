/**
 * Where a syntax node stands, as people read it (1-based line and column), and a short excerpt of
 * its text for messages. Type-only use of ts-morph: the module is never loaded from here.
 */

import type { SourceLocation } from '@syscage/core';
import type { Node, SourceFile } from 'ts-morph';

/** The 1-based location of `node`'s first token in `file`. */
export function locate(sourceFile: SourceFile, node: Node, file: string): SourceLocation {
  const { line, column } = sourceFile.getLineAndColumnAtPos(node.getStart());
  return { file, line, column };
}

/** `node`'s text on one line, shortened to about 40 characters. */
export function snippet(node: Node): string {
  const text = node.getText().replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
