// Builds the workspace and packs the four published packages (@syscage/core, @syscage/runtime,
// @syscage/plugin, syscage) into one folder, as `pnpm publish` would publish them. It uses pnpm on
// purpose: `pnpm pack` turns `workspace:*` into the packages' versions and applies each package's
// `publishConfig` (the `exports` without the workspace's `source` condition); `npm pack` does
// neither, and its tarballs do not install outside the workspace. It does not publish.
//   node scripts/pack.mjs [--out DIR] [--no-build]   (DIR defaults to .cache/packages)
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The published packages, dependencies first. */
export const PACKAGES = ['core', 'runtime', 'plugin', 'cli'];

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Packs every package into `out` (emptied first) and returns the tarballs' paths by package name.
 * @example
 * const tarballs = packPackages('/tmp/syscage-packages'); // { '@syscage/core': '/tmp/…/syscage-core-0.0.0.tgz', … }
 */
export function packPackages(out, { build = true } = {}) {
  if (build) execFileSync('pnpm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const tarballs = {};
  for (const name of PACKAGES) {
    const json = execFileSync('pnpm', ['pack', '--json', '--pack-destination', out], { cwd: resolve(root, 'packages', name), encoding: 'utf8' });
    const packed = JSON.parse(json);
    tarballs[packed.name] = packed.filename;
  }
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = resolve(outAt >= 0 && args[outAt + 1] ? args[outAt + 1] : resolve(root, '.cache/packages'));
  const tarballs = packPackages(out, { build: !args.includes('--no-build') });
  for (const [name, file] of Object.entries(tarballs)) console.log(`${name}\t${file}`);
}
