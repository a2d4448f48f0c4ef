/**
 * Entry forms beyond the matrix: a TypeScript entry with the class-decorator form (legacy and
 * standard decorators) and a `#!` line, a bundle that includes the runtime itself (the compiler
 * must not come with it), and built programs run under Node 22 and 24, where the loader
 * re-executes the process once. Programs run in child processes only.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import syscage from '../../packages/plugin/src/esbuild.ts';
import { APP, REPO, countImports, embeddedPayloads, makeScratch, otherNodes, runProgram } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const buildDecorated = async (experimentalDecorators: boolean): Promise<string> => {
  const outfile = join(scratch, `decorated-${experimentalDecorators ? 'legacy' : 'standard'}.mjs`);
  await build({
    absWorkingDir: APP,
    entryPoints: ['src/decorated.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
    external: ['@syscage/runtime', '@syscage/runtime/*'],
    tsconfigRaw: { compilerOptions: { experimentalDecorators } },
    plugins: [syscage({ root: APP })],
  });
  return outfile;
};

describe.each([true, false])('a TypeScript decorator entry (experimentalDecorators: %s)', (legacy) => {
  it('keeps #! first, injects the loader once, runs, and is killed on mkdir', async () => {
    const file = await buildDecorated(legacy);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    expect(embeddedPayloads(file).map((p) => p.grants)).toEqual([['fs.read']]);
    expect(countImports(file, '@syscage/runtime/loader')).toBe(1);
    expect(await runProgram(file, [])).toMatchObject({ code: 0, stdout: 'decorated ok\n', stderr: '' });
    const dir = mkdtempSync(join(scratch, 'run-'));
    expect(await runProgram(file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
    expect(existsSync(join(dir, 'made-by-decorated'))).toBe(false);
  });
});

describe('a bundle that includes @syscage/runtime', () => {
  it('carries the loader but not the compiler, and still sandboxes', async () => {
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
    expect(code).toContain('function applyPrecompiled');
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
