/**
 * Build shapes: the promise must hold however a user's build is set up. One program, whose
 * dependencies misbehave in their top-level code (an ES module package and a CommonJS one), is
 * built by every bundler × {ESM, CJS} output × {runtime left to the config, runtime the config would
 * bundle} × {dependencies bundled, external} × {`sideEffects` unset, `"sideEffects": false`}. Each
 * output must load its gate first; the program must work; a dependency's top-level write and
 * connect must be stopped (SIGSYS, no file, no connection); the project's `.env` beside its
 * `package.json` must stay unreadable under `fs: { read: ['./logs'] }`; the output directory must
 * hold only the program's files and no path of the build machine. The write case also runs on
 * every other supported Node version. Programs run in child processes only.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { build as esbuild } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLERS, type Bundler } from '../../packages/plugin/test/bundlers.ts';
import { CLI } from '../../packages/cli/test/run-cli.ts';
import { runNode } from '../support/run-node.ts';
import { REPO, embeddedPayloads, gateOf, otherNodes, programOf, runProgram } from './harness.ts';

const root = mkdtempSync(join(tmpdir(), 'syscage-shapes-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const DEP_ESM = `import { appendFileSync } from 'node:fs';
import { connect } from 'node:net';
if (process.env.SHAPE_DEP === 'write') appendFileSync(process.env.SHAPE_MARK, 'dep-esm\\n');
if (process.env.SHAPE_DEP === 'connect') connect({ host: '127.0.0.1', port: Number(process.env.SHAPE_PORT) });
export const esmDep = 'esm-dep';
`;
// process.getBuiltinModule, not require: esbuild cannot bundle a require of a builtin into ES module output.
const DEP_CJS = `const { appendFileSync } = process.getBuiltinModule('node:fs');
if (process.env.SHAPE_DEP === 'write-cjs') appendFileSync(process.env.SHAPE_MARK, 'dep-cjs\\n');
module.exports = { name: 'cjs-dep' };
`;
const MAIN = `import { sandbox } from '@syscage/runtime';
import { readFileSync } from 'node:fs';
import { esmDep } from 'dep-esm';
import cjsDep from 'dep-cjs';

sandbox({ fs: { read: ['./logs'] } });

if (process.argv[2] === 'main') {
  // The file this code runs from, as its stack names it (however the bundler spells import.meta or __filename).
  const frame = (new Error().stack.split('\\n')[1] ?? '').trim().replace(/^at (?:.* \\()?(?:file:\\/\\/)?/, '');
  const self = frame.replace(/:\\d+:\\d+\\)?$/, '');
  console.log(self === process.argv[1] ? 'argv[1] names the running file' : \`argv[1] \${process.argv[1]}, running \${self}\`);
} else if (process.argv[2] === 'env') {
  try {
    readFileSync('.env');
    console.log('env readable');
  } catch (error) {
    console.log(\`env \${error.code}\`);
  }
} else {
  console.log(\`ok \${readFileSync('logs/a.log', 'utf8').trim()} \${esmDep} \${cjsDep.name}\`);
}
`;

/** A project with its own package.json (`sideEffects` as given), `.env`, logs, and node_modules. */
function makeProject(name: string, sideEffects: boolean | undefined): string {
  const dir = join(root, name);
  const write = (file: string, text: string): void => {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  };
  write('package.json', JSON.stringify({ name: 'shape-app', private: true, ...(sideEffects === undefined ? {} : { sideEffects }) }));
  write('.env', 'SECRET=do-not-read\n');
  write('logs/a.log', 'hello\n');
  write('src/main.js', MAIN);
  write('node_modules/dep-esm/package.json', JSON.stringify({ name: 'dep-esm', type: 'module', main: 'index.js' }));
  write('node_modules/dep-esm/index.js', DEP_ESM);
  write('node_modules/dep-cjs/package.json', JSON.stringify({ name: 'dep-cjs', main: 'index.js' }));
  write('node_modules/dep-cjs/index.js', DEP_CJS);
  mkdirSync(join(dir, 'node_modules/@syscage'), { recursive: true });
  symlinkSync(join(REPO, 'packages/runtime'), join(dir, 'node_modules/@syscage/runtime'));
  symlinkSync(join(REPO, 'packages/core'), join(dir, 'node_modules/@syscage/core'));
  symlinkSync(join(REPO, 'packages/runtime/node_modules/ffi-rs'), join(dir, 'node_modules/ffi-rs'));
  return dir;
}

const projects = { unset: makeProject('unset', undefined), false: makeProject('no-side-effects', false) } as const;

