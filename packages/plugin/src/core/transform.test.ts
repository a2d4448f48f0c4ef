/**
 * The transform without a bundler: accepted declaration forms, what the rewritten entry looks like,
 * idempotence, and that the embedded payload is byte-for-byte core's compiler output.
 */
import { buildPolicy, buildStage1Policy, compilePolicy, planLandlock, resolveCapabilities, type Capabilities } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { createLoaderModule, hasLoaderImport } from './loader.ts';
import { resolveOptions, type Options } from './options.ts';
import { createTransformContext, transformModule } from './transform.ts';

const I = "import { sandbox } from '@syscage/runtime';\n";
const run = (code: string, options: Options = {}, id = '/app/src/main.ts', isEntry?: boolean) =>
  transformModule(code, id, createTransformContext(resolveOptions({ root: '/app', ...options })), isEntry);
const payloadOf = (code: string): { grants: string[]; onViolation: string; filters: Record<string, string>; stage1: Record<string, string>; landlock: unknown } => {
  const match = /applyPrecompiled\((.*)\);/.exec(code);
  return JSON.parse(match?.[1] ?? 'null');
};
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
    const payload = payloadOf(out?.entry.loader.code ?? '');
    expect(payload.grants).toEqual([...resolved.grants]);
    expect(payload.landlock).toEqual(planLandlock(resolved));
    for (const arch of ['x86_64', 'aarch64'] as const) {
      expect(payload.filters[arch]).toBe(base64(compilePolicy(buildPolicy(resolved), arch).bytes));
      expect(payload.stage1[arch]).toBe(base64(compilePolicy(buildStage1Policy(), arch).bytes));
    }
  });

  it('puts the loader first, removes the call and the now unused import', async () => {
    const out = await run(`${I}import { helper } from './helper.ts';\nsandbox({ dns: true });\nhelper();\n`);
    expect(out?.code).toBe(`${out?.entry.loader.importStatement}\n\nimport { helper } from './helper.ts';\n/* syscage: this declaration is applied by the injected loader */\nhelper();\n`);
    expect(out?.entry.loader.code).toMatch(/^import \{ applyPrecompiled \} from '@syscage\/runtime\/loader';\napplyPrecompiled\(\{"grants":\["dns"\],"onViolation":"kill","unsupported":"error","filters":\{"x86_64":"[^"]+","aarch64":"[^"]+"\},"stage1":\{"x86_64":"[^"]+","aarch64":"[^"]+"\},"landlock":\{"handledFs":.*\}\}\);\n$/);
  });

  it('keeps other runtime imports, and replaces a decorator with an identity decorator', async () => {
    const out = await run("import { sandbox, status } from '@syscage/runtime';\n@sandbox({})\nclass Main {}\nconsole.log(status(), Main);\n");
    expect(out?.code.split('\n').slice(1)).toEqual(["import { status } from '@syscage/runtime';", '@((target) => target)', 'class Main {}', 'console.log(status(), Main);', '']);
  });

  it('requires the loader first in a CommonJS entry (after its directives), and drops only the sandbox binding', async () => {
    const out = await run("#!/usr/bin/env node\n'use strict';\nconst { status, sandbox } = require('@syscage/runtime');\nsandbox({ dns: true });\nconsole.log(status());\n", {}, '/app/src/main.js');
    expect(out?.code.split('\n')).toEqual(['#!/usr/bin/env node', "'use strict';", out?.entry.loader.requireStatement, "const { status } = require('@syscage/runtime');", '/* syscage: this declaration is applied by the injected loader */', 'console.log(status());', '']);
    expect(out?.entry.loader.requireStatement).toMatch(/^require\('@syscage\/virtual-loader\/[0-9a-f]{16}'\);$/);
    expect(out && hasLoaderImport(out.code)).toBe(true);
    const whole = await run("const { sandbox } = require('@syscage/runtime');\nsandbox({});\n", {}, '/app/src/main.cjs');
    expect(whole?.code).toBe(`${whole?.entry.loader.requireStatement}\n\n/* syscage: this declaration is applied by the injected loader */\n`);
  });

  it('keeps an ES import first in a module that mixes require with ES syntax', async () => {
    const out = await run("const { sandbox } = require('@syscage/runtime');\nsandbox({});\nexport const x = 1;\n");
    expect(out?.code.startsWith(out.entry.loader.importStatement)).toBe(true);
  });

  it('keeps a #! line first', async () => {
    const out = await run(`#!/usr/bin/env node\n${I}sandbox({});\n`);
    expect(out?.code.split('\n').slice(0, 2)).toEqual(['#!/usr/bin/env node', out?.entry.loader.importStatement]);
  });

  it('is idempotent: a second pass changes nothing', async () => {
    const ctx = createTransformContext(resolveOptions({ root: '/app' }));
    const first = await transformModule(`${I}sandbox({ dns: true });\n`, '/app/src/main.ts', ctx);
    expect(first && hasLoaderImport(first.code)).toBe(true);
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

  it('sandboxes an entry listed in the options, without touching its source otherwise', async () => {
    const out = await run("console.log('cli');\n", { entries: { 'src/main.ts': { fs: { read: true } } } });
    expect(out?.code).toBe(`${out?.entry.loader.importStatement}\nconsole.log('cli');\n`);
    expect(out?.entry.source).toEqual({ form: 'options', location: { file: 'src/main.ts', line: 1, column: 1 } });
  });

  it.each([
    ['a CommonJS .js file', 'bin/cli.js', "'use strict';\nconst fs = require('node:fs');\nmodule.exports = fs;\n", 'require'],
    ['a .cjs file', 'bin/cli.cjs', "exports.main = () => 1;\n", 'require'],
    ['an ES module .js file', 'bin/cli.js', "import fs from 'node:fs';\nexport default fs;\n", 'import'],
    ['a .js script that is neither', 'bin/cli.js', "console.log('cli');\n", 'import'],
    ['an .mjs file', 'bin/cli.mjs', "console.log(typeof require);\n", 'import'],
  ])('injects the loader into %s listed in the options as its module system requires', async (_, file, code, kind) => {
    const out = await run(code, { entries: { [file]: { fs: { read: true } } } }, `/app/${file}`);
    const statement = kind === 'require' ? out?.entry.loader.requireStatement : out?.entry.loader.importStatement;
    // Directives stay first: the loader goes right after them.
    expect(out?.code).toBe(code.startsWith("'use strict';\n") ? `'use strict';\n${statement}\n${code.slice(14)}` : `${statement}\n${code}`);
  });

  it('applies the default onViolation only where the declaration does not say', async () => {
    expect(payloadOf((await run(`${I}sandbox({});`, { onViolation: 'errno' }))?.entry.loader.code ?? '').onViolation).toBe('errno');
    expect(payloadOf((await run(`${I}sandbox({ onViolation: 'kill' });`, { onViolation: 'errno' }))?.entry.loader.code ?? '').onViolation).toBe('kill');
  });

  it('compiles only the architectures asked for', async () => {
    const out = await run(`${I}sandbox({});`, { arches: ['aarch64'] });
    expect(Object.keys(payloadOf(out?.entry.loader.code ?? '').filters)).toEqual(['aarch64']);
  });

  it('refuses a declaration in a module the bundler says is not an entry', async () => {
    await expect(run(`${I}sandbox({});`, {}, '/app/src/lib.ts', false)).rejects.toThrow(
      'src/lib.ts:2:1: `sandbox()` is declared in a module that is not an entry of this build, so it would run after other modules. Move the declaration to the entry file, or list this file as an entry of the build.',
    );
  });

  it('names the loader after its content, so equal declarations share one', () => {
    const payload = { grants: [], onViolation: 'kill', unsupported: 'error', filters: {}, stage1: {} } as const;
    expect(createLoaderModule(payload).key).toBe(createLoaderModule({ ...payload }).key);
    expect(createLoaderModule(payload).key).not.toBe(createLoaderModule({ ...payload, onViolation: 'errno' }).key);
  });
});
