/**
 * Watch mode and the Vite dev server. In each bundler's own watch mode (esbuild: a context rebuilt
 * on demand), with one plugin instance throughout: a rebuild after a change that did not touch the
 * entry reuses what the plugin knew (the scanner parses nothing, nothing is compiled: asserted by
 * counting, with spies, the files the scanner reads and the policies core builds, not with
 * timings), and a change to the entry's declaration
 * is parsed and compiled again and shows in the output; a module that is not an entry and gains a
 * declaration fails the rebuild, and the session recovers once it loses it. The Vite dev server
 * never sandboxes what it serves, and says so once.
 */
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildPolicy } from '../../packages/core/src/catalog/build-policy.ts';
import { findRuntimeBindings } from '../../packages/plugin/src/core/scan/bindings.ts';
import { DEV_SERVER_NOTE } from '../../packages/plugin/src/index.ts';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import { serveInDevServer } from '../../packages/plugin/test/dev-server.ts';
import { APP, embeddedPayloads, locatedError, makeScratch, programOf } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the fixture program this test may change. */
function makeApp(name: string): string {
  const app = join(scratch, name);
  mkdirSync(app, { recursive: true });
  cpSync(join(APP, 'src'), join(app, 'src'), { recursive: true });
  return app;
}

// The scanner looks for the runtime's bindings once in every file it parses; a compile builds one policy.
vi.mock(import('../../packages/plugin/src/core/scan/bindings.ts'), { spy: true });
vi.mock(import('../../packages/core/src/catalog/build-policy.ts'), { spy: true });
const counters = () => ({ parses: vi.mocked(findRuntimeBindings).mock.calls.length, compiles: vi.mocked(buildPolicy).mock.calls.length });

describe.each(BUNDLERS)('$name watch mode', (bundler) => {
  it('reuses the parsed entry when a rebuild did not touch it, and recompiles a changed declaration', async () => {
    const app = makeApp(`watch-${bundler.name}`);
    const main = join(app, 'src/main.js');
    const before = counters();
    const session = await bundler.watch({ app, entry: 'src/main.js', outDir: join(app, 'dist'), format: 'esm', plugin: { arches: ['x86_64'] } });
    try {
      expect(counters()).toEqual({ parses: before.parses + 1, compiles: before.compiles + 1 });
      expect(embeddedPayloads(session.file).map((p) => p.grants)).toEqual([['fs.read']]);

      const afterFirst = counters();
      writeFileSync(join(app, 'src/sibling.js'), `${readFileSync(join(app, 'src/sibling.js'), 'utf8')}globalThis.touched = 'TOUCHED_SIBLING';\n`);
      await session.next();
      expect(readFileSync(programOf(session.file) ?? session.file, 'utf8')).toContain('TOUCHED_SIBLING');
      expect(counters()).toEqual(afterFirst);
      expect(embeddedPayloads(session.file).map((p) => p.grants)).toEqual([['fs.read']]);

      writeFileSync(main, readFileSync(main, 'utf8').replace('sandbox({ fs: { read: true } });', 'sandbox({ fs: { read: true }, dns: true });'));
      await session.next();
      expect(counters()).toEqual({ parses: afterFirst.parses + 1, compiles: afterFirst.compiles + 1 });
      expect(embeddedPayloads(session.file).map((p) => p.grants)).toEqual([['fs.read', 'dns']]);
    } finally {
      await session.close();
    }
  });

  it('fails a rebuild in which a module that is not an entry gains a declaration, until it loses it', async () => {
    const app = makeApp(`watch-stray-${bundler.name}`);
    const sibling = join(app, 'src/sibling.js');
    const original = readFileSync(sibling, 'utf8');
    const session = await bundler.watch({ app, entry: 'src/main.js', outDir: join(app, 'dist'), format: 'esm', plugin: { arches: ['x86_64'] } });
    try {
      const lines = original.split('\n').length;
      writeFileSync(sibling, `${original}import { sandbox } from '@syscage/runtime';\nsandbox({ fs: { read: true } });\n`);
      await expect(session.next()).rejects.toThrow(locatedError(bundler.name, 'src/sibling.js', lines + 1, 1, '`sandbox()` is declared in a module that is not an entry of this build'));
      writeFileSync(sibling, `${original}globalThis.touched = 'CLEAN_AGAIN';\n`);
      await session.next();
      expect(readFileSync(programOf(session.file) ?? session.file, 'utf8')).toContain('CLEAN_AGAIN');
    } finally {
      await session.close();
    }
  });
});

describe('the Vite dev server', () => {
  it('serves the entry unsandboxed, never parses it, and says so once', async () => {
    const app = makeApp('dev-server');
    const before = counters();
    const { codes, warnings } = await serveInDevServer(app, '/src/main.js', [{ ssr: true }, { ssr: false }, { ssr: true }]);
    for (const code of codes) {
      expect(code).toMatch(/sandbox\)?\(\{ fs: \{ read: true \} \}\)/);
      expect(code).not.toContain('applied by the gate');
    }
    expect(counters()).toEqual(before);
    expect(warnings.filter((w) => w.includes('syscage'))).toEqual([DEV_SERVER_NOTE]);
  });
});