interface Shape {
  readonly bundler: Bundler;
  readonly format: 'esm' | 'cjs';
  readonly bundleRuntime: boolean;
  readonly depsExternal: boolean;
  readonly sideEffects: keyof typeof projects;
}
const SHAPES: Shape[] = BUNDLERS.flatMap((bundler) =>
  (['esm', 'cjs'] as const).flatMap((format) =>
    [false, true].flatMap((bundleRuntime) => [false, true].flatMap((depsExternal) => (['unset', 'false'] as const).map((sideEffects) => ({ bundler, format, bundleRuntime, depsExternal, sideEffects })))),
  ),
);
const nameOf = (s: Shape): string => `${s.bundler.name} ${s.format}, runtime ${s.bundleRuntime ? 'bundled by the config' : 'external'}, dependencies ${s.depsExternal ? 'external' : 'bundled'}, sideEffects ${s.sideEffects}`;

let server: Server;
let connections = 0;
let port = 0;
beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe.each(SHAPES.map((shape) => [nameOf(shape), shape] as const))('%s', (_, shape) => {
  const project = projects[shape.sideEffects];
  const outDir = join(project, 'dist', `${shape.bundler.name}-${shape.format}-${shape.bundleRuntime ? 'rb' : 're'}-${shape.depsExternal ? 'de' : 'db'}`);
  let file: string;
  beforeAll(async () => {
    const out = await shape.bundler.build({ app: project, entry: 'src/main.js', outDir, format: shape.format, bundleRuntime: shape.bundleRuntime, ...(shape.depsExternal ? { external: ['dep-esm', 'dep-cjs'] } : {}) });
    file = out.file;
  }, 60_000);
  const run = (args: string[], env: Record<string, string> = {}) => runProgram(file, args, { cwd: project, env: { SHAPE_PORT: String(port), ...env } });

  it('loads its gate first, and the output directory holds only the program and what the plugin wrote beside it', () => {
    expect(gateOf(file)).toBe(`${file}.syscage.${shape.format === 'esm' ? 'mjs' : 'cjs'}`);
    expect(embeddedPayloads(file).map((p) => p.grants)).toEqual([['fs.read']]);
    const names = readdirSync(outDir);
    const base = file.split('/').at(-1) ?? '';
    const program = programOf(file)?.split('/').at(-1);
    expect(names.filter((n) => !n.startsWith(base) && n !== program).filter((n) => !/\.chunk\.[cm]?js$/.test(n))).toEqual([]);
    // No absolute path of the build machine (bundlers' own comments name modules relative to the working directory).
    const absolute = new RegExp(`(?<!\\.\\.)${root.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')}`);
    for (const n of names) expect(readFileSync(join(outDir, n), 'utf8')).not.toMatch(absolute);
  });

  it('runs, with its dependencies', async () => {
    expect(await run([])).toMatchObject({ code: 0, signal: null, stdout: 'ok hello esm-dep cjs-dep\n', stderr: '' });
  });

  it('is started by a launcher, as the main module', async () => {
    expect(programOf(file)).toBe(file.replace(/(\.[cm]?js)$/, '.program$1'));
    expect(await run(['main'])).toMatchObject({ code: 0, stdout: 'argv[1] names the running file\n' });
  });

  it.each(['write', 'write-cjs'])("stops a dependency's top-level %s (SIGSYS, no file)", async (action) => {
    const mark = join(mkdtempSync(join(root, 'mark-')), 'written');
    const result = await run([], { SHAPE_DEP: action, SHAPE_MARK: mark });
    expect([result.signal, result.stdout]).toEqual(['SIGSYS', '']);
    expect(existsSync(mark)).toBe(false);
  });

  it("stops a dependency's top-level connect (SIGSYS, no connection)", async () => {
    const before = connections;
    // net.connect makes its socket on a later tick, after the program's own line is printed.
    expect((await run([], { SHAPE_DEP: 'connect' })).signal).toBe('SIGSYS');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(connections).toBe(before);
  });

  it("keeps the project's .env unreadable (Landlock: EACCES)", async () => {
    expect(await run(['env'])).toMatchObject({ code: 0, stdout: 'env EACCES\n' });
  });
});

