/**
 * `@syscage/runtime/loader`, the entry built programs call with filters compiled at build time:
 * it applies them like sandbox() does (same state for status(), same refusals), without the compiler.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildPolicy, buildStage1Policy, compilePolicy, resolveCapabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { runFixture } from './run-fixture.ts';

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const precompiled = (declaration: object, arches: readonly ('x86_64' | 'aarch64')[] = ['x86_64', 'aarch64']) => {
  const resolved = resolveCapabilities(declaration);
  const policy = buildPolicy(resolved);
  return {
    grants: [...resolved.grants],
    onViolation: resolved.onViolation,
    unsupported: resolved.unsupported,
    filters: Object.fromEntries(arches.map((arch) => [arch, base64(compilePolicy(policy, arch).bytes)])),
    stage1: Object.fromEntries(arches.map((arch) => [arch, base64(compilePolicy(buildStage1Policy(), arch).bytes)])),
  };
};

describe('applyPrecompiled', () => {
  it('applies the embedded filter: status() sees it, undeclared work is killed', async () => {
    const run = await runFixture('precompiled.mjs', [JSON.stringify(precompiled({ fs: { read: true } })), 'mkdir']);
    expect(JSON.parse(run.stdout.trim())).toMatchObject({ applied: true, grants: ['fs.read'], layers: 1 });
    expect(run.signal).toBe('SIGSYS');
  });

  it('refuses a build without a filter for this architecture, in one line', async () => {
    const run = await runFixture('precompiled.mjs', [JSON.stringify(precompiled({}, ['aarch64']))]);
    expect([run.code, run.stdout, run.stderr]).toEqual([1, '', "syscage: This build has no filter for x86_64. Rebuild with x86_64 among the plugin's arches.\n"]);
  });

  it('is one module that imports nothing: no compiler, one module load before the sandbox', () => {
    const loader = readFileSync(fileURLToPath(new URL('../dist/loader.js', import.meta.url)), 'utf8');
    const imports = [...loader.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
    expect(imports).toEqual([]);
  });
});
