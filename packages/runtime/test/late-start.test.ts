/**
 * An unbuilt program's sandbox() that comes after the program's own modules were evaluated says so
 * (one line on stderr, once, even when the process restarts), and the forms that really run first
 * say nothing: the declaration in a module of its own imported first, `node --import`, and in
 * CommonJS a call above every require. Under `lateStart: 'error'` a late one stops the program.
 * Child processes only.
 */
import { describe, expect, it } from 'vitest';
import { fixturePath, runFixture } from './run-fixture.ts';

const warning = (file: string, modules: string): string =>
  `syscage: warning: sandbox() in ${file} runs after ${modules} was evaluated, so that top-level code ran unsandboxed (an ES module's imports are evaluated before its own code; in CommonJS, what is required above the call runs first). Put the declaration in a module of its own and make it the main module's first import (import './sandbox.mjs'), or start with node --import ./sandbox.mjs; a program built with @syscage/plugin applies it before anything else.\n`;
const cwd = fixturePath('late-start');

describe('a sandbox() that comes late', () => {
  it.each([
    ['an ES module body after its imports', 'late-start/late.mjs', 'late lib\n', warning('late.mjs', './lib.mjs')],
    ['a declaration module imported after another', 'late-start/second.mjs', 'second lib\n', warning('declare.mjs', './lib.mjs')],
    ['a CommonJS call below a require', 'late-start/late.cjs', 'late cjs lib\n', warning('late.cjs', './lib.cjs')],
  ])('warns once for %s', async (_, name, stdout, stderr) => {
    expect(await runFixture(name, [], { cwd })).toMatchObject({ code: 0, stdout, stderr });
  });

  it.each([
    ['a declaration module imported first', 'late-start/first.mjs', [], 'first lib\n'],
    ['a CommonJS call above every require', 'late-start/early.cjs', [], 'early cjs lib\n'],
  ])('says nothing for %s', async (_, name, nodeArgs, stdout) => {
    expect(await runFixture(name, [], { cwd, nodeArgs })).toMatchObject({ code: 0, stdout, stderr: '' });
  });

  it("stops the program under lateStart: 'error', in one line, before its body runs", async () => {
    const stderr = warning('late-error.mjs', './lib.mjs').replace('syscage: warning: ', 'syscage: ').replace(/\n$/, " The program stops here (lateStart: 'error').\n");
    expect(await runFixture('late-start/late-error.mjs', [], { cwd })).toMatchObject({ code: 1, stdout: '', stderr });
  });

  it("runs a declaration that comes first under lateStart: 'error'", async () => {
    expect(await runFixture('late-start/first-strict.mjs', [], { cwd })).toMatchObject({ code: 0, stdout: 'first lib\n', stderr: '' });
  });

  it('says nothing for node --import', async () => {
    const run = await runFixture('late-start/lib.mjs', [], { cwd, nodeArgs: ['--import', fixturePath('late-start/declare.mjs')] });
    expect(run).toMatchObject({ code: 0, stderr: '' });
  });
});
