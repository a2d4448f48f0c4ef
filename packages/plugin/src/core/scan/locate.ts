/**
 * Where a syntax node stands, as people read it (1-based line and column), and a short excerpt of
 * its text for messages. Type-only use of TypeScript: the compiler is never loaded from here.
 */

import type { SourceLocation } from '@syscage/core';
import type { Node, SourceFile } from 'typescript';

/** The 1-based location of `node`'s first token (or of offset `pos`) in `sourceFile`. */
export function locate(sourceFile: SourceFile, node: Node | number, file: string): SourceLocation {
  const pos = typeof node === 'number' ? node : node.getStart(sourceFile);
  const { line, character } = sourceFile.getLineAndCharacterOfPosition(pos);
  return { file, line: line + 1, column: character + 1 };
}

/** `node`'s text on one line, shortened to about 40 characters. */
export function snippet(sourceFile: SourceFile, node: Node): string {
  const text = node.getText(sourceFile).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
