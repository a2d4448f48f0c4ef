/**
 * The module-graph lint through each bundler: a builtin imported (two modules deep) whose
 * capability the entry does not declare is a warning naming the importer chain, and an error with
 * `strict: true`. A dynamic import's chunk is read after the sandbox starts: beside the entry (the
 * program's own directory, always readable) it is fine; emitted outside that directory it is
 * reported.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import { APP, makeScratch } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const NET = 'src/lint-entry.js → src/lint-helper.js → node:net: `node:net` is imported, but the sandbox grants none of net.connect, net.listen, net.unix; calls through it will be stopped. Declare the capability, or remove the import if that code never runs.';
const DYNAMIC = "src/lint-entry.js → src/lint-lazy.js: a dynamic import loads a chunk from disk after the sandbox starts. Chunks in the program's own directory are readable, but ";
const DYNAMIC_END = " outside it. Emit chunks beside the entry or below it, add their directory to `fs.read`, or import the module statically.";

describe.each(BUNDLERS)('$name', (bundler) => {
  const input = (strict: boolean) => ({ app: APP, entry: 'src/lint-entry.js', outDir: join(scratch, `${bundler.name}-${strict}`), format: 'esm' as const, plugin: { strict } });

  it('warns about an undeclared builtin, naming the importer chain', async () => {
    const { warnings } = await bundler.build(input(false));
    expect(warnings.filter((w) => w.includes('node:net'))).toEqual([expect.stringContaining(NET)]);
  });

  it('fails the build on it with strict: true', async () => {
    await expect(bundler.build(input(true))).rejects.toThrow(NET);
  });
});

describe('dynamic imports', () => {
  it('esbuild without splitting inlines them: nothing to report', async () => {
    const esbuild = BUNDLERS.find((b) => b.name === 'esbuild');
    const { warnings } = (await esbuild?.build({ app: APP, entry: 'src/lint-entry.js', outDir: join(scratch, 'esbuild-dynamic'), format: 'esm' })) ?? { warnings: ['no esbuild'] };
    expect(warnings.filter((w) => w.includes('dynamic import'))).toEqual([]);
  });

  it.each(BUNDLERS.filter((b) => b.name !== 'esbuild'))('$name: a chunk beside the entry is readable, so nothing to report', async (bundler) => {
    const { warnings } = await bundler.build({ app: APP, entry: 'src/lint-entry.js', outDir: join(scratch, `${bundler.name}-dynamic`), format: 'esm' });
    expect(warnings.filter((w) => w.includes('dynamic import'))).toEqual([]);
  });

  it.each(BUNDLERS.filter((b) => b.name !== 'esbuild'))('$name reports a chunk emitted outside the entry\'s directory', async (bundler) => {
    const { warnings } = await bundler.build({ app: APP, entry: 'src/lint-entry.js', outDir: join(scratch, `${bundler.name}-dynamic-outside`), format: 'esm', entryDir: 'bin' });
    const found = warnings.filter((w) => w.includes('dynamic import'));
    expect(found).toEqual([expect.stringContaining(DYNAMIC)]);
    expect(found[0]).toMatch(/but `[^`]+\.m?js` is outside it\./);
    expect(found[0]).toContain(DYNAMIC_END);
  });
});
