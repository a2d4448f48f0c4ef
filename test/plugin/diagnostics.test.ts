/**
 * Errors in the bundler's voice: a declaration error reaches each of the six bundlers as its own
 * diagnostic, located at the offending key (`file:line:col` in whatever form the bundler prints
 * it), with the message and what to write instead, and without the plugin's stack.
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
});
