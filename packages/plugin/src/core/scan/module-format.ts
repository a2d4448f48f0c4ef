/**
 * How a file is parsed, from its name alone: its language (JS, JSX, TS, TSX) and module format
 * (`.mjs`/`.mts` and TypeScript are ES modules, `.cjs`/`.cts` CommonJS, plain `.js` either). It
 * reads no package.json: a plain `.js` file is parsed so that both formats are accepted.
 */

import type { ParserOptions } from 'oxc-parser';

/** The language from the extension; CommonJS files may `return` at the top level, plain `.js` may be either. */
export function parserOptions(id: string): ParserOptions {
  const ext = /\.([cm]?)([jt]sx?)$/.exec(id);
  const kind = ext?.[1] ?? '';
  const lang = (ext?.[2] ?? 'js') as 'js' | 'jsx' | 'ts' | 'tsx';
  const sourceType = kind === 'c' ? 'commonjs' : kind === 'm' || lang.startsWith('ts') ? 'module' : 'unambiguous';
  return { lang, sourceType, preserveParens: true };
}
