/**
 * Whether an unbuilt program's `sandbox()` comes too late: an ES module's static imports are
 * evaluated before its body, so `sandbox()` as "the first statement" of a module that imports the
 * program's other modules or packages protects nothing of their top-level code; in CommonJS, what
 * is required above the call ran first. This reads the calling module's source (and, when the
 * caller is not the main module, the main module's imports before it) with plain patterns: it
 * finds the common cases to warn about, it proves nothing. Built programs never get here (their
 * gate runs first).
 */

/** Specifiers whose modules run no program code: Node's builtins and syscage's runtime. */
function harmless(specifier: string): boolean {
  return process.getBuiltinModule('node:module').isBuiltin(specifier) || /^@syscage\/runtime(\/|$)/.test(specifier);
}

const STATIC_IMPORT = /^\s*(?:import|export)\s+(?:[\w$*{}\s,]+?\s+from\s*)?["']([^"'\n]+)["']/gm;
const REQUIRE = /\brequire\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

/** The file and line of the code that called `sandbox()`: the first stack frame outside this package. */
function callerOf(stack: string, ownFile: string): { file: string; line: number } | undefined {
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?((?:file:\/\/)?\/[^():]+):(\d+):\d+\)?\s*$/.exec(frame);
    if (!match) continue;
    const file = (match[1] as string).replace(/^file:\/\//, '');
    if (file === ownFile) continue;
    return { file: decodeURIComponent(file), line: Number(match[2]) };
  }
  return undefined;
}

/** The modules a module's source had evaluated before `line`: its static imports, and `require`s above that line. */
function earlierIn(source: string, line: number): string[] {
  const imports = [...source.matchAll(STATIC_IMPORT)].map((m) => m[1] as string);
  const above = source.split('\n').slice(0, Math.max(0, line - 1)).join('\n');
  const requires = [...above.matchAll(REQUIRE)].map((m) => m[1] as string);
  return [...new Set([...imports, ...requires])].filter((specifier) => !harmless(specifier));
}

/**
 * The file that called `sandbox()` and the program's modules that were evaluated before the call,
 * as far as the caller's (and the main module's) source says; no modules when none or when the
 * sources cannot be read.
 * @param stack `new Error().stack` taken inside `sandbox()`.
 * @param ownFile The runtime's own file, whose frames are skipped.
 */
export function modulesBeforeSandbox(stack: string, ownFile: string): { file: string | undefined; modules: string[] } {
  const { readFileSync } = process.getBuiltinModule('node:fs');
  const { dirname, resolve } = process.getBuiltinModule('node:path');
  const read = (file: string): string | undefined => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  const caller = callerOf(stack, ownFile);
  if (caller === undefined) return { file: undefined, modules: [] };
  const source = read(caller.file);
  const found = source === undefined ? [] : earlierIn(source, caller.line);
  const main = process.argv[1] === undefined ? undefined : resolve(process.argv[1]);
  if (main !== undefined && main !== caller.file) {
    // A declaration in a module of its own is first only if the main module imports nothing else before it.
    const mainSource = read(main) ?? '';
    for (const m of mainSource.matchAll(STATIC_IMPORT)) {
      const specifier = m[1] as string;
      if (specifier.startsWith('.') && resolve(dirname(main), specifier) === caller.file) break;
      if (!harmless(specifier)) found.push(specifier);
    }
  }
  return { file: caller.file, modules: [...new Set(found)] };
}

/** The warning for {@link modulesBeforeSandbox}'s answer, or undefined when there is nothing to say. */
export function lateStartWarning(modules: readonly string[], file: string | undefined): string | undefined {
  if (modules.length === 0) return undefined;
  const listed = modules.slice(0, 5).join(', ') + (modules.length > 5 ? `, and ${modules.length - 5} more` : '');
  return `sandbox()${file ? ` in ${file}` : ''} runs after ${listed} ${modules.length === 1 ? 'was' : 'were'} evaluated, so that top-level code ran unsandboxed (an ES module's imports are evaluated before its own code; in CommonJS, what is required above the call runs first). Put the declaration in a module of its own and make it the main module's first import (import './sandbox.mjs'), or start with node --import ./sandbox.mjs; a program built with @syscage/plugin applies it before anything else.`;
}
