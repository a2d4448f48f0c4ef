/**
 * Two sandboxed entries sharing one webpack/Rspack runtime chunk: each entry file loads its own
 * gate first and then the shared chunk, which carries no gate, so each program applies exactly its
 * own declaration (one entry may read, the other may not). Child processes only.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { buildSharedRuntime } from '../../packages/plugin/test/shared-runtime-builds.ts';
import { gateOf, makeScratch, runProgram } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it.each(['webpack', 'rspack'] as const)('%s: with a shared runtime chunk, each entry is gated with its own declaration', async (bundler) => {
  const app = join(scratch, bundler);
  mkdirSync(join(app, 'src'), { recursive: true });
  writeFileSync(join(app, 'src/reader.js'), "import { sandbox } from '@syscage/runtime';\nimport { readFileSync } from 'node:fs';\nsandbox({ fs: { read: true } });\nconsole.log('reader', readFileSync(process.argv[1], 'utf8').length > 0);\n");
  writeFileSync(join(app, 'src/quiet.js'), "import { sandbox } from '@syscage/runtime';\nimport { readFileSync } from 'node:fs';\nsandbox({});\nconsole.log('quiet');\nif (process.argv[2] === 'read') readFileSync('/etc/hostname');\n");
  const dir = join(app, 'dist');
  await buildSharedRuntime(bundler, app, dir, { reader: './src/reader.js', quiet: './src/quiet.js' });
  expect(gateOf(join(dir, 'reader.cjs'))).toBe(join(dir, 'reader.cjs.syscage.cjs'));
  expect(gateOf(join(dir, 'quiet.cjs'))).toBe(join(dir, 'quiet.cjs.syscage.cjs'));
  expect(gateOf(join(dir, 'runtime.cjs'))).toBeUndefined();
  expect(await runProgram(join(dir, 'reader.cjs'), [])).toMatchObject({ code: 0, stdout: 'reader true\n', stderr: '' });
  expect(await runProgram(join(dir, 'quiet.cjs'), [])).toMatchObject({ code: 0, stdout: 'quiet\n', stderr: '' });
  const denied = await runProgram(join(dir, 'quiet.cjs'), ['read']);
  expect(denied.code === 0 && denied.signal === null).toBe(false);
});
