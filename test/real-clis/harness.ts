/**
 * The real-CLI suite's machinery: a scratch project per CLI with the CLI installed the way npm
 * would (its package copied into the project's `node_modules`, its dependencies beside it), a
 * build of the CLI's bin file with the plugin's `entries` option by esbuild or Rolldown, and runs
 * of the built program and of the plain CLI in child processes on a given Node binary. It knows
 * nothing of any one CLI: their inputs and declarations are in `clis.ts`.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Capabilities } from '@syscage/core';
import { build as esbuild } from 'esbuild';
import { rolldown } from 'rolldown';
import esbuildPlugin from '../../packages/plugin/src/esbuild.ts';
import rolldownPlugin from '../../packages/plugin/src/rolldown.ts';
import { runNode, withoutPid, type NodeRun } from '../support/run-node.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('fixtures', import.meta.url));
/** This package's `node_modules`, where pnpm installed the CLIs (links into its store). */
const INSTALLED = fileURLToPath(new URL('../node_modules', import.meta.url));

/** The bundlers of the suite. */
export type BundlerName = 'esbuild' | 'rolldown';
export const BUNDLER_NAMES: readonly BundlerName[] = ['esbuild', 'rolldown'];

/** What to build: an entry of the project, its declaration, where the output goes. */
export interface BuildSpec {
  /** The project directory (the plugin's `root`). */
  readonly project: string;
  /** The entry, relative to the project (the `entries` key). */
  readonly entry: string;
  readonly declaration: Capabilities;
  /** The output file, relative to the project. */
  readonly outfile: string;
  readonly format: 'esm' | 'cjs';
  /** Optional dependencies the CLI never loads here, left external. */
  readonly external: readonly string[];
}

/** The modules every build leaves to Node: builtins, the runtime, and `external`. */
const isExternal = (spec: BuildSpec, id: string): boolean => id.startsWith('node:') || /^@syscage\/runtime(\/|$)/.test(id) || spec.external.some((e) => id === e || id.startsWith(`${e}/`));

/**
 * Builds `spec.entry` with `bundler` and the plugin, everything bundled but `external`; returns the
 * output's absolute path. Extensionless bin files (`bin/tsc`) are JavaScript. esbuild's ES module
 * output gets a `require` for the CommonJS dependencies that require builtins (its documented
 * shim); the plugin's gate import stays the output's first statement.
 */
export async function buildCli(bundler: BundlerName, spec: BuildSpec): Promise<string> {
  const outfile = join(spec.project, spec.outfile);
  const plugin = { root: spec.project, entries: { [spec.entry]: spec.declaration } };
  if (bundler === 'esbuild') {
    await esbuild({
      absWorkingDir: spec.project,
      entryPoints: [spec.entry],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: spec.format,
      logLevel: 'silent',
      loader: { '': 'js' },
      external: ['@syscage/runtime', '@syscage/runtime/*', ...spec.external.flatMap((e) => [e, `${e}/*`])],
      ...(spec.format === 'esm' ? { banner: { js: "import { createRequire as __syscageCreateRequire } from 'node:module';\nconst require = __syscageCreateRequire(import.meta.url);" } } : {}),
      plugins: [esbuildPlugin(plugin)],
    });
  } else {
    const bundle = await rolldown({ input: join(spec.project, spec.entry), platform: 'node', external: (id) => isExternal(spec, id), moduleTypes: { '': 'js' }, logLevel: 'silent', plugins: [rolldownPlugin(plugin)] });
    await bundle.write({ dir: dirname(outfile), entryFileNames: basename(outfile), chunkFileNames: `${basename(outfile)}-[hash].chunk.js`, format: spec.format });
    await bundle.close();
  }
  return outfile;
}

/**
 * A fresh project from `fixtures/<fixture>` with `pkg` installed: the package copied into its
 * `node_modules` (so a build can write beside the CLI's own files, which several CLIs find relative
 * to their module: prettier's `internal/`, eslint's formatters, TypeScript's `lib.*.d.ts`), each of
 * its dependencies linked beside it from pnpm's store, and the runtime linked as in an installed app.
 */
export function makeProject(fixture: string, pkg: string): string {
  const project = mkdtempSync(join(tmpdir(), `syscage-real-cli-${fixture}-`));
  cpSync(join(FIXTURES, fixture), project, { recursive: true });
  const real = realpathSync(join(INSTALLED, pkg));
  const store = real.slice(0, real.length - pkg.length);
  cpSync(real, join(project, 'node_modules', pkg), { recursive: true });
  for (const name of readdirSync(store)) {
    const deps = name.startsWith('@') ? readdirSync(join(store, name)).map((scoped) => `${name}/${scoped}`) : [name];
    for (const dep of deps.filter((d) => d !== pkg && d !== '.bin')) link(realpathSync(join(store, dep)), join(project, 'node_modules', dep));
  }
  link(join(REPO, 'packages/runtime'), join(project, 'node_modules/@syscage/runtime'));
  link(join(REPO, 'packages/core'), join(project, 'node_modules/@syscage/core'));
  link(join(REPO, 'packages/runtime/node_modules/ffi-rs'), join(project, 'node_modules/ffi-rs'));
  return project;
}

function link(target: string, path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path);
}

/** How a run ended. */
export type Run = Omit<NodeRun, 'pid'>;

/** `node file ...args` in the project, on `node`, in a child process. */
export function runIn(project: string, node: string, file: string, args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return runNode([file, ...args], { node, cwd: project, env: { NO_COLOR: '1', FORCE_COLOR: '0', ...env } }).then(withoutPid);
}

/** Whether a run was stopped by the sandbox: killed (SIGSYS) or refused (EACCES/EPERM in what it printed). */
export function stopped(run: Run): boolean {
  return run.signal === 'SIGSYS' || (run.code !== 0 && /EACCES|EPERM|permission denied|operation not permitted/i.test(run.stdout + run.stderr));
}

/** A loopback TCP server that counts the connections it accepts. */
export async function countingServer(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, connections: () => connections, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
