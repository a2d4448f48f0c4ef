/**
 * The packages as a user gets them: the four packages packed the way they are published
 * (scripts/pack.mjs, pnpm), their tarballs checked (LICENSE, README, no `source` export condition,
 * no `workspace:` version, every exported file shipped, the plugin under 1 MB unpacked), then
 * installed with plain npm into a fresh project outside the workspace, where a tiny program is
 * built with esbuild and with Rollup through @syscage/plugin and run in child processes: its
 * declared read works, an undeclared mkdir is killed (SIGSYS), and the installed CLI verifies the
 * build. Needs `pnpm build` first and the npm registry (or npm's cache) for the third-party
 * dependencies; the install takes most of the time.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module script without declarations.
import { PACKAGES, packPackages } from '../../scripts/pack.mjs';
import { runNode } from '../support/run-node.ts';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const PLUGIN_MAX_UNPACKED = 1_000_000;
const work = mkdtempSync(join(tmpdir(), 'syscage-pack-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The bundlers' versions the workspace builds with, so the install needs nothing new. */
const pluginManifest = JSON.parse(readFileSync(join(REPO, 'packages/plugin/package.json'), 'utf8')) as { devDependencies: Record<string, string> };
const BUNDLER_VERSIONS = { esbuild: pluginManifest.devDependencies.esbuild, rollup: pluginManifest.devDependencies.rollup };

interface Packed {
  readonly tarball: string;
  /** The extracted `package/` directory. */
  readonly dir: string;
  readonly manifest: Record<string, unknown> & { exports: unknown };
}

let packed: Record<string, Packed> = {};

beforeAll(() => {
  const tarballs = (packPackages as (out: string, options: { build: boolean }) => Record<string, string>)(join(work, 'tarballs'), { build: false });
  expect(Object.keys(tarballs)).toHaveLength((PACKAGES as string[]).length);
  packed = Object.fromEntries(
    Object.entries(tarballs).map(([name, tarball]) => {
      const into = join(work, 'extracted', name.replace('/', '+'));
      mkdirSync(into, { recursive: true });
      execFileSync('tar', ['-xzf', tarball, '-C', into]);
      const dir = join(into, 'package');
      return [name, { tarball, dir, manifest: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }];
    }),
  );
});

/** Every string value under `exports`, with the condition path that leads to it. */
function exportTargets(node: unknown, path: string[] = []): Array<{ path: string[]; target: string }> {
  if (typeof node === 'string') return [{ path, target: node }];
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => exportTargets(value, [...path, key]));
}

function unpackedSize(dir: string): number {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .reduce((sum, entry) => sum + statSync(join(entry.parentPath, entry.name)).size, 0);
}

