/**
 * Builds what the examples' tests run: the runtime's dist (the built programs import
 * `@syscage/runtime/loader`), the plugin's dist (the examples' build scripts import it), then every
 * example with its own `build` script, as `pnpm build` does. All steps are incremental or take a
 * few seconds.
 */
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { REPO } from './harness.ts';

export default function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b', 'packages/runtime/tsconfig.build.json', 'packages/plugin/tsconfig.build.json'], { cwd: REPO, stdio: 'inherit' });
  execFileSync(process.execPath, ['scripts/bundle.mjs'], { cwd: REPO, stdio: 'inherit' });
  execFileSync('pnpm', ['--silent', '--filter', './examples/*', 'run', 'build'], { cwd: REPO, stdio: 'inherit' });
}
