/**
 * Bundler caches: a build whose entry module comes from the bundler's cache never calls the
 * plugin's transform, yet its output must still be gated. Rollup with `cache` from an earlier
 * build and webpack and Rspack with their persistent file-system cache, each time with a fresh
 * plugin instance (a new process would have one): the output loads its gate first, applies the
 * entry's declaration, and the program is stopped on an undeclared mkdir. Child processes only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rollupBuild, webpackLikeBuild } from '../../packages/plugin/test/cached-builds.ts';
import { APP, embeddedPayloads, gateOf, makeScratch, runProgram } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function expectSandboxed(file: string): Promise<void> {
  expect(gateOf(file)).toBe(`${file}.syscage.mjs`);
  expect(embeddedPayloads(file).map((p) => p.grants)).toEqual([['fs.read']]);
  expect(await runProgram(file, ['read'])).toMatchObject({ code: 0, stdout: 'read ok sibling=SIBLING_TOP_LEVEL\n' });
  const dir = mkdtempSync(join(scratch, 'run-'));
  expect(await runProgram(file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } })).toMatchObject({ signal: 'SIGSYS', stdout: '' });
}

describe('a build from the bundler cache', () => {
  it('rollup: the entry restored from `cache` is still gated', async () => {
    let cache;
    for (const round of [1, 2]) {
      const dir = join(scratch, `rollup-cache-${round}`);
      const built = await rollupBuild(APP, dir, cache);
      cache = built.cache;
      expect(built.transformed).toBe(round === 1 ? 1 : 0);
      await expectSandboxed(join(dir, 'main.mjs'));
    }
  });

  it.each(['webpack', 'rspack'] as const)('%s: the entry restored from the file-system cache is still gated', async (name) => {
    const cacheDirectory = join(scratch, `${name}-cache`);
    for (const round of [1, 2]) {
      const dir = join(scratch, `${name}-cache-out-${round}`);
      await webpackLikeBuild(name, APP, dir, cacheDirectory);
      await expectSandboxed(join(dir, 'main.mjs'));
    }
  });
});
