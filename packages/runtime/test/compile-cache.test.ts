/**
 * Node's compile cache inside the sandbox (src/compile-cache.ts), in child processes on every
 * installed Node version that has one (≥ 22): `module.enableCompileCache()` under a read-only
 * declaration (tsc, eslint) and `NODE_COMPILE_CACHE` set for a `{}` program no longer kill the
 * program at exit: the cache is disabled. A declaration that may write the cache directory keeps it.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { installNode } from '../../../scripts/baseline/install-node.mjs';
import { lastJson, runFixture } from './run-fixture.ts';

const nodes: Record<number, string> = {};
let scratch = '';
beforeAll(async () => {
  for (const { major, path } of (await installNode({ log: () => {} })) as Array<{ major: number; path: string }>) nodes[major] = path;
  scratch = mkdtempSync(join(tmpdir(), 'syscage-compile-cache-'));
}, 240_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const DISABLED = 3; // module.constants.compileCacheStatus.DISABLED
const ALREADY_ENABLED = 2; // NODE_COMPILE_CACHE enabled it at start-up

describe.each([22, 24, 26])('Node %i', (major) => {
  const run = (declaration: object, action: string[], env: Record<string, string> = {}) => runFixture('compile-cache.mjs', [JSON.stringify(declaration), ...action], { node: nodes[major] ?? '', env });

  it('module.enableCompileCache() under fs.read answers "disabled" and the program exits cleanly', async (context) => {
    if (nodes[major] === undefined) context.skip();
    const result = await run({ fs: { read: true } }, ['enable']);
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(lastJson(result)).toMatchObject({ status: DISABLED, dir: null, disabled: '1' });
  });

  it('NODE_COMPILE_CACHE set: even a {} program exits cleanly (restarted with the cache off)', async (context) => {
    if (nodes[major] === undefined) context.skip();
    const cache = join(scratch, `env-${major}`);
    const result = await run({}, [], { NODE_COMPILE_CACHE: cache });
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(lastJson(result)).toMatchObject({ dir: null, disabled: '1', reexecuted: true });
  });

  it('a cache a preloaded module enabled: the program exits cleanly (restarted with the cache off)', async (context) => {
    if (nodes[major] === undefined) context.skip();
    // A data: module, which the restarted image can load again (a file would have to be readable in the sandbox).
    const preload = `data:text/javascript,${encodeURIComponent(`import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(join(scratch, `preloaded-${major}`))});`)}`;
    const result = await runFixture('compile-cache.mjs', [JSON.stringify({})], { node: nodes[major] ?? '', nodeArgs: ['--import', preload] });
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(lastJson(result)).toMatchObject({ dir: null, disabled: '1', reexecuted: true });
  });

  it('a restart is asked for exactly where something enabled the cache before the sandbox', async (context) => {
    if (nodes[major] === undefined) context.skip();
    const enable = `data:text/javascript,${encodeURIComponent(`import { enableCompileCache } from 'node:module'; enableCompileCache(${JSON.stringify(join(scratch, `decided-${major}`))});`)}`;
    const nothing = 'data:text/javascript,';
    const decide = async (nodeArgs: string[], env: Record<string, string> = {}, args: string[] = []) => lastJson<{ needsRestart: boolean }>(await runFixture('compile-cache-decision.ts', args, { node: nodes[major] ?? '', nodeArgs, env })).needsRestart;
    expect(await decide([])).toBe(false);
    expect(await decide(['--import', nothing])).toBe(false); // a preload that enables nothing
    expect(await decide(['--import', enable])).toBe(true);
    expect(await decide([], { NODE_OPTIONS: `--import=${enable}` })).toBe(true);
    expect(await decide([], { NODE_COMPILE_CACHE: join(scratch, `decided-env-${major}`) })).toBe(true);
    expect(await decide([], {}, [join(scratch, `decided-own-${major}`)])).toBe(true); // the program's own code, nothing preloaded
  });

  it('a declaration that may write the cache directory keeps the cache', async (context) => {
    if (nodes[major] === undefined) context.skip();
    const dir = join(scratch, `writable-${major}`);
    rmSync(dir, { recursive: true, force: true });
    const result = await run({ fs: { write: [scratch] } }, ['enable'], { NODE_COMPILE_CACHE: dir });
    expect([result.code, result.signal], result.stderr).toEqual([0, null]);
    expect(lastJson(result)).toMatchObject({ status: ALREADY_ENABLED, disabled: null });
    expect(readdirSync(dir).length).toBeGreaterThan(0);
  });
});
