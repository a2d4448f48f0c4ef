/**
 * The launcher (the plugin's core/gate.ts): the output a sandboxed entry is built to applies the
 * sandbox before reading the program beside it, and starts the program as the main module. Here
 * the cases the shapes matrix does not reach: no restart needed (Node 20 on a kernel without
 * Landlock, simulated with SYSCAGE_LANDLOCK_ABI_LIMIT=0 under `landlock: 'best-effort'`), where the
 * launcher applies in place and starts the program as Node starts a main module; a launcher
 * imported by another module instead of run; and the outputs that must stay gated in place (an ES
 * entry with exports, an entry another output imports). Programs run in child processes only.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import syscage from '../../packages/plugin/src/esbuild.ts';
import { gateOf, makeScratch, programOf, runProgram } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A project in the scratch directory (whose node_modules links the runtime) with these sources. */
function project(name: string, files: Record<string, string>): string {
  const dir = join(scratch, name);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  return dir;
}

// Prints what the program sees of itself; `write` tries an undeclared write (SIGSYS).
const REPORTER = `import { sandbox, status } from '@syscage/runtime';
import { writeFileSync } from 'node:fs';
sandbox({ fs: { read: ['./data'] }, landlock: 'best-effort' });
const frame = (new Error().stack.split('\\n')[1] ?? '').trim().replace(/^at (?:.* \\()?(?:file:\\/\\/)?/, '');
const self = frame.replace(/:\\d+:\\d+\\)?$/, '');
const { applied, reexecuted, layers, landlock } = status();
console.log(JSON.stringify({ argvIsSelf: self === process.argv[1], applied, reexecuted, layers, abi: landlock?.abi ?? 0 }));
if (process.argv[2] === 'write') writeFileSync(process.argv[3], 'escaped');
`;

const esbuild = BUNDLERS.find((b) => b.name === 'esbuild');
if (esbuild === undefined) throw new Error('the bundler table lost esbuild');

describe.each(['esm', 'cjs'] as const)('%s output', (format) => {
  const app = project(`reporter-${format}`, { 'src/main.js': REPORTER, 'data/a.txt': 'a\n' });
  const built = esbuild.build({ app, entry: 'src/main.js', outDir: join(app, 'dist'), format });

  it('without a restart (Node 20, no Landlock): applies in place once, and starts the program as the main module', async () => {
    const { file } = await built;
    expect(programOf(file)).toBeDefined();
    const env = { SYSCAGE_LANDLOCK_ABI_LIMIT: '0' };
    const run = await runProgram(file, [], { cwd: app, env, node: process.execPath });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ argvIsSelf: true, applied: true, reexecuted: false, layers: 1, abi: 0 });
    // The best-effort warning is the launcher's; the program's gate had nothing left to do.
    expect(run.stderr.match(/syscage: warning: This kernel has no Landlock/g)).toHaveLength(1);
    const mark = join(mkdtempSync(join(scratch, 'mark-')), 'escaped');
    expect((await runProgram(file, ['write', mark], { cwd: app, env })).signal).toBe('SIGSYS');
    expect(existsSync(mark)).toBe(false);
  });

  it('with Landlock (a restart below ABI 8): starts the program as the main module', async () => {
    const { file } = await built;
    const run = await runProgram(file, [], { cwd: app });
    expect(run.code).toBe(0);
    const { abi, ...seen } = JSON.parse(run.stdout) as { abi: number };
    // Node 20 makes no io_uring rings; it restarts to bring every thread into the Landlock domain.
    expect(seen).toEqual({ argvIsSelf: true, applied: true, reexecuted: abi >= 1 && abi < 8, layers: 1 });
  });

  it("imported by another module: loads the program, whose gate applies the sandbox", async () => {
    const { file } = await built;
    const importer = join(app, `importer.${format === 'esm' ? 'mjs' : 'cjs'}`);
    writeFileSync(importer, format === 'esm' ? `await import(${JSON.stringify(file)});\nconsole.log('importer done');\n` : `require(${JSON.stringify(file)});\nconsole.log('importer done');\n`);
    const run = await runProgram(importer, [], { cwd: app });
    expect(run.code).toBe(0);
    const [line, done] = run.stdout.trim().split('\n');
    expect(JSON.parse(line ?? '')).toMatchObject({ argvIsSelf: false, applied: true, layers: 1 });
    expect(done).toBe('importer done');
  });
});

describe('outputs that stay gated in place', () => {
  it('an ES module entry that exports bindings (whoever imports it gets them)', async () => {
    const app = project('exporting', { 'src/main.js': `${REPORTER}export const answer = 42;\n`, 'data/a.txt': 'a\n' });
    const { file } = await esbuild.build({ app, entry: 'src/main.js', outDir: join(app, 'dist'), format: 'esm' });
    expect(programOf(file)).toBeUndefined();
    expect(gateOf(file)).toBe(`${file}.syscage.mjs`);
    expect(readFileSync(file, 'utf8')).toMatch(/export\s*\{[^}]*answer/);
    expect(JSON.parse((await runProgram(file, [], { cwd: app })).stdout)).toMatchObject({ argvIsSelf: true, applied: true });
  });

  it('an entry another output imports (esbuild, code splitting: an entry loaded lazily by another)', async () => {
    const app = project('imported-entry', {
      'src/main.js': `import { sandbox } from '@syscage/runtime';\nsandbox({ fs: { read: ['./data'] } });\nconsole.log('main ran');\n`,
      'src/other.js': "console.log('other ran');\nawait import('./main.js');\n",
      'data/a.txt': 'a\n',
    });
    const outdir = join(app, 'dist');
    await build({ absWorkingDir: app, entryPoints: ['src/main.js', 'src/other.js'], outdir, bundle: true, splitting: true, format: 'esm', platform: 'node', outExtension: { '.js': '.mjs' }, logLevel: 'silent', plugins: [syscage({ manifest: false })] });
    const file = join(outdir, 'main.mjs');
    expect(readFileSync(join(outdir, 'other.mjs'), 'utf8')).toContain('./main.mjs');
    expect(programOf(file)).toBeUndefined();
    expect(gateOf(file)).toBe(`${file}.syscage.mjs`);
    expect(await runProgram(file, [], { cwd: app })).toMatchObject({ code: 0, stdout: 'main ran\n' });
    // other.mjs declares nothing and runs first; the gate it reaches restarts the process (once).
    expect(await runProgram(join(outdir, 'other.mjs'), [], { cwd: app })).toMatchObject({ code: 0, stdout: 'other ran\nother ran\nmain ran\n' });
  });
});
