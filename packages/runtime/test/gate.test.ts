/**
 * The gate's inline code (dist/gate.iife.js, which the plugin copies into every gate) against the
 * real kernel, in child processes on every supported Node: a restarted image applies its sandbox
 * with that code alone, to the same effect as the loader; a program started without a launcher
 * hands over to the loader; a marker the gate cannot finish goes to the loader, and one it cannot
 * trust refuses. A preloaded probe records whether anything required the loader.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStage1Policy, compilePolicy, prepareDeclaration } from '@syscage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { installNode } from '../../../scripts/baseline/install-node.mjs';
import { runNode } from '../../../test/support/run-node.ts';

const nodes: Record<number, string> = { 20: process.execPath };
const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** What a built program embeds for `declaration` (the plugin's compile.ts, by hand). */
function payload(declaration: object): object {
  const prepared = prepareDeclaration(declaration);
  const arches = ['x86_64', 'aarch64'] as const;
  return {
    grants: [...prepared.resolved.grants],
    onViolation: prepared.resolved.onViolation,
    unsupported: prepared.resolved.unsupported,
    filters: Object.fromEntries(arches.map((arch) => [arch, base64(prepared.filter(arch).bytes)])),
    stage1: Object.fromEntries(arches.map((arch) => [arch, base64(compilePolicy(buildStage1Policy(), arch).bytes)])),
    landlock: prepared.landlock,
  };
}

// Inside the runtime's package, so that `@syscage/runtime/loader` resolves (to itself) from there.
const dir = mkdtempSync(join(fileURLToPath(new URL('.', import.meta.url)), 'fixtures/.gate-'));
const gateCode = readFileSync(fileURLToPath(new URL('../dist/gate.iife.js', import.meta.url)), 'utf8');
const ffiBinary = (): string => {
  const file = fileURLToPath(new URL(`../node_modules/@yuuang/ffi-rs-linux-${process.arch}-gnu/ffi-rs.linux-${process.arch}-gnu.node`, import.meta.url));
  return process.getBuiltinModule('node:fs').realpathSync(file);
};

