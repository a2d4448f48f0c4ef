/**
 * The `entries` option keyed by a bin file reached through a linked `node_modules` directory, as
 * pnpm, npm/yarn workspaces and `npm link` install packages. The bundlers hand the plugin the
 * module's real path; the plugin resolves each key's links too, so the output is gated (it was
 * once built without its gate and without a warning: the CLI ran unsandboxed).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { gateOf } from '../plugin/harness.ts';
import { BUNDLER_NAMES, buildCli } from './harness.ts';

const project = mkdtempSync(join(tmpdir(), 'syscage-real-cli-links-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));
mkdirSync(join(project, 'node_modules'));
mkdirSync(join(project, 'docs'));
writeFileSync(join(project, 'docs/a.md'), '# a\n');
symlinkSync(fileURLToPath(new URL('../node_modules/marked', import.meta.url)), join(project, 'node_modules/marked'));

describe.each(BUNDLER_NAMES)('%s: entries keyed by node_modules/marked/bin/marked.js, node_modules/marked a link', (bundler) => {
  it('puts the gate in front of the output', async () => {
    const file = await buildCli(bundler, { project, entry: 'node_modules/marked/bin/marked.js', declaration: { fs: { read: ['./docs'] } }, outfile: `dist/${bundler}/marked.mjs`, format: 'esm', external: [] });
    expect(gateOf(file)).toBe(`${file}.syscage.mjs`);
  });
});
