/**
 * Where a syntax node stands, as people read it (1-based line and column, counted in UTF-16 units
 * like an editor's), and a short excerpt of its text for messages. It works on source offsets
 * alone: oxc-parser's JS API gives node offsets in UTF-16 units (it converts from the UTF-8 bytes
 * it parses), so they index the source string directly.
 */

import type { SourceLocation } from '@syscage/core';

/** The source of one file, with its line starts computed once, on the first location asked for. */
export interface SourceText {
  readonly code: string;
  lineStarts?: number[];
}

/** Anything with a source range. */
export interface Ranged {
  readonly start: number;
  readonly end: number;
}

/** Line breaks as ECMAScript counts them (and TypeScript did): LF, CRLF, CR, LS, PS. */
const LINE_BREAK = /\r\n?|[\n\u2028\u2029]/g;

function lineStarts(source: SourceText): number[] {
  if (source.lineStarts !== undefined) return source.lineStarts;
  const starts = [0];
  for (const match of source.code.matchAll(LINE_BREAK)) starts.push(match.index + match[0].length);
  source.lineStarts = starts;
  return starts;
}

/** The 1-based location of `node`'s first token (or of offset `pos`) in `source`. */
export function locate(source: SourceText, node: Ranged | number, file: string): SourceLocation {
  const pos = typeof node === 'number' ? node : node.start;
  const starts = lineStarts(source);
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= pos) low = mid;
    else high = mid - 1;
  }
  return { file, line: low + 1, column: pos - (starts[low] ?? 0) + 1 };
}

/** `node`'s text on one line, shortened to about 40 characters. */
export function snippet(source: SourceText, node: Ranged): string {
  const text = source.code.slice(node.start, node.end).replace(/\s+/g, ' ');
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