describe.each(['@syscage/core', '@syscage/runtime', '@syscage/plugin', 'syscage'])('the %s tarball', (name) => {
  it('carries the licence and a README', () => {
    const { dir } = packed[name]!;
    expect(readFileSync(join(dir, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n/);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain(name === 'syscage' ? '# syscage' : `# ${name}`);
    expect(packed[name]!.manifest.license).toBe('MIT');
  });

  it('exports only files it ships, under no `source` condition', () => {
    const { dir, manifest } = packed[name]!;
    expect(manifest).not.toHaveProperty('publishConfig');
    const targets = exportTargets(manifest.exports);
    expect(targets.length).toBeGreaterThan(0);
    for (const { path, target } of targets) {
      expect(path, `exports ${path.join(' → ')}`).not.toContain('source');
      expect(existsSync(join(dir, target)), `exports ${path.join(' → ')}: ${target} is not in the tarball`).toBe(true);
    }
  });

  it('depends on versions, not on the workspace', () => {
    const { manifest } = packed[name]!;
    for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
      for (const [dep, version] of Object.entries((manifest[field] ?? {}) as Record<string, string>)) {
        expect(version, `${field}.${dep}`).not.toMatch(/^workspace:/);
      }
    }
  });
});

it(`@syscage/plugin is at most ${PLUGIN_MAX_UNPACKED / 1e6} MB unpacked`, () => {
  expect(unpackedSize(packed['@syscage/plugin']!.dir)).toBeLessThanOrEqual(PLUGIN_MAX_UNPACKED);
});

const PROGRAM = `import { mkdirSync, readFileSync } from 'node:fs';
import { sandbox } from '@syscage/runtime';
sandbox({ fs: { read: ['./data'] } });
if (process.argv[2] === 'mkdir') mkdirSync('./made');
console.log(readFileSync('./data/greeting.txt', 'utf8').trim());
`;

const BUILD_ESBUILD = `import { build } from 'esbuild';
import syscage from '@syscage/plugin/esbuild';
await build({ entryPoints: ['src/main.js'], bundle: true, platform: 'node', format: 'esm', outfile: 'out-esbuild/main.js', logLevel: 'warning', plugins: [syscage()] });
`;

const BUILD_ROLLUP = `import { rollup } from 'rollup';
import syscage from '@syscage/plugin/rollup';
const bundle = await rollup({ input: 'src/main.js', external: [/^node:/, /^@syscage\\/runtime/], plugins: [syscage()] });
await bundle.write({ dir: 'out-rollup', format: 'esm' });
await bundle.close();
`;

describe('installed with npm outside the workspace', () => {
  const project = join(work, 'project');

  beforeAll(() => {
    mkdirSync(join(project, 'src'), { recursive: true });
    mkdirSync(join(project, 'data'));
    // Nothing above the project may lend it packages: it resolves only what npm installed.
    for (let dir = dirname(project); dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules')), `${dir}/node_modules`).toBe(false);
    writeFileSync(join(project, 'package.json'), `${JSON.stringify({ name: 'pack-install-app', private: true, type: 'module' }, null, 2)}\n`);
    writeFileSync(join(project, 'src/main.js'), PROGRAM);
    writeFileSync(join(project, 'data/greeting.txt'), 'hello from a declared read\n');
    writeFileSync(join(project, 'build-esbuild.mjs'), BUILD_ESBUILD);
    writeFileSync(join(project, 'build-rollup.mjs'), BUILD_ROLLUP);
    const { NODE_OPTIONS: _options, NODE_PATH: _path, ...env } = process.env;
    execFileSync(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', ...Object.values(packed).map((p) => p.tarball), `esbuild@${BUNDLER_VERSIONS.esbuild}`, `rollup@${BUNDLER_VERSIONS.rollup}`],
      { cwd: project, env, stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }, 600_000);

  it('installed the packed packages themselves, not links into the workspace', () => {
    for (const name of Object.keys(packed)) {
      const installed = join(project, 'node_modules', name);
      expect(statSync(installed).isDirectory() && !resolve(installed).startsWith(REPO)).toBe(true);
      expect(readFileSync(join(installed, 'package.json'), 'utf8')).toBe(readFileSync(join(packed[name]!.dir, 'package.json'), 'utf8'));
    }
  });

  describe.each([
    { bundler: 'esbuild', script: 'build-esbuild.mjs', output: 'out-esbuild/main.js' },
    { bundler: 'rollup', script: 'build-rollup.mjs', output: 'out-rollup/main.js' },
  ])('a program built with $bundler', ({ script, output }) => {
    beforeAll(async () => {
      const built = await runNode([script], { cwd: project, timeoutMs: 60_000 });
      expect(built, built.stderr).toMatchObject({ code: 0, signal: null });
    }, 90_000);

    it('is a launcher whose program loads its gate first, and reads what it declares', async () => {
      expect(readFileSync(join(project, output), 'utf8')).toMatch(/^\/\/ Written by @syscage\/plugin: starts main\.program\.js inside the sandbox it declared/);
      expect(readFileSync(join(project, output.replace(/main\.js$/, 'main.program.js')), 'utf8')).toMatch(/^import "\.\/main\.js\.syscage\.mjs";/);
      const run = await runNode([output], { cwd: project });
      expect(run, run.stderr).toMatchObject({ code: 0, signal: null, stdout: 'hello from a declared read\n' });
    });

    it('is killed by an undeclared mkdir', async () => {
      const run = await runNode([output, 'mkdir'], { cwd: project });
      expect(run.signal, run.stderr).toBe('SIGSYS');
      expect(existsSync(join(project, 'made'))).toBe(false);
    });

    it('verifies with the installed syscage inspect', async () => {
      const run = await runNode([join(project, 'node_modules/syscage/dist/bin.js'), 'inspect', output], { cwd: project });
      expect(run, run.stderr).toMatchObject({ code: 0, signal: null });
    });
  });
});
