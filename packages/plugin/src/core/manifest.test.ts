/** The manifest: deterministic, hashes of the exact filter bytes, conditions spelled out per arch. */
import { createHash } from 'node:crypto';
import { buildPolicy, compilePolicy, planLandlock, resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { createManifest, describeCondition, formatManifest, manifestFileName } from './manifest.ts';
import { resolveOptions } from './options.ts';
import { createTransformContext, transformModule } from './transform.ts';

const entryFor = async (code: string) => {
  const out = await transformModule(code, '/app/src/main.ts', createTransformContext(resolveOptions({ root: '/app' })));
  if (!out) throw new Error('not transformed');
  return out.entry;
};

describe('createManifest', () => {
  it('records the declaration, its place, grants, the Landlock plan and the filter hashes', async () => {
    const entry = await entryFor("import { sandbox } from '@syscage/runtime';\n\nsandbox({ fs: { read: ['./data'] }, net: { connect: [443] } });\n");
    const manifest = createManifest(entry, 'main.js', 'src/main.ts');
    expect(manifest).toMatchObject({
      output: 'main.js',
      entry: 'src/main.ts',
      source: { form: 'call', line: 3, column: 1 },
      declaration: { fs: { read: ['./data'] }, net: { connect: [443] } },
      grants: ['fs.read', 'net.connect'],
    });
    expect(manifest.$schema).toBe('syscage-manifest/2');
    expect(manifest.landlock).toEqual(planLandlock(resolveCapabilities({ fs: { read: ['./data'] }, net: { connect: [443] } })));
    expect(manifest.landlock).toBe(entry.compiled.landlock);
    expect(manifest.landlock.paths[0]).toEqual({ path: './data', access: ['read_file', 'read_dir'], from: 'fs.read', ifMissing: 'skip' });
    expect(manifest.landlock.ports).toContainEqual({ port: 443, access: ['connect_tcp'], from: 'net.connect' });
    const policy = buildPolicy(resolveCapabilities({ fs: { read: ['./data'] }, net: { connect: [443] } }));
    for (const arch of ['x86_64', 'aarch64'] as const) {
      const bytes = compilePolicy(policy, arch).bytes;
      expect(manifest.arches[arch]?.filterSha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(manifest.arches[arch]?.instructions).toBe(bytes.length / 8);
      expect(manifest.arches[arch]?.defaultAction).toBe('KILL_PROCESS');
    }
    expect(manifest.arches.x86_64?.syscalls.connect).toBe('allow');
    expect(manifest.arches.aarch64?.syscalls.open).toBeUndefined();
    expect(Object.keys(manifest.arches.x86_64?.syscalls ?? {})).toEqual(Object.keys(manifest.arches.x86_64?.syscalls ?? {}).sort());
  });

  it('is deterministic and written as two-space JSON with a final newline', async () => {
    const code = "import { sandbox } from '@syscage/runtime';\nsandbox({ tty: true });\n";
    const [a, b] = [await entryFor(code), await entryFor(code)];
    const text = formatManifest(createManifest(a, 'main.js', 'src/main.ts'));
    expect(text).toBe(formatManifest(createManifest(b, 'main.js', 'src/main.ts')));
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(createManifest(a, 'main.js', 'src/main.ts'))));
    // Short lists stay on one line, so a path rule reads as one line per field.
    expect(text).toContain('"grants": ["tty"],');
    expect(text).toMatch(/"access": \["read_file", "read_dir"\],/);
    expect(manifestFileName('main.mjs')).toBe('main.mjs.syscage.json');
  });

  it('spells conditions out', () => {
    expect(describeCondition({ arg: 2, op: 'masked_eq', mask: 3n, value: 0n, width: 32 })).toBe('arg2 & 0x3 == 0x0 (32-bit)');
    expect(describeCondition({ arg: 0, op: 'in', values: [1n, 2n], width: 64 })).toBe('arg0 in [0x1, 0x2]');
    expect(describeCondition({ arg: 1, op: 'flags_clear', flags: 0x10n, width: 64 })).toBe('arg1 has none of 0x10');
  });
});
