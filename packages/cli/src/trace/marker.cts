/**
 * Preloaded by `syscage trace` into a traced Node program (NODE_OPTIONS=--require): marks the
 * program's first line with a syscall nobody else makes, `access("/__syscage_marker__")` (the
 * baseline scripts' marker), so the trace can cut Node's start-up and module loading away. The
 * mark falls where a built program's loader runs: for a CommonJS main (or `-e`), right before its
 * body is compiled; for an ES module main, as its first import (a `data:` module with no imports
 * of its own, so it is evaluated before every other module, after the whole graph has loaded).
 * CommonJS so `--require` loads it on every Node version; it has no imports of its own.
 */

const MARKER = '/__syscage_marker__';
const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const url = process.getBuiltinModule('node:url');
const Module = process.getBuiltinModule('node:module') as unknown as {
  prototype: { _compile: (this: { id: string }, ...args: unknown[]) => unknown };
  registerHooks?: (hooks: { load: (u: string, c: unknown, next: (u: string, c: unknown) => { format?: string; source?: unknown }) => unknown }) => void;
  register?: (specifier: string, options?: unknown) => void;
};

let marked = false;
const mark = (): void => {
  if (marked) return;
  marked = true;
  try {
    fs.accessSync(MARKER);
  } catch {
    // it never exists: only the syscall matters
  }
};

const compile = Module.prototype._compile;
Module.prototype._compile = function (this: { id: string }, ...args: unknown[]) {
  if (!marked && (this.id === '.' || this.id === '[eval]')) {
    Module.prototype._compile = compile;
    mark();
  }
  return compile.apply(this, args);
};

const MARK_MODULE = `data:text/javascript,${encodeURIComponent(`import { accessSync } from 'node:fs'; try { accessSync(${JSON.stringify(MARKER)}); } catch {}`)}`;
const mainUrl = ((): string | undefined => {
  const main = process.argv[1];
  if (main === undefined) return undefined;
  try {
    return url.pathToFileURL(fs.realpathSync(path.resolve(main))).href;
  } catch {
    return undefined;
  }
})();

/** The main module's source with the mark imported first (after a `#!` line). */
const withMark = (source: string): string => {
  const statement = `import ${JSON.stringify(MARK_MODULE)};`;
  if (!source.startsWith('#!')) return `${statement}${source}`;
  const end = source.indexOf('\n');
  return `${source.slice(0, end + 1)}${statement}${source.slice(end + 1)}`;
};

if (mainUrl !== undefined && typeof Module.registerHooks === 'function') {
  Module.registerHooks({
    load(u, context, next) {
      const result = next(u, context);
      if (u !== mainUrl || result.format !== 'module' || result.source === undefined) return result;
      const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source as Uint8Array).toString('utf8');
      return { ...result, source: withMark(source) };
    },
  });
} else if (mainUrl !== undefined && typeof Module.register === 'function') {
  const hooks = `const MAIN = ${JSON.stringify(mainUrl)}; const STATEMENT = ${JSON.stringify(`import ${JSON.stringify(MARK_MODULE)};`)};
export async function load(u, context, next) {
  const result = await next(u, context);
  if (u !== MAIN || result.format !== 'module' || result.source == null) return result;
  const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  const end = source.startsWith('#!') ? source.indexOf('\\n') + 1 : 0;
  return { ...result, source: source.slice(0, end) + STATEMENT + source.slice(end) };
}`;
  Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
