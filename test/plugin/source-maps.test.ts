/**
 * Source maps survive the gate: the line the plugin puts in front of an output moves the map
 * along, so an error thrown by the program still points at its source line under
 * `--enable-source-maps` (esbuild with code splitting, Rollup, webpack; map files beside the
 * output). Programs run in child processes only.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import syscage from '../../packages/plugin/src/esbuild.ts';
import { gateOf, makeScratch, runProgram } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const app = join(scratch, 'app');
mkdirSync(join(app, 'src'), { recursive: true });
writeFileSync(join(app, 'src/lazy.js'), "export const lazy = () => 'lazy';\n");
writeFileSync(
  join(app, 'src/throws.js'),
  "import { sandbox } from '@syscage/runtime';\n\nsandbox({ fs: { read: true } });\n\nconst { lazy } = await import('./lazy.js');\nconsole.log(lazy());\nthrow new Error('thrown on line 7');\n",
);

describe.each(['esm', 'cjs'] as const)('esbuild, %s, source maps', (format) => {
  it('an error still points at its source line', async () => {
    const outdir = join(app, `dist-esbuild-${format}`);
    const entry = format === 'esm' ? 'src/throws.js' : join(app, 'src/throws-cjs.js');
    if (format === 'cjs') writeFileSync(entry, "const { sandbox } = require('@syscage/runtime');\n\nsandbox({ fs: { read: true } });\n\nconst x = 1;\nconsole.log('cjs', x);\nthrow new Error('thrown on line 7');\n");
    await build({ absWorkingDir: app, entryPoints: [entry], outdir, bundle: true, platform: 'node', format, splitting: format === 'esm', sourcemap: true, outExtension: { '.js': format === 'esm' ? '.mjs' : '.cjs' }, logLevel: 'silent', external: ['@syscage/runtime'], plugins: [syscage({ root: app })] });
    const file = join(outdir, `${format === 'esm' ? 'throws' : 'throws-cjs'}.${format === 'esm' ? 'mjs' : 'cjs'}`);
    expect(gateOf(file)).toBeDefined();
    const run = await runProgram(file, [], { env: { NODE_OPTIONS: '--enable-source-maps' } });
    expect(run.stdout).toBe(format === 'esm' ? 'lazy\n' : 'cjs 1\n');
    expect(run.stderr).toMatch(new RegExp(`src/throws${format === 'esm' ? '' : '-cjs'}\\.js:7:7`));
  });
});
