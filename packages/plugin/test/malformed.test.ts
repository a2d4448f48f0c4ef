/**
 * Every malformed declaration of `fixtures/malformed.ts` fails with its exact message, both from
 * the transform alone and through a real esbuild build, which must produce no output at all: a
 * malformed declaration never yields an unsandboxed program.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSyscageError } from '@syscage/core';
import { build } from 'esbuild';
import { parseAst } from 'rollup/parseAst';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { resolveOptions } from '../src/core/options.ts';
import { createTransformContext, transformModule } from '../src/core/transform.ts';
import syscage from '../src/esbuild.ts';
import { MALFORMED } from './fixtures/malformed.ts';

const root = mkdtempSync(join(tmpdir(), 'syscage-malformed-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('malformed declarations', () => {
  it('has at least 30 cases with distinct names', () => {
    expect(MALFORMED.length).toBeGreaterThanOrEqual(30);
    expect(new Set(MALFORMED.map((c) => c.name)).size).toBe(MALFORMED.length);
  });

  it.each(MALFORMED)('$name: the transform refuses with the exact message', async (c) => {
    const ctx = createTransformContext(resolveOptions({ root: '/app', arches: ['x86_64'], ...(c.entries ? { entries: c.entries } : {}) }));
    const error = await transformModule(c.code, '/app/src/main.ts', ctx).then(() => undefined, (e: unknown) => e);
    expect(isSyscageError(error, c.error)).toBe(true);
    expect((error as Error).message).toBe(c.message);
  });

  // The same cases in a JavaScript entry read by Rollup's own parser (Rollup, Rolldown and Vite
  // use theirs instead of loading oxc-parser): the same messages. Cases with TypeScript syntax
  // are not JavaScript; the parser refuses them and oxc-parser would read them.
  const javascript = MALFORMED.filter((c) => {
    try {
      parseAst(c.code);
      return true;
    } catch {
      return false;
    }
  });
  it('has at least 30 cases that are plain JavaScript', () => {
    expect(javascript.length).toBeGreaterThanOrEqual(30);
  });

  it.each(javascript)("$name: read by Rollup's parser in a .js entry, the transform refuses with the same message", async (c) => {
    const ctx = createTransformContext(resolveOptions({ root: '/app', arches: ['x86_64'], ...(c.entries ? { entries: Object.fromEntries(Object.entries(c.entries).map(([file, caps]) => [file.replace(/\.ts$/, '.js'), caps])) } : {}) }));
    const hostParse = vi.fn((code: string) => parseAst(code));
    const error = await transformModule(c.code, '/app/src/main.js', ctx, undefined, hostParse).then(() => undefined, (e: unknown) => e);
    expect(hostParse).toHaveBeenCalledOnce();
    expect(isSyscageError(error, c.error)).toBe(true);
    expect((error as Error).message).toBe(c.message.replaceAll('src/main.ts', 'src/main.js'));
  });

  it.each(MALFORMED)('$name: an esbuild build fails with the message and writes nothing', async (c) => {
    const dir = join(root, c.name.replace(/\W+/g, '-'));
    mkdirSync(join(dir, 'src'), { recursive: true });
    writeFileSync(join(dir, 'src/main.ts'), c.code);
    const outdir = join(dir, 'dist');
    const result = build({
      absWorkingDir: dir,
      entryPoints: ['src/main.ts'],
      outdir,
      bundle: true,
      platform: 'node',
      format: 'esm',
      logLevel: 'silent',
      external: ['@syscage/runtime', '@syscage/runtime/*'],
      plugins: [syscage({ root: dir, arches: ['x86_64'], ...(c.entries ? { entries: c.entries } : {}) })],
    });
    // esbuild shows the location itself (its columns are 0-based) and the plugin's text after it.
    const failure = (await result.then(() => undefined, (e: unknown) => e)) as { errors?: Array<{ text: string; location: { file: string; line: number; column: number } | null }> } | undefined;
    expect(failure?.errors?.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}` : e.text))).toContain(c.message);
    expect(() => readdirSync(outdir)).toThrow();
  });
});
