/**
 * inspect on a real bundle: built with esbuild and @syscage/plugin in a scratch directory (the
 * bundle is read, never run), verified through the gate it loads first, its Landlock rules said in
 * words with the implicit read set resolved for the output's directory; then one byte of the gate's
 * base64 filter flipped, which must exit 3. disasm of the same bundle shows each embedded filter.
 */
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import syscage from '@syscage/plugin/esbuild';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'syscage-cli-inspect-'));
const bundle = join(dir, 'dist/main.js');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src/main.js'), "import { sandbox } from '@syscage/runtime';\nsandbox({ fs: { read: ['./data'] }, net: { connect: [443] } });\nconsole.log('hi');\n");
  await build({ absWorkingDir: dir, entryPoints: ['src/main.js'], bundle: true, platform: 'node', format: 'esm', outfile: bundle, external: ['@syscage/runtime', '@syscage/runtime/*'], plugins: [syscage({ root: dir })], logLevel: 'silent' });
}, 60_000);

/**
 * A copy of the bundle (a launcher, the program beside it, its gate) at `file`, with one character
 * of the x86_64 filter's base64 changed in the gate (`where: 'gate'`) or in the launcher.
 */
function copyTampered(file: string, where: 'gate' | 'launcher' = 'gate'): void {
  const gate = readFileSync(`${bundle}.syscage.mjs`, 'utf8');
  writeFileSync(`${file}.syscage.mjs`, where === 'gate' ? tamper(gate) : gate);
  const name = file.split('/').at(-1) ?? '';
  const program = name.replace(/\.js$/, '.program.js');
  writeFileSync(join(dirname(file), program), readFileSync(join(dir, 'dist/main.program.js'), 'utf8').replace('./main.js.syscage.mjs', `./${name}.syscage.mjs`));
  const launcher = readFileSync(bundle, 'utf8').replace('"./main.program.js"', `"./${program}"`);
  writeFileSync(file, where === 'launcher' ? tamper(launcher) : launcher);
}

/** `code` with one character of the x86_64 filter's base64 changed. */
function tamper(code: string): string {
  const match = /"x86_64":\s*"([A-Za-z0-9+/]{40})/.exec(code);
  if (!match) throw new Error('no x86_64 filter in the bundle');
  const at = (match.index ?? 0) + match[0].length - 20;
  return `${code.slice(0, at)}${code[at] === 'A' ? 'B' : 'A'}${code.slice(at + 1)}`;
}

