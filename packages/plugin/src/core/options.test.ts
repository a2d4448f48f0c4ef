/** resolveOptions: the documented defaults, where each `entries` key stands in the config, and refusals that say what to write. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveOptions, type ResolvedOptions } from './options.ts';

describe('resolveOptions', () => {
  it('fills in the documented defaults', () => {
    const resolved = resolveOptions({ root: '/app' });
    expect(resolved).toEqual({ entries: new Map(), entryPlaces: new Map(), arches: ['x86_64', 'aarch64'], onViolation: 'kill', strict: false, manifest: true, root: '/app' });
    expect(resolveOptions().root).toBe(process.cwd());
  });

  it('makes entries absolute against the root', () => {
    expect([...resolveOptions({ root: '/app', entries: { 'src/cli.ts': { dns: true }, '/abs/x.js': {} } }).entries.keys()]).toEqual(['/app/src/cli.ts', '/abs/x.js']);
  });

  it('knows where each entries key stands in the config file that called it, when that file is in the root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syscage-options-'));
    try {
      const options = fileURLToPath(new URL('./options.ts', import.meta.url));
      writeFileSync(join(dir, 'build.config.mjs'), `import { resolveOptions } from ${JSON.stringify(options)};\nexport const resolved = resolveOptions({\n  root: ${JSON.stringify(dir)},\n  entries: {\n    'bin/cli.js': { fs: { read: true } },\n  },\n});\n`);
      const { resolved } = (await import(join(dir, 'build.config.mjs'))) as { resolved: ResolvedOptions };
      expect([...resolved.entryPlaces]).toEqual([[join(dir, 'bin/cli.js'), { file: 'build.config.mjs', line: 5, column: 5 }]]);
      expect(resolveOptions({ root: dir, entries: { 'bin/cli.js': {} } }).entryPlaces.size).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unknown architectures, an empty list, and a bad onViolation', () => {
    expect(() => resolveOptions({ arches: ['riscv64' as never] })).toThrow('@syscage/plugin: `arches` lists "riscv64", which syscage cannot compile for. Supported: x86_64, aarch64.');
    expect(() => resolveOptions({ arches: [] })).toThrow('@syscage/plugin: `arches` lists no architecture. Leave it out for x86_64 and aarch64, or list some.');
    expect(() => resolveOptions({ onViolation: 'die' as never })).toThrow("@syscage/plugin: `onViolation` is 'kill' or 'errno'; got \"die\". Write `onViolation: 'kill'` (SIGSYS) or `onViolation: 'errno'` (EPERM).");
  });
});
