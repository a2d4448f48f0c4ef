// Which Landlock plans the runtime applies, and what `{program}` stands for; the kernel side runs in
// child processes (test/landlock.test.ts, test/sandbox.test.ts, test/escapes).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planLandlock, resolveCapabilities } from '@syscage/core';
import { afterAll, describe, expect, it } from 'vitest';
import { missingRights, programReadPaths, restrictsAnything } from './landlock.ts';

const plan = (declaration: object) => planLandlock(resolveCapabilities(declaration));

describe('every declaration gets a Landlock domain', () => {
  it.each([
    ['a read-only CLI', { fs: { read: true } }],
    ['fs: true', { fs: true }],
    ['everything', { fs: true, net: true, dns: true, spawn: true, worker: true, tty: true, signal: true }],
  ])('%s restricts something on every Landlock ABI (ptrace scoping comes with the domain)', (_, declaration) => {
    for (const abi of [1, 5, 6, 7, 8]) expect(restrictsAnything(plan(declaration), abi)).toBe(true);
  });

  it('a kernel without Landlock lacks what every declaration requires', () => {
    expect(missingRights(plan({ fs: true, net: true, spawn: true, signal: true }), 0).map((r) => r.right)).toEqual(['read_file', 'read_dir', 'make_char']);
    expect(missingRights(plan({ fs: true }), 1)).toEqual([]);
  });
});

describe('programReadPaths', () => {
  const base = mkdtempSync(join(tmpdir(), 'syscage-program-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('is the directory when it holds no hidden entries (a build output directory)', () => {
    const dist = join(base, 'dist');
    mkdirSync(dist);
    writeFileSync(join(dist, 'app.mjs'), '');
    writeFileSync(join(dist, 'chunk-1.mjs'), '');
    expect(programReadPaths(dist)).toEqual([dist]);
  });

  it("leaves out hidden entries, such as a project root's .env and .git", () => {
    const project = join(base, 'project');
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, '.git'));
    for (const name of ['app.mjs', 'package.json', '.env']) writeFileSync(join(project, name), '');
    expect(programReadPaths(project).sort()).toEqual(['app.mjs', 'package.json', 'src'].map((name) => `${project}/${name}`));
  });
});