beforeAll(async () => {
  for (const { major, path } of (await installNode({ log: () => {} })) as Array<{ major: number; path: string }>) nodes[major] = path;
  const json = JSON.stringify(payload({}));
  // One stderr line per image that requires the loader (the gate does, where it hands over).
  writeFileSync(join(dir, 'probe.cjs'), "const Module = require('node:module'); const load = Module._load; Module._load = function (request, ...rest) { if (request === '@syscage/runtime/loader') require('node:fs').writeSync(2, 'loader required\\n'); return load.call(this, request, ...rest); };\n");
  writeFileSync(join(dir, 'gate.mjs'), `${gateCode}\nsyscageGate.applyPrecompiledGate(${json}, import.meta.url);\n`);
  // The gate as it was before it carried code: the loader applies the payload in every image.
  writeFileSync(join(dir, 'loader-gate.mjs'), `import { applyPrecompiled } from '@syscage/runtime/loader';\napplyPrecompiled(${json});\n`);
  const program = [
    "import './GATE';",
    "import { status } from '@syscage/runtime';",
    "import fs from 'node:fs';",
    "const seccomp = fs.readFileSync('/proc/self/status', 'utf8').match(/^Seccomp_filters:\\s*(\\d+)/m)?.[1];",
    'console.log(JSON.stringify({ status: status(), marker: process.env.SYSCAGE_REEXEC ?? null, seccomp }));',
    "if (process.argv[2] === 'mkdir') fs.mkdirSync(new URL('./made', import.meta.url));",
    "if (process.argv[2] === 'read') console.log(fs.readFileSync('/etc/passwd', 'utf8').length);",
    '',
  ].join('\n');
  writeFileSync(join(dir, 'program.mjs'), program.replace('GATE', 'gate.mjs'));
  writeFileSync(join(dir, 'program-loader.mjs'), program.replace('GATE', 'loader-gate.mjs'));
  for (const [launcher, file] of [['launcher.mjs', 'program.mjs'], ['launcher-loader.mjs', 'program-loader.mjs']] as const) {
    writeFileSync(join(dir, launcher), `import { launchPrecompiled } from '@syscage/runtime/loader';\nif (launchPrecompiled(${json}, { self: import.meta.url, program: './${file}', main: import.meta.main })) await import('./${file}');\n`);
  }
  // A spawn list without node: only the layer the restarted image stacks keeps node from running
  // (the first image's domain had to allow it for the restart).
  const spawning = JSON.stringify(payload({ spawn: ['/bin/echo'] }));
  writeFileSync(join(dir, 'spawn-gate.mjs'), `${gateCode}\nsyscageGate.applyPrecompiledGate(${spawning}, import.meta.url);\n`);
  writeFileSync(
    join(dir, 'spawn-program.mjs'),
    "import './spawn-gate.mjs';\nimport { spawnSync } from 'node:child_process';\nconst run = (file) => { const r = spawnSync(file, ['-e', 'process.stdout.write(\"ran\")']); return r.error?.code ?? r.stdout.toString(); };\nconsole.log(JSON.stringify({ echo: run('/bin/echo').trim(), node: run(process.execPath) }));\n",
  );
  writeFileSync(join(dir, 'spawn-launcher.mjs'), `import { launchPrecompiled } from '@syscage/runtime/loader';\nif (launchPrecompiled(${spawning}, { self: import.meta.url, program: './spawn-program.mjs', main: import.meta.main })) await import('./spawn-program.mjs');\n`);
  // The same in CommonJS: the gate gets `__filename`, the launcher and the program `require`.
  writeFileSync(join(dir, 'gate.cjs'), `'use strict';\n${gateCode}\nsyscageGate.applyPrecompiledGate(${json}, __filename);\n`);
  writeFileSync(
    join(dir, 'program.cjs'),
    [
      "require('./gate.cjs');",
      "const { status } = require('@syscage/runtime');",
      "const fs = require('node:fs');",
      "const seccomp = fs.readFileSync('/proc/self/status', 'utf8').match(/^Seccomp_filters:\\s*(\\d+)/m)?.[1];",
      'console.log(JSON.stringify({ status: status(), marker: process.env.SYSCAGE_REEXEC ?? null, seccomp }));',
      "if (process.argv[2] === 'mkdir') fs.mkdirSync(`${__dirname}/made`);",
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'launcher.cjs'), `'use strict';\nif (require('@syscage/runtime/loader').launchPrecompiled(${json}, { self: __filename, program: './program.cjs', main: require.main === module })) module.exports = require('./program.cjs');\n`);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  readonly status: { applied: boolean; reexecuted: boolean; layers: number; landlock?: { applied: boolean } };
  readonly marker: string | null;
  readonly seccomp: string;
}

interface Started {
  readonly seen: Seen | undefined;
  readonly code: number | null;
  readonly signal: string | null;
  /** stderr less the probe's lines. */
  readonly stderr: string;
  /** How many images required the loader. */
  readonly loaderRequired: number;
}

async function start(major: number, file: string, args: readonly string[] = [], env: Record<string, string> = {}): Promise<Started> {
  const run = await runNode(['--require', join(dir, 'probe.cjs'), join(dir, file), ...args], { node: nodes[major] ?? process.execPath, cwd: dir, env });
  const line = run.stdout.split('\n').find((l) => l.startsWith('{'));
  const lines = run.stderr.split('\n');
  return {
    seen: line === undefined ? undefined : (JSON.parse(line) as Seen),
    code: run.code,
    signal: run.signal,
    stderr: lines.filter((l) => l !== 'loader required').join('\n'),
    loaderRequired: lines.filter((l) => l === 'loader required').length,
  };
}

/**
 * A forged marker's environment. On Node ≥ 22 libuv made its rings before any of it is read (no
 * restart took them away; UV_USE_IO_URING=0 does not either), and that refuses first.
 */
const forged = (marker: string): Record<string, string> => ({ SYSCAGE_REEXEC: marker });
const RINGS_LEFT = /^syscage: io_uring descriptors [\d, ]+ exist even after restarting without io_uring\./;

describe.each([20, 22, 24, 26])('Node %i', (major) => {
  it('a launched program: restarted, its gate applies the sandbox without requiring the loader, and the marker is gone', async () => {
    const run = await start(major, 'launcher.mjs', ['mkdir']);
    expect(run.seen).toMatchObject({ status: { applied: true, layers: 1 }, marker: null });
    expect(run.loaderRequired).toBe(0);
    // Node ≥ 22 restarts for its io_uring rings; Node 20 restarts to enter Landlock below ABI 8.
    if (major >= 22) expect(run.seen?.status.reexecuted).toBe(true);
    expect(run.signal).toBe('SIGSYS');
  });

  it('stacks the layer kept for the restarted image: a spawn list without node cannot run node', async () => {
    const run = await start(major, 'spawn-launcher.mjs');
    expect([run.code, run.signal, run.loaderRequired], run.stderr).toEqual([0, null, 0]);
    expect(run.seen as unknown).toEqual({ echo: 'process.stdout.write("ran")', node: 'EACCES' }); // echo takes -e as its own option
  });

  it('applies what the loader applies in the restarted image: status, filters stacked, a file outside the declaration unreadable', async () => {
    const viaGate = await start(major, 'launcher.mjs', ['read']);
    const viaLoader = await start(major, 'launcher-loader.mjs', ['read']);
    expect(viaLoader.loaderRequired).toBe(0); // the loader came through a static import
    expect(viaGate.seen?.status).toEqual(viaLoader.seen?.status);
    expect(viaGate.seen?.seccomp).toBe(viaLoader.seen?.seccomp);
    for (const run of [viaGate, viaLoader]) expect(run.stderr).toMatch(/EACCES: permission denied, open '\/etc\/passwd'/);
  });

  it('a program started without its launcher: its gate hands over to the loader, which sandboxes it (once, before a restart)', async () => {
    const run = await start(major, 'program.mjs', ['mkdir']);
    expect(run.seen).toMatchObject({ status: { applied: true }, marker: null });
    expect(run.loaderRequired).toBe(1);
    expect(run.signal).toBe('SIGSYS');
  });

  it('in CommonJS too: launched, the gate applies the sandbox alone; run directly, it hands over to the loader once', async () => {
    const launched = await start(major, 'launcher.cjs', ['mkdir']);
    expect(launched.seen, launched.stderr).toMatchObject({ status: { applied: true, layers: 1 }, marker: null });
    expect([launched.signal, launched.loaderRequired]).toEqual(['SIGSYS', 1]); // the launcher's own require
    const direct = await start(major, 'program.cjs', ['mkdir']);
    expect(direct.seen, direct.stderr).toMatchObject({ status: { applied: true }, marker: null });
    expect([direct.signal, direct.loaderRequired]).toEqual(['SIGSYS', 1]); // the gate's, in the first image only
  });

  it('a marker with a Landlock domain but no layer goes to the loader, which builds the layer', async () => {
    const run = await start(major, 'program.mjs', ['mkdir'], forged(`1:landlock=1:ffi=${ffiBinary()}`));
    expect(run.loaderRequired).toBe(1);
    if (major >= 22) {
      expect([run.seen, run.code, run.stderr]).toEqual([undefined, 1, expect.stringMatching(RINGS_LEFT)]);
      return;
    }
    expect(run.seen).toMatchObject({ status: { applied: true, reexecuted: true, landlock: { applied: true } } });
    expect(run.signal).toBe('SIGSYS');
  });

  it.each([
    ['a layer descriptor that is no ruleset', () => `1:landlock=1:layer=2:ffi=${ffiBinary()}`, /^syscage: The process was marked as restarted with a Landlock layer on descriptor 2, which is not one/],
    ['no Landlock domain where the plan needs one', () => `1:ffi=${ffiBinary()}`, /^syscage: The process was marked as restarted inside the Landlock domain, but it was not\./],
    ['an ffi-rs binary that is not one', () => `1:landlock=1:layer=2:ffi=${join(dir, 'missing.node')}`, /^syscage: cannot load ffi-rs's native binding/],
  ])('a forged marker naming %s refuses in one line, before the program runs', async (_, marker, message) => {
    const run = await start(major, 'program.mjs', ['mkdir'], forged(marker()));
    expect(run.seen).toBeUndefined();
    expect([run.code, run.signal, run.loaderRequired]).toEqual([1, null, 0]);
    expect(run.stderr).toMatch(major >= 22 && !message.source.includes('ffi-rs') ? RINGS_LEFT : message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
