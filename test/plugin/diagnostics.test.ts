/**
 * Errors in the bundler's voice: a declaration error reaches each of the six bundlers as its own
 * diagnostic, located at the offending key (`file:line:col` in whatever form the bundler prints
 * it), with the message and what to write instead, and without the plugin's stack; a module
 * that re-exports `sandbox` (a declaration the build could not see) fails the build, and so does
 * an `entries` key naming no file (one naming a file this build does not build as an entry warns).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUNDLERS } from '../../packages/plugin/test/bundlers.ts';
import { locatedError, makeScratch } from './harness.ts';

const scratch = makeScratch();
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const app = join(scratch, 'app');
mkdirSync(join(app, 'src'), { recursive: true });
writeFileSync(join(app, 'src/bad.js'), "import { sandbox } from '@syscage/runtime';\nsandbox({ fs: { raed: ['./data'] } });\nconsole.log('never built');\n");
writeFileSync(join(app, 'src/ok.js'), "import { sandbox } from '@syscage/runtime';\nsandbox({ fs: { read: ['./data'] } });\nconsole.log('ok');\n");
writeFileSync(join(app, 'src/plain.js'), "console.log('plain');\n");
writeFileSync(join(app, 'src/rt.js'), "// A wrapper that hides sandbox() from the build.\nexport { sandbox as cage } from '@syscage/runtime';\n");
writeFileSync(join(app, 'src/hidden.js'), "import { cage } from './rt.js';\ncage({ fs: { read: true } });\nconsole.log('never built');\n");

describe.each(BUNDLERS)('$name', (bundler) => {
  it('reports a misspelt key at the key, with what to write, and no plugin stack', async () => {
    const failure = await bundler.build({ app, entry: 'src/bad.js', outDir: join(app, `dist-${bundler.name}`), format: 'esm' }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    // The key `raed` stands at line 2, column 17.
    expect(failure?.message).toMatch(locatedError(bundler.name, 'src/bad.js', 2, 17, '`fs.raed` is not a capability. Did you mean `fs.read`?'));
    expect(failure?.message).not.toMatch(/\n\s+at .*(packages\/plugin|@syscage\/plugin)/);
  });

  it('warns about an output beside a package.json, whose directory the program may read as its own', async () => {
    const project = join(scratch, `project-${bundler.name}`);
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), '{"private":true}');
    const out = await bundler.build({ app, entry: 'src/ok.js', outDir: project, format: 'esm' });
    expect(out.warnings.join('\n')).toContain('the output lies beside a package.json, so the directory the sandboxed program may read as its own is the whole project');
  });

  it('fails a build whose `entries` option names a file that does not exist (the entry would run unsandboxed)', async () => {
    const failure = await bundler.build({ app, entry: 'src/ok.js', outDir: join(app, `dist-missing-${bundler.name}`), format: 'esm', plugin: { entries: { 'src/okay.js': { fs: { read: true } } } } }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toContain('`entries` lists src/okay.js, which does not exist, so no sandbox is applied from it.');
  });

  it('warns about an `entries` key this build does not build as an entry', async () => {
    const out = await bundler.build({ app, entry: 'src/ok.js', outDir: join(app, `dist-unused-${bundler.name}`), format: 'esm', plugin: { entries: { 'src/rt.js': { fs: { read: true } } } } });
    expect(out.warnings.join('\n')).toContain('`entries` lists src/rt.js, which this build did not build as an entry, so its declaration applies to no output of this build.');
  });

  it('warns about each unbuilt `entries` key, also one sharing its declaration with a built entry', async () => {
    const shared = { fs: { read: true } };
    const out = await bundler.build({ app, entry: 'src/plain.js', outDir: join(app, `dist-shared-${bundler.name}`), format: 'esm', plugin: { entries: { 'src/plain.js': shared, 'src/rt.js': shared } } });
    const warnings = out.warnings.join('\n');
    expect(warnings).toContain('`entries` lists src/rt.js, which this build did not build as an entry');
    expect(warnings).not.toContain('`entries` lists src/plain.js');
  });

  it('refuses a module that re-exports sandbox, which would hide a declaration from the build', async () => {
    const failure = await bundler.build({ app, entry: 'src/hidden.js', outDir: join(app, `dist-hidden-${bundler.name}`), format: 'esm' }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(locatedError(bundler.name, 'src/rt.js', 2, 1, "This module re-exports `sandbox` from '@syscage/runtime'"));
  });
});
