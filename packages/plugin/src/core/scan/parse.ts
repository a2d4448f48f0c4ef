/**
 * The scanner's two parsers: oxc-parser, the only import of it in the plugin, loaded lazily on the
 * first file that needs it, and the bundler's own parser where it has one loaded (Rollup's and
 * Rolldown's `this.parse`), for plain JavaScript. Both give an ESTree `Program` whose offsets
 * index the source string. Parsing only: what the tree declares is `rules.ts`'s business, and
 * which language and module format a file is parsed as is `module-format.ts`'s.
 *
 * Why oxc-parser and not TypeScript's own parser (or ts-morph, which wraps it): loading TypeScript
 * costs 250–450 ms, most of a cold build's added cost; oxc-parser is native (prebuilt per platform)
 * and loads and parses a file in about 20 ms. It parses TS, JSX and both decorator syntaxes; the
 * scanner needs nothing a type checker adds. Where the bundler has a parser loaded already
 * (Rollup's and Rolldown's `this.parse`), a JavaScript entry is read with that one instead.
 */

import type { Program } from 'oxc-parser';
import { parserOptions } from './module-format.ts';

/**
 * A bundler's own parser (Rollup's and Rolldown's `this.parse`), already loaded: an ESTree
 * `Program` for plain JavaScript, with `start`/`end` offsets into the string as oxc-parser gives.
 * Using it for a `.js` entry spares loading oxc-parser (≈ 12 ms of a cold build); anything it
 * cannot parse goes to oxc-parser.
 */
export type HostParse = (code: string) => unknown;

type Parser = typeof import('oxc-parser');
let parser: Promise<Parser> | undefined;

/**
 * The file's tree: the host's for JavaScript when it can parse it, else oxc-parser's. A file with
 * syntax errors still yields a tree from oxc-parser (as TypeScript's parser did); the bundler
 * reports the errors.
 */
export async function parseFile(code: string, id: string, hostParse?: HostParse): Promise<Program> {
  return (hostParse && /\.[cm]?js$/.test(id) ? parseWithHost(hostParse, code) : undefined) ?? (await parse(id, code)).program;
}

/** The host's tree of `code`, or undefined when it cannot parse it (or gives no ESTree program). */
function parseWithHost(hostParse: HostParse, code: string): Program | undefined {
  let tree: unknown;
  try {
    tree = hostParse(code);
  } catch {
    return undefined;
  }
  const program = tree as Partial<Program> | null;
  if (program?.type !== 'Program' || !Array.isArray(program.body) || typeof program.end !== 'number') return undefined;
  return program as Program;
}

async function parse(id: string, code: string): Promise<ReturnType<Parser['parseSync']>> {
  parser ??= import('oxc-parser');
  const { parseSync } = await parser;
  return parseSync(id, code, parserOptions(id));
}
