/**
 * Preloaded by `syscage trace` into a traced Node program (NODE_OPTIONS=--require): marks where
 * counting starts with syscalls nobody else makes, so the trace can cut Node's start-up and module
 * loading away.
 *
 * * The program's first line, `access("/__syscage_marker__")` (the baseline scripts' marker): for
 *   a CommonJS main (or `-e`), right before its body is compiled; for an ES module main, as its
 *   first import (a `data:` module with no imports of its own, so it is evaluated before every
 *   other module, after the whole graph has loaded).
 * * The program's sandbox point, `access("/__syscage_marker__/sandbox")`: a program that sandboxes
 *   itself (a built program's `@syscage/runtime/loader`, or `sandbox()` from `@syscage/runtime`)
 *   gets stand-ins that make this mark instead of applying the sandbox, so the trace sees what the
 *   program does from the point its sandbox would start, unsandboxed (a sandboxed trace could only
 *   show what the current declaration already allows, plus the loader's own work and restart).
 *   `narrow()` becomes a no-op; `status()` is the real one (no sandbox). A built program's
 *   launcher (`launchPrecompiled`) starts the program as the main module without a sandbox or a
 *   restart, so its gate makes the mark.
 *
 * CommonJS so `--require` loads it on every Node version; it has no imports of its own.
 */

const MARKER = '/__syscage_marker__';
const SANDBOX_MARKER = '/__syscage_marker__/sandbox';
const RUNTIME = '@syscage/runtime';
/** How the ES module stand-ins (data: modules, evaluated on the main thread) reach markSandbox. */
const GLOBAL = 'Symbol.for("syscage.trace.sandbox-point")';
const fs = process.getBuiltinModule('node:fs');
const path = process.getBuiltinModule('node:path');
const url = process.getBuiltinModule('node:url');
type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };
const Module = process.getBuiltinModule('node:module') as unknown as {
  prototype: { _compile: (this: { id: string }, ...args: unknown[]) => unknown };
  _load: (request: string, ...rest: unknown[]) => unknown;
  runMain: (main: string) => void;
  registerHooks?: (hooks: {
    resolve: (specifier: string, context: unknown, next: (s: string, c: unknown) => Resolved) => Resolved;
    load: (u: string, c: unknown, next: (u: string, c: unknown) => { format?: string; source?: unknown }) => unknown;
  }) => void;
  register?: (specifier: string, options?: unknown) => void;
};

const touch = (file: string): void => {
  try {
    fs.accessSync(file);
  } catch {
    // it never exists: only the syscall matters
  }
};

let marked = false;
const mark = (): void => {
  if (marked) return;
  marked = true;
  touch(MARKER);
};

let sandboxMarked = false;
const markSandbox = (): void => {
  if (sandboxMarked) return;
  sandboxMarked = true;
  touch(SANDBOX_MARKER);
};
(globalThis as Record<symbol, unknown>)[Symbol.for('syscage.trace.sandbox-point')] = markSandbox;

/** Where a launcher sits and what it starts (the runtime's loader.ts `LaunchTarget`). */
type LaunchTarget = { self: string; program: string; main: boolean | undefined };

/**
 * The launcher's stand-in: as the main module, it starts the program beside it as the main module
 * (unsandboxed, no restart) and returns false; imported, it returns true and its importer loads
 * the program.
 */
const launch = (_sandbox: unknown, target: LaunchTarget): boolean => {
  const self = target.self.startsWith('file:') ? url.fileURLToPath(target.self) : target.self;
  const real = (file: string): string | undefined => {
    try {
      return fs.realpathSync(file);
    } catch {
      return undefined;
    }
  };
  const main = target.main ?? (process.argv[1] !== undefined && real(path.resolve(process.argv[1])) === real(self));
  if (!main) return true;
  const program = path.resolve(path.dirname(self), target.program);
  process.argv[1] = program;
  Module.runMain(program);
  return false;
};
(globalThis as Record<symbol, unknown>)[Symbol.for('syscage.trace.launch')] = launch;

const compile = Module.prototype._compile;
Module.prototype._compile = function (this: { id: string }, ...args: unknown[]) {
  if (!marked && (this.id === '.' || this.id === '[eval]')) {
    Module.prototype._compile = compile;
    mark();
  }
  return compile.apply(this, args);
};

