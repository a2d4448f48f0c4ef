/**
 * Entry forms across the bundler matrix: a TypeScript entry with the class-decorator form (legacy
 * and standard decorators, where the bundler can compile them; the table says why not elsewhere) and
 * a `#!` line, a CommonJS entry that `require`s the runtime, a CommonJS `.js` entry sandboxed
 * through the `entries` option, and a declaration outside any entry
 * (a build error everywhere). Then a build that would bundle the runtime (it stays external: the
 * program and its gate share the installed one), and built programs run under Node 22, 24 and 26, where the loader re-executes the
 * process once. Programs run in child processes only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseSync } from '../../packages/plugin/node_modules/oxc-parser/src-js/index.js';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import { findRuntimeBindings } from '../../packages/plugin/src/core/scan/bindings.ts';
import syscage from '../../packages/plugin/src/esbuild.ts';
import { APP, REPO, embeddedPayloads, gateOf, locatedError, makeScratch, otherNodes, runProgram } from './harness.ts';

// Files the scanner parsed, counted with spies: it looks for the runtime's bindings once in each;
// those oxc-parser did not parse, the bundler's own parser did.
vi.mock(import('../../packages/plugin/src/core/scan/bindings.ts'), { spy: true });
vi.mock(import('../../packages/plugin/node_modules/oxc-parser/src-js/index.js'), { spy: true });
const parseCount = (): number => vi.mocked(findRuntimeBindings).mock.calls.length;
const hostParseCount = (): number => parseCount() - vi.mocked(parseSync).mock.calls.length;

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const STRAY = '`sandbox()` is declared in a module that is not an entry of this build, so it would run after other modules. Move the declaration to the entry file, or list this file as an entry of the build.';

describe.each(BUNDLERS)('$name', (bundler) => {
  describe.each(['legacy', 'standard'] as const)('a TypeScript entry with %s class decorators', (decorators) => {
    const reason = bundler.noDecorators?.[decorators];
    it.skipIf(reason !== undefined)(`loads its gate first, runs, and is killed on mkdir${reason ? ` (skipped: ${reason})` : ''}`, async () => {
      const out = await bundler.build({ app: APP, entry: 'src/decorated.ts', outDir: join(scratch, `decorated-${bundler.name}-${decorators}`), format: 'esm', decorators });
      if (bundler.name === 'esbuild') expect(readFileSync(out.file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
      expect(embeddedPayloads(out.file).map((p) => p.grants)).toEqual([['fs.read']]);
      expect(gateOf(out.file)).toMatch(/\.syscage\.[cm]js$/);
      expect(await runProgram(out.file, [])).toMatchObject({ code: 0, stdout: 'decorated ok\n', stderr: '' });
      const dir = mkdtempSync(join(scratch, 'run-'));
      expect(await runProgram(out.file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
      expect(existsSync(join(dir, 'made-by-decorated'))).toBe(false);
    });
  });

  it.skipIf(bundler.noCommonJs !== undefined)(`a CommonJS entry (require) loads its gate first, runs, and is killed on mkdir, also in a required sibling${bundler.noCommonJs ? ` (skipped: ${bundler.noCommonJs})` : ''}`, async () => {
    const out = await bundler.build({ app: APP, entry: 'src/main-cjs.cjs', outDir: join(scratch, `cjs-${bundler.name}`), format: 'cjs' });
    expect(embeddedPayloads(out.file).map((p) => p.grants)).toEqual([['fs.read']]);
    expect(gateOf(out.file)).toMatch(/\.syscage\.[cm]js$/);
    expect(readFileSync(out.file, 'utf8')).not.toMatch(/["']@syscage\/runtime["']/);
    expect(await runProgram(out.file, ['read'])).toMatchObject({ code: 0, stdout: 'cjs read ok sibling=CJS_SIBLING_TOP_LEVEL\n', stderr: '' });
    const dir = mkdtempSync(join(scratch, 'run-'));
    expect(await runProgram(out.file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
    expect(await runProgram(out.file, ['read'], { env: { SYSCAGE_FIXTURE_DIR: dir, SYSCAGE_FIXTURE_SIBLING: 'mkdir' } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
    expect(existsSync(join(dir, 'made-by-cjs')) || existsSync(join(dir, 'made-by-cjs-sibling'))).toBe(false);
  });

  it.skipIf(bundler.noCommonJs !== undefined)(`a CommonJS .js entry listed in the entries option requires its gate first, runs, and is killed on mkdir${bundler.noCommonJs ? ` (skipped: ${bundler.noCommonJs})` : ''}`, async () => {
    const out = await bundler.build({ app: APP, entry: 'src/cli/cli.js', outDir: join(scratch, `cli-cjs-${bundler.name}`), format: 'cjs', plugin: { entries: { 'src/cli/cli.js': { fs: { read: true } } } } });
    expect(embeddedPayloads(out.file).map((p) => p.grants)).toEqual([['fs.read']]);
    expect(gateOf(out.file)).toMatch(/\.syscage\.[cm]js$/);
    expect(await runProgram(out.file, ['read'])).toMatchObject({ code: 0, stdout: 'cli read ok sibling=CJS_SIBLING_TOP_LEVEL\n', stderr: '' });
    const dir = mkdtempSync(join(scratch, 'run-'));
    expect(await runProgram(out.file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
    expect(await runProgram(out.file, ['read'], { env: { SYSCAGE_FIXTURE_DIR: dir, SYSCAGE_FIXTURE_SIBLING: 'mkdir' } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
    expect(existsSync(join(dir, 'made-by-cli')) || existsSync(join(dir, 'made-by-cjs-sibling'))).toBe(false);
  });

  const hostParser = ['rollup', 'rolldown', 'vite'].includes(bundler.name);
  it(`reads a JavaScript entry with ${hostParser ? "the bundler's own parser (no oxc-parser to load)" : 'oxc-parser'}`, async () => {
    const before = { all: parseCount(), host: hostParseCount() };
    const out = await bundler.build({ app: APP, entry: 'src/main.js', outDir: join(scratch, `parser-${bundler.name}`), format: 'esm' });
    expect(embeddedPayloads(out.file).map((p) => p.grants)).toEqual([['fs.read']]);
    expect({ all: parseCount() - before.all, host: hostParseCount() - before.host }).toEqual({ all: 1, host: hostParser ? 1 : 0 });
  });

  it('fails the build when a module that is not an entry declares sandbox()', async () => {
    const outDir = join(scratch, `stray-${bundler.name}`);
    await expect(bundler.build({ app: APP, entry: 'src/stray-entry.js', outDir, format: 'esm' })).rejects.toThrow(locatedError(bundler.name, 'src/stray-declaration.js', 4, 1, STRAY));
  });
});

describe('a decorated entry built without a target', () => {
  it('runs on every supported Node: the plugin removes the decorator, so no decorator syntax is left for Node', async () => {
    const outfile = join(scratch, 'decorated-no-target.mjs');
    await build({ absWorkingDir: APP, entryPoints: ['src/decorated.ts'], outfile, bundle: true, platform: 'node', format: 'esm', logLevel: 'silent', external: ['@syscage/runtime'], plugins: [syscage({ root: APP })] });
    expect(readFileSync(outfile, 'utf8')).not.toMatch(/^\s*@/m);
    for (const node of ['node', ...otherNodes().map((n) => n.path)]) expect(await runProgram(outfile, [], { node })).toMatchObject({ code: 0, stdout: 'decorated ok\n' });
  });
});

describe('a build that would bundle @syscage/runtime', () => {
  it('leaves it external (one runtime: the installed one the gate loads), and still sandboxes', async () => {
    const outfile = join(scratch, 'with-runtime.mjs');
    await build({
      absWorkingDir: APP,
      entryPoints: ['src/main.js'],
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      nodePaths: [join(REPO, 'packages/plugin/node_modules')],
      external: ['ffi-rs'],
      plugins: [syscage({ root: APP })],
    });
    const code = readFileSync(outfile, 'utf8');
    expect(code).not.toContain('function applyPrecompiled');
    expect(embeddedPayloads(outfile).map((p) => p.grants)).toEqual([['fs.read']]);
    for (const compilerPart of ['compilePolicy', 'buildPolicy', 'resolveCapabilities', 'createPolicy']) expect(code).not.toContain(compilerPart);
    expect(await runProgram(outfile, ['read'])).toMatchObject({ code: 0, stdout: 'read ok sibling=SIBLING_TOP_LEVEL\n' });
    expect(await runProgram(outfile, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: mkdtempSync(join(scratch, 'run-')) } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
  });
});

describe.each(otherNodes())('built programs under Node $major ($version)', ({ path }) => {
  it.each(BUNDLERS.filter((b) => ['esbuild', 'rollup'].includes(b.name)).flatMap((b) => (['esm', 'cjs'] as const).map((format) => [b.name, format, b] as const)))(
    '%s %s output: reads, and is killed on mkdir (also from a sibling module)',
    async (name, format, bundler) => {
      const out = await bundler.build({ app: APP, entry: 'src/main.js', outDir: join(scratch, `node-${path.length}-${name}-${format}`), format });
      expect(await runProgram(out.file, ['read'], { node: path })).toMatchObject({ code: 0, stdout: 'read ok sibling=SIBLING_TOP_LEVEL\n', stderr: '' });
      const dir = mkdtempSync(join(scratch, 'run-'));
      expect(await runProgram(out.file, ['mkdir'], { node: path, env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
      expect(await runProgram(out.file, ['read'], { node: path, env: { SYSCAGE_FIXTURE_DIR: dir, SYSCAGE_FIXTURE_SIBLING: 'mkdir' } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
      expect(existsSync(join(dir, 'made-by-main')) || existsSync(join(dir, 'made-by-sibling'))).toBe(false);
    },
  );
});
