/**
 * The bundler matrix: the same program built by each of the six bundlers, as ESM and as CJS. Every
 * build must load its gate as the output's first statement (so before any other module's code),
 * embed exactly the bytes
 * @syscage/core compiles, carry no compiler, write a manifest that matches, and produce a program
 * that does the declared thing and is killed (SIGSYS) on an undeclared one, including in a sibling
 * module's top-level code. Programs run in child processes under the machine's `node`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildPolicy, buildStage1Policy, compilePolicy, planLandlock, resolveCapabilities } from '@syscage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLERS, type BuildOutput } from '../../packages/plugin/test/bundlers.ts';
import { APP, countImports, embeddedPayloads, gateOf, makeScratch, programOf, runProgram } from './harness.ts';

const ARCHES = ['x86_64', 'aarch64'] as const;
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const resolved = resolveCapabilities({ fs: { read: true } });
const policy = buildPolicy(resolved);
const LANDLOCK = planLandlock(resolved);
const FILTERS = Object.fromEntries(ARCHES.map((arch) => [arch, base64(compilePolicy(policy, arch).bytes)]));
const STAGE1 = Object.fromEntries(ARCHES.map((arch) => [arch, base64(compilePolicy(buildStage1Policy(), arch).bytes)]));

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const embedded = new Map<string, string>();

describe.each(BUNDLERS)('$name', (bundler) => {
  describe.each(['esm', 'cjs'] as const)('%s output', (format) => {
    let out: BuildOutput;
    let code: string;
    beforeAll(async () => {
      out = await bundler.build({ app: APP, entry: 'src/main.js', outDir: join(scratch, `${bundler.name}-${format}`), format });
      code = readFileSync(programOf(out.file) ?? out.file, 'utf8');
    }, 60_000);

    it('is a launcher whose program loads its gate as the first statement, and applies exactly one payload', () => {
      const program = programOf(out.file) ?? '';
      const gate = `${out.file}.syscage.${format === 'esm' ? 'mjs' : 'cjs'}`;
      expect(program).toBe(out.file.replace(/(\.[cm]js)$/, '.program$1'));
      expect(gateOf(out.file)).toBe(gate);
      expect(embeddedPayloads(out.file)).toHaveLength(1);
      // The launcher loads the loader's file from the runtime it finds above it, else the loader by name.
      const launcher = readFileSync(out.file, 'utf8');
      expect(launcher).toContain(`${format === 'esm' ? 'await import' : 'require'}(((self) => {`);
      expect(launcher).toContain('"dist/loader.js"');
      expect(launcher.match(/launchPrecompiled\(/g)).toHaveLength(1);
      expect(countImports(program, '@syscage/runtime/loader')).toBe(0);
      // The gate carries the runtime's gate code and imports nothing: it loads the loader only
      // where it hands over (no restart behind it).
      const gateText = readFileSync(gate, 'utf8');
      expect(countImports(gate, '@syscage/runtime/loader')).toBe(0);
      expect(gateText).not.toMatch(/^\s*import\b/m);
      expect(gateText.match(/syscageGate\.applyPrecompiledGate\(/g)).toHaveLength(1);
    });

    it("embeds exactly @syscage/core's bytes for every architecture, and its Landlock plan", () => {
      const [payload] = embeddedPayloads(out.file);
      expect(payload).toEqual({ grants: ['fs.read'], onViolation: 'kill', unsupported: 'error', filters: FILTERS, stage1: STAGE1, landlock: LANDLOCK });
      embedded.set(`${bundler.name}-${format}`, JSON.stringify(payload));
    });

    it('carries no compiler and nothing that calls the runtime sandbox()', () => {
      expect(code).not.toContain('compilePolicy');
      expect(code).not.toMatch(/["']@syscage\/(runtime|core)["']/);
      expect(code).not.toMatch(/\bsandbox\(/);
    });

    it('writes a manifest whose hashes are those of the embedded filters, with the embedded Landlock plan', () => {
      const manifest = JSON.parse(readFileSync(`${out.file}.syscage.json`, 'utf8'));
      expect(manifest).toMatchObject({ entry: 'src/main.js', output: out.file.split('/').at(-1), gate: `${out.file.split('/').at(-1)}.syscage.${format === 'esm' ? 'mjs' : 'cjs'}`, grants: ['fs.read'], source: { form: 'call', line: 7, column: 1 }, landlock: LANDLOCK });
      for (const arch of ARCHES) {
        expect(manifest.arches[arch].filterSha256).toBe(createHash('sha256').update(Buffer.from(FILTERS[arch] ?? '', 'base64')).digest('hex'));
      }
    });

    it('runs: the declared read works', async () => {
      const run = await runProgram(out.file, ['read']);
      expect([run.code, run.signal, run.stdout, run.stderr]).toEqual([0, null, 'read ok sibling=SIBLING_TOP_LEVEL\n', '']);
    });

    it('is killed by SIGSYS on an undeclared mkdir', async () => {
      const dir = mkdtempSync(join(scratch, 'run-'));
      const run = await runProgram(out.file, ['mkdir'], { env: { SYSCAGE_FIXTURE_DIR: dir } });
      expect([run.signal, run.stdout]).toEqual(['SIGSYS', '']);
      expect(existsSync(join(dir, 'made-by-main'))).toBe(false);
    });

    it("is killed by SIGSYS on a sibling module's undeclared mkdir in its top-level code", async () => {
      const dir = mkdtempSync(join(scratch, 'run-'));
      const run = await runProgram(out.file, ['read'], { env: { SYSCAGE_FIXTURE_DIR: dir, SYSCAGE_FIXTURE_SIBLING: 'mkdir' } });
      expect([run.signal, run.stdout]).toEqual(['SIGSYS', '']);
      expect(existsSync(join(dir, 'made-by-sibling'))).toBe(false);
    });
  });
});

describe('across bundlers', () => {
  it('every bundler and format embedded byte-identical payloads', () => {
    expect(embedded.size).toBe(BUNDLERS.length * 2);
    expect(new Set(embedded.values()).size).toBe(1);
  });
});