describe('a bundle built without the plugin that inlines the runtime and calls sandbox() at run time', () => {
  it("keeps the project's .env unreadable: the inlined runtime does not take the bundle's package for its own", async () => {
    const project = projects.unset;
    const source = join(project, 'src/unbuilt.js');
    writeFileSync(source, "import { sandbox } from '@syscage/runtime';\nimport { readFileSync } from 'node:fs';\nsandbox({ fs: { read: ['./logs'] } });\ntry {\n  readFileSync('.env');\n  console.log('env readable');\n} catch (error) {\n  console.log(`env ${error.code}`);\n}\nconsole.log(readFileSync('logs/a.log', 'utf8').trim());\n");
    const outfile = join(project, 'dist/unbuilt/main.mjs');
    await esbuild({ absWorkingDir: project, entryPoints: [source], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', external: ['ffi-rs', '@yuuang/*'] });
    expect(readFileSync(outfile, 'utf8')).toContain('function applySandbox');
    expect(await runProgram(outfile, [], { cwd: project })).toMatchObject({ code: 0, stdout: 'env EACCES\nhello\n' });
  });
});

describe('the first image, before the restart', () => {
  // Under strace: every file the process opens, and the system calls that apply a sandbox. Before
  // the first of them (the Landlock domain, or a filter where there is no Landlock) the launcher
  // reads no byte of the program and none of its dependencies; after it (the restart, or in place
  // where none is needed) the program runs as usual.
  const shapes = SHAPES.filter((s) => s.depsExternal && !s.bundleRuntime && s.sideEffects === 'unset');
  it.each(shapes.map((shape) => [nameOf(shape), shape] as const))('%s: opens neither the program nor a dependency', async (_, shape) => {
    const project = projects[shape.sideEffects];
    const { file } = await shape.bundler.build({ app: project, entry: 'src/main.js', outDir: join(project, 'dist', `first-image-${shape.bundler.name}-${shape.format}`), format: shape.format, bundleRuntime: false, external: ['dep-esm', 'dep-cjs'] });
    const program = programOf(file) ?? '';
    const log = join(mkdtempSync(join(root, 'strace-')), 'log');
    const result = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve,openat,landlock_restrict_self,seccomp', '-o', log, process.execPath, file], { cwd: project, encoding: 'utf8' });
    expect([result.status, result.stdout]).toEqual([0, 'ok hello esm-dep cjs-dep\n']);
    const lines = readFileSync(log, 'utf8').split('\n');
    const applied = lines.findIndex((line) => /^\d+ +(landlock_restrict_self|seccomp)\(/.test(line));
    expect(applied).toBeGreaterThan(0);
    const opened = (part: readonly string[]): string[] => part.flatMap((line) => /openat\([^"]*"([^"]+)"/.exec(line)?.[1] ?? []).map((path) => resolve(project, path));
    const isProgramCode = (path: string): boolean => path === program || path.includes('/node_modules/dep-');
    expect(opened(lines.slice(0, applied)).filter(isProgramCode)).toEqual([]);
    expect(opened(lines.slice(applied)).filter(isProgramCode)).toContain(program);
  });
});

describe('syscage inspect', () => {
  const shapes = SHAPES.filter((s) => s.bundleRuntime && s.depsExternal && s.sideEffects === 'false');
  it.each(shapes.map((shape) => [nameOf(shape), shape] as const))('%s: verifies the output through its gate', async (_, shape) => {
    const project = projects[shape.sideEffects];
    const { file } = await shape.bundler.build({ app: project, entry: 'src/main.js', outDir: join(project, 'dist', `inspect-${shape.bundler.name}-${shape.format}`), format: shape.format, bundleRuntime: true, external: ['dep-esm', 'dep-cjs'] });
    const run = await runNode([CLI, 'inspect', file], { env: { NO_COLOR: '1' } });
    expect(run.code).toBe(0);
    const gate = `${programOf(file)}`.replace(/\.program(\.[cm]?js)$/, '$1') + `.syscage.${shape.format === 'esm' ? 'mjs' : 'cjs'}`;
    expect(run.stdout).toContain(`ok       launcher: the output applies the sandbox before reading ${programOf(file)}, then starts it as the main module`);
    expect(run.stdout).toContain(`ok       gate: the program loads ${gate} as its first statement`);
    expect(run.stdout).toContain('verified: the embedded sandbox is what its declaration compiles to.');
  });
});

describe.each(otherNodes())('under Node $major ($version)', ({ path }) => {
  const shapes = SHAPES.filter((s) => s.depsExternal && s.bundleRuntime && s.sideEffects === 'false');
  it.each(shapes.map((shape) => [nameOf(shape), shape] as const))("%s: the program runs, a dependency's top-level write is stopped", async (_, shape) => {
    const project = projects[shape.sideEffects];
    const outDir = join(project, 'dist', `node-${shape.bundler.name}-${shape.format}`);
    const { file } = await shape.bundler.build({ app: project, entry: 'src/main.js', outDir, format: shape.format, bundleRuntime: true, external: ['dep-esm', 'dep-cjs'] });
    expect(await runProgram(file, [], { node: path, cwd: project })).toMatchObject({ code: 0, stdout: 'ok hello esm-dep cjs-dep\n' });
    const mark = join(mkdtempSync(join(root, 'mark-')), 'written');
    const result = await runProgram(file, [], { node: path, cwd: project, env: { SHAPE_DEP: 'write', SHAPE_MARK: mark } });
    expect([result.signal, result.stdout]).toEqual(['SIGSYS', '']);
    expect(existsSync(mark)).toBe(false);
  });
});
