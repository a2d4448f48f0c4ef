/**
 * Builds the runtime's `dist/` before its tests: the kernel tests run fixture scripts in child
 * processes under plain Node 20, which cannot load `.ts`, so they import the built package
 * (`@syscage/runtime` resolves to `dist/index.js` outside vitest). `tsc -b` is incremental: a no-op
 * when nothing changed; the bundling step after it takes about a tenth of a second.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const project = fileURLToPath(new URL('../tsconfig.build.json', import.meta.url));
  execFileSync(process.execPath, [tsc, '-b', project], { stdio: 'inherit' });
  // Then the single-file bundles that ship (scripts/bundle.mjs), so tests run what users get.
  execFileSync(process.execPath, [fileURLToPath(new URL('../../../scripts/bundle.mjs', import.meta.url))], { stdio: 'inherit', cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
}