/**
 * Whether a module request is the runtime's loader: its specifier, or the file a launcher found
 * itself (the plugin's gate.ts imports the loader's real path, a file: URL in an ES module). Self-
 * contained: the hooks of Node's `register()` run a copy of its source elsewhere.
 */
function isLoaderRequest(request: string): boolean {
  if (request === '@syscage/runtime/loader') return true;
  if (!/^(?:file:\/\/)?\/.*\.js$/.test(request)) return false;
  const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');
  const { dirname, join } = process.getBuiltinModule('node:path');
  const file = request.startsWith('file:') ? process.getBuiltinModule('node:url').fileURLToPath(request) : request;
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    if (!existsSync(join(dir, 'package.json'))) continue;
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; exports?: Record<string, { default?: unknown } | undefined> };
      const target = manifest.exports?.['./loader']?.default;
      return manifest.name === '@syscage/runtime' && typeof target === 'string' && join(dir, target) === file;
    } catch {
      return false;
    }
  }
  return false;
}

// require(): the stand-ins as objects.
const load = Module._load;
Module._load = function (this: unknown, request: string, ...rest: unknown[]) {
  if (isLoaderRequest(request)) return { applyPrecompiled: markSandbox, launchPrecompiled: launch };
  const real = load.call(this, request, ...rest);
  if (request !== RUNTIME) return real;
  return { ...(real as object), sandbox: () => (markSandbox(), (target: unknown) => target), narrow: () => undefined };
};

// import: the stand-ins as data: modules (the runtime's stand-in re-exports the real module's other exports).
const LOADER_STUB = `data:text/javascript,${encodeURIComponent(`const mark = globalThis[${GLOBAL}]; export function applyPrecompiled() { mark?.(); } export function launchPrecompiled(sandbox, target) { return globalThis[Symbol.for("syscage.trace.launch")](sandbox, target); }`)}`;
const RUNTIME_STUB_TAIL = `; const mark = globalThis[${GLOBAL}]; export function sandbox() { mark?.(); return (target) => target; } export function narrow() {}`;
const runtimeStub = (real: string): string => `data:text/javascript,${encodeURIComponent(`export * from ${JSON.stringify(real)}${RUNTIME_STUB_TAIL}`)}`;

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

if (typeof Module.registerHooks === 'function') {
  Module.registerHooks({
    resolve(specifier, context, next) {
      if (isLoaderRequest(specifier)) return { url: LOADER_STUB, format: 'module', shortCircuit: true };
      const result = next(specifier, context);
      return specifier === RUNTIME && result.format !== 'commonjs' ? { url: runtimeStub(result.url), format: 'module', shortCircuit: true } : result;
    },
    load(u, context, next) {
      const result = next(u, context);
      if (u !== mainUrl || result.format !== 'module' || result.source === undefined) return result;
      const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source as Uint8Array).toString('utf8');
      return { ...result, source: withMark(source) };
    },
  });
} else if (typeof Module.register === 'function') {
  const hooks = `const MAIN = ${JSON.stringify(mainUrl ?? null)}; const STATEMENT = ${JSON.stringify(`import ${JSON.stringify(MARK_MODULE)};`)};
const LOADER_STUB = ${JSON.stringify(LOADER_STUB)};
const TAIL = ${JSON.stringify(RUNTIME_STUB_TAIL)};
const runtimeStub = (real) => 'data:text/javascript,' + encodeURIComponent('export * from ' + JSON.stringify(real) + TAIL);
const isLoaderRequest = ${isLoaderRequest.toString()};
export async function resolve(specifier, context, next) {
  if (isLoaderRequest(specifier)) return { url: LOADER_STUB, format: 'module', shortCircuit: true };
  const result = await next(specifier, context);
  return specifier === ${JSON.stringify(RUNTIME)} && result.format !== 'commonjs' ? { url: runtimeStub(result.url), format: 'module', shortCircuit: true } : result;
}
export async function load(u, context, next) {
  const result = await next(u, context);
  if (u !== MAIN || result.format !== 'module' || result.source == null) return result;
  const source = typeof result.source === 'string' ? result.source : Buffer.from(result.source).toString('utf8');
  const end = source.startsWith('#!') ? source.indexOf('\\n') + 1 : 0;
  return { ...result, source: source.slice(0, end) + STATEMENT + source.slice(end) };
}`;
  Module.register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}
