/**
 * The transform without a bundler: accepted declaration forms, what the rewritten entry looks like,
 * idempotence, and that the payload is byte-for-byte core's compiler output.
 */
import { buildPolicy, buildStage1Policy, compilePolicy, planLandlock, resolveCapabilities, type Capabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { resolveOptions, type Options } from './options.ts';
import { createTransformContext, transformModule } from './transform.ts';

const I = "import { sandbox } from '@syscage/runtime';\n";
const run = (code: string, options: Options = {}, id = '/app/src/main.ts', isEntry?: boolean) =>
  transformModule(code, id, createTransformContext(resolveOptions({ root: '/app', ...options })), isEntry);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('transformModule', () => {
  it.each<[string, string, Capabilities]>([
    ['a literal', `${I}sandbox({ fs: { read: ['./data'] }, dns: true });`, { fs: { read: ['./data'] }, dns: true }],
    ['as const and satisfies', `${I}import type { Capabilities } from '@syscage/core';\nsandbox({ net: { connect: [443] } } as const satisfies Capabilities);`, { net: { connect: [443] } }],
    ['a const reference', `${I}const caps = { worker: true };\nsandbox(caps);`, { worker: true }],
    ['spreads of consts', `${I}const BASE = { dns: true } as const;\nconst DIRS = ['./a'] as const;\nsandbox({ ...BASE, fs: { read: [...DIRS, './b'] } });`, { dns: true, fs: { read: ['./a', './b'] } }],
    ['shorthand properties', `${I}const tty = true;\nconst spawn = ['/bin/ls'];\nsandbox({ tty, spawn });`, { tty: true, spawn: ['/bin/ls'] }],
    ['an aliased import', "import { sandbox as cage } from '@syscage/runtime';\ncage({ signal: true });", { signal: true }],
    ['a namespace import', "import * as rt from '@syscage/runtime';\nrt.sandbox({ tty: true });", { tty: true }],
    ['a legacy or standard class decorator', `${I}@sandbox({ fs: true })\nexport class Main {}`, { fs: true }],
    ['a CommonJS require', "const { sandbox } = require('@syscage/runtime');\nsandbox({ dns: true });", { dns: true }],
    ['an aliased CommonJS require', "const { status, sandbox: cage } = require('@syscage/runtime');\ncage({ tty: true, landlock: 'best-effort' });", { tty: true, landlock: 'best-effort' }],
    ['a CommonJS namespace require', "const rt = require('@syscage/runtime');\nrt.sandbox({ worker: true });", { worker: true }],
    ['quoted keys, negative-free numbers, undefined', `${I}sandbox({ 'dns': true, net: { listen: [+8080] }, tty: undefined });`, { dns: true, net: { listen: [8080] } }],
  ])('reads %s and embeds exactly what core compiles', async (_, code, expected) => {
    const out = await run(code);
    const resolved = resolveCapabilities(expected);
    const payload = out?.entry.payload;
    if (!payload) throw new Error('no payload');
    expect(payload.grants).toEqual([...resolved.grants]);
    expect(payload.landlock).toEqual(planLandlock(resolved));
    for (const arch of ['x86_64', 'aarch64'] as const) {
      expect(payload.filters[arch]).toBe(base64(compilePolicy(buildPolicy(resolved), arch).bytes));
      expect(payload.stage1[arch]).toBe(base64(compilePolicy(buildStage1Policy(), arch).bytes));
    }
  });

  it('removes the call and the now unused import, and injects nothing', async () => {
    const out = await run(`${I}import { helper } from './helper.ts';\nsandbox({ dns: true });\nhelper();\n`);
    expect(out?.code).toBe(`\nimport { helper } from './helper.ts';\n/* syscage: this declaration is applied by the gate before the program loads */\nhelper();\n`);
    expect(JSON.stringify(out?.entry.payload)).toMatch(/^\{"grants":\["dns"\],"onViolation":"kill","unsupported":"error","filters":\{"x86_64":"[^"]+","aarch64":"[^"]+"\},"stage1":\{"x86_64":"[^"]+","aarch64":"[^"]+"\},"landlock":\{"handledFs":.*\}\}$/);
  });

  it('keeps other runtime imports, and removes the decorator', async () => {
    const out = await run("import { sandbox, status } from '@syscage/runtime';\n@sandbox({})\nclass Main {}\nconsole.log(status(), Main);\n");
    expect(out?.code.split('\n')).toEqual(["import { status } from '@syscage/runtime';", '', 'class Main {}', 'console.log(status(), Main);', '']);
  });

  it('drops only the sandbox binding of a CommonJS require, keeping the #! line and directives', async () => {
    const out = await run("#!/usr/bin/env node\n'use strict';\nconst { status, sandbox } = require('@syscage/runtime');\nsandbox({ dns: true });\nconsole.log(status());\n", {}, '/app/src/main.js');
    expect(out?.code.split('\n')).toEqual(['#!/usr/bin/env node', "'use strict';", "const { status } = require('@syscage/runtime');", '/* syscage: this declaration is applied by the gate before the program loads */', 'console.log(status());', '']);
  });

  it('is idempotent: a second pass changes nothing', async () => {
    const ctx = createTransformContext(resolveOptions({ root: '/app' }));
    const first = await transformModule(`${I}sandbox({ dns: true });\n`, '/app/src/main.ts', ctx);
    expect(first?.entry.payload.grants).toEqual(['dns']);
    expect(await transformModule(first?.code ?? '', '/app/src/main.ts', ctx)).toBeUndefined();
  });

  it('returns a source map pointing into the original', async () => {
    const out = await run(`${I}sandbox({});\nconsole.log(1);\n`);
    expect(out?.map.sources).toEqual(['/app/src/main.ts']);
    expect(out?.map.mappings.length).toBeGreaterThan(0);
  });

  it('leaves modules without declarations alone, cheaply', async () => {
    expect(await run("import fs from 'node:fs';\nfs.readFileSync('x');\n")).toBeUndefined();
    expect(await run("import { status } from '@syscage/runtime';\nconsole.log(status());\n")).toBeUndefined();
  });

  it('sandboxes an entry listed in the options, without touching its source', async () => {
    const out = await run("console.log('cli');\n", { entries: { 'src/main.ts': { fs: { read: true } } } });
    expect(out?.code).toBe("console.log('cli');\n");
    expect(out?.entry.payload.grants).toContain('fs.read');
    expect(out?.entry.source).toEqual({ form: 'options', location: { file: 'src/main.ts', line: 1, column: 1 } });
  });

  it('applies the default onViolation only where the declaration does not say', async () => {
    expect((await run(`${I}sandbox({});`, { onViolation: 'errno' }))?.entry.payload.onViolation).toBe('errno');
    expect((await run(`${I}sandbox({ onViolation: 'kill' });`, { onViolation: 'errno' }))?.entry.payload.onViolation).toBe('kill');
  });

  it('compiles only the architectures asked for', async () => {
    const out = await run(`${I}sandbox({});`, { arches: ['aarch64'] });
    expect(Object.keys(out?.entry.payload.filters ?? {})).toEqual(['aarch64']);
  });

  it('refuses a declaration in a module the bundler says is not an entry', async () => {
    await expect(run(`${I}sandbox({});`, {}, '/app/src/lib.ts', false)).rejects.toThrow(
      'src/lib.ts:2:1: `sandbox()` is declared in a module that is not an entry of this build, so it would run after other modules. Move the declaration to the entry file, or list this file as an entry of the build.',
    );
  });
});