describe('inspect', () => {
  it('shows the declaration, filter hashes and Landlock plan, and verifies them', async () => {
    const run = await runCli(['inspect', bundle]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('declaration (from the manifest): {"fs":{"read":["./data"]},"net":{"connect":[443]}}');
    expect(run.stdout).toMatch(/x86_64 {3}sha256 [0-9a-f]{64}/);
    expect(run.stdout).toContain('may read files and list directories beneath ./data (declared: fs.read; relative to the working directory when the program starts)');
    expect(run.stdout).toContain('may connect to TCP port 443 (declared: net.connect)');
    expect(run.stdout).toContain('denies executing programs, creating device nodes, writing, creating, moving and removing files, listing directories, reading files, binding TCP ports, connecting to TCP ports, except where a rule below allows it;');
    expect(run.stdout).toContain(`ok       launcher: the output applies the sandbox before reading ${join(dir, 'dist/main.program.js')}, then starts it as the main module`);
    expect(run.stdout).toContain(`ok       gate: the program loads ${bundle}.syscage.mjs as its first statement, before any other module`);
    expect(run.stdout).toContain('verified: the embedded sandbox is what its declaration compiles to.');
    expect(run.stdout).toContain('  not scoped by the kernel (README, "Security model and limits"):\n    metadata by path (existence, size, mode, times of any file: stat) is readable everywhere; Landlock does not check it\n');
    expect(run.stdout).toContain('    a TCP port list allows that port on every host\n');
    expect(run.stdout).not.toContain('UDP datagrams');
  });

  it("resolves the implicit read set for the program's location: its directory is the output's", async () => {
    const run = await runCli(['inspect', bundle]);
    const dist = realpathSync(join(dir, 'dist'));
    expect(run.stdout).toContain(`may read files and list directories beneath ${dist} (the program's own directory)`);
    expect(run.stdout).toContain(`may read ${join(dist, 'package.json')}, ${join(dirname(dist), 'package.json')},`);
    expect(run.stdout).toContain('may read /etc/ld.so.cache (the dynamic loader\'s library index; runtime)');
    expect(run.stdout).not.toMatch(/\{(program|modules|package-json)\}|handled: /);
    // The scratch directory has no node_modules: the gate could not load its runtime from there.
    expect(run.stdout).toContain("may read files and list directories beneath {loader}: syscage's runtime and ffi-rs, which the restarted image opens again and the program may import (none found from the program's directory)");
  });

  it('reports the same as JSON', async () => {
    const json = JSON.parse((await runCli(['inspect', bundle, '--json'])).stdout);
    expect(json.sandboxes).toHaveLength(1);
    expect(json.sandboxes[0].checks.every((check: { ok: boolean }) => check.ok)).toBe(true);
    expect(Object.keys(json.sandboxes[0].filters).sort()).toEqual(['aarch64', 'x86_64']);
    expect(json.sandboxes[0].landlock.paths).toContainEqual(expect.objectContaining({ path: '{program}', from: 'runtime' }));
    expect(json.sandboxes[0].landlockWords.rules).toContainEqual(expect.objectContaining({ rule: '{program}', resolved: [realpathSync(join(dir, 'dist'))] }));
  });

  it('exits 3 when a byte of an embedded filter was changed', async () => {
    const tampered = join(dir, 'dist/tampered.js');
    copyTampered(tampered);
    writeFileSync(`${tampered}.syscage.json`, readFileSync(`${bundle}.syscage.json`));
    const run = await runCli(['inspect', tampered]);
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/MISMATCH x86_64 filter: differs from a fresh compile/);
    expect(run.stdout).toMatch(/MISMATCH x86_64 manifest hash/);
    expect(run.stdout).toContain('ok       aarch64 filter: equals a fresh compile');
  });

  it("exits 3 when the launcher applies another sandbox than the program's gate", async () => {
    const tampered = join(dir, 'dist/relaunched.js');
    copyTampered(tampered, 'launcher');
    const run = await runCli(['inspect', tampered]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain(`MISMATCH launcher: the output launches ${join(dir, 'dist/relaunched.program.js')} with another sandbox than the program's gate applies`);
    expect(run.stdout).toContain('ok       x86_64 filter: equals a fresh compile');
  });

  it('exits 3 without a manifest too: the bytes are checked against the embedded grants', async () => {
    const lone = join(dir, 'lone.js');
    copyTampered(lone);
    const run = await runCli(['inspect', lone]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('from the grants; no manifest beside the bundle');
  });

  it('reads a file of many comments without a gate quickly (webpack runtime chunks start so)', async () => {
    const chunk = join(dir, 'runtime.js');
    writeFileSync(chunk, `${'/******/ '.repeat(4000)}\n${' '.repeat(20000)}(() => {})();\n`);
    const run = await runCli(['inspect', chunk]);
    expect([run.code, run.stderr]).toEqual([1, `syscage: ${chunk} has no syscage loader: it was not built with @syscage/plugin, or its entry declares no sandbox.\n`]);
  });

  it('refuses a file without a loader', async () => {
    const plain = join(dir, 'plain.js');
    writeFileSync(plain, 'console.log(1);\n');
    const run = await runCli(['inspect', plain]);
    expect([run.code, run.stderr]).toEqual([1, `syscage: ${plain} has no syscage loader: it was not built with @syscage/plugin, or its entry declares no sandbox.\n`]);
  });
});

describe('disasm of a bundle', () => {
  it('disassembles every embedded filter with its arch', async () => {
    const run = await runCli(['disasm', bundle]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/main\.js filter: x86_64, \d+ instructions/);
    expect(run.stdout).toMatch(/main\.js filter: aarch64, \d+ instructions/);
    expect(run.stdout).toContain('AUDIT_ARCH_AARCH64');
  });
});
