// Start-up of built programs (issue 11's target: the restart costs one bare Node start, no more).
// program.mjs, a read-only CLI, is bundled by esbuild (`packages: 'external'`, ESM) with the
// syscage plugin once per declaration — `{}`, `fs.read: true`, `fs.read: ['./data']`,
// `net.connect: [443]` — and once without the sandbox; large.mjs bundles the TypeScript compiler
// (≥ 2 MB, so a program parsed twice shows) declared `fs.read: ['./data']`. Per Node version, in
// interleaved rounds of fresh processes (every process of a round in a random order), each sandboxed bundle runs beside the
// unsandboxed one, `node -e 0`, and the unsandboxed one under Node's permission model with
// equivalent read grants (`--permission`, `--experimental-permission` on Node 20): the program's
// directory for `{}` (syscage's implicit read set holds it), `*` for `read: true`, the data
// directory and the program's directory for a list. Node has no network flag before 25, so the
// `net` row grants what `{}` does, plus `--allow-net` on Node 26. Reports medians, the median of
// per-round ratios, whether the sandboxed process restarted, how long its first image ran (wall
// time less the restarted image's own uptime), and the target: with a restart, sandboxed ≤
// unsandboxed + one `node -e 0` + 10 ms (the median per-round excess), without one ≤ 1.10×.
// NODE_EXTRA_CA_CERTS is unset in the measured processes (Node would read the whole CA bundle at
// start-up, which would make every ratio look better).
//   pnpm build && node bench/startup-built/run.mjs [--rounds 12] [--node 24 ...] [--quick]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import syscage from '@syscage/plugin/esbuild';
import { installNode } from '../../scripts/baseline/install-node.mjs';

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, node: { type: 'string', multiple: true }, quick: { type: 'boolean', default: false } },
});
const rounds = Number(values.rounds ?? (values.quick ? 2 : 12));
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** `input`: the program reads the data file (else its own bundle, inside every declaration's implicit read set). */
const DECLARATIONS = [
  { name: '`{}`', source: '{}', input: false, grants: (dirs) => [dirs.out] },
  { name: '`fs.read: true`', source: '{ fs: { read: true } }', input: true, grants: () => ['*'] },
  { name: "`fs.read: ['./data']`", source: "{ fs: { read: ['./data'] } }", input: true, grants: (dirs) => [dirs.data, dirs.out] },
  { name: '`net.connect: [443]`', source: '{ net: { connect: [443] } }', input: false, grants: (dirs) => [dirs.out], net: true },
];

// Bundled next to this file (as a program sits next to its node_modules); the data directory and
// the working directory of every run are a temporary directory elsewhere. Both removed afterwards.
const out = mkdtempSync(join(here('.'), '.out-'));
const cwd = mkdtempSync(join(tmpdir(), 'syscage-bench-'));
const dirs = { out, data: join(cwd, 'data') };
mkdirSync(dirs.data);
const input = join(dirs.data, 'input.txt');
writeFileSync(input, 'a line of text\n'.repeat(2000));
const cpu = join(out, 'cpu.cjs'); // in the program's directory, readable after a restart under every declaration
copyFileSync(here('cpu.cjs'), cpu);

const strip = (source) => source.replace(/^import \{ sandbox \}.*$/m, '').replace(/^sandbox\(.*$/m, '');
const common = { bundle: true, platform: 'node', format: 'esm', logLevel: 'warning' };
const small = { ...common, packages: 'external' };
// TypeScript is CommonJS: it requires Node's builtins and reads __filename, which an ES bundle defines.
const commonJsGlobals = [
  "import { createRequire as __createRequire } from 'node:module'; import { fileURLToPath as __fileURLToPath } from 'node:url';",
  "const require = __createRequire(import.meta.url), __filename = __fileURLToPath(import.meta.url), __dirname = __fileURLToPath(new URL('.', import.meta.url));",
].join('\n');
const large = { ...common, external: ['@syscage/runtime'], banner: { js: commonJsGlobals } };

/** Writes `source` beside the outputs and bundles it into `<name>.mjs`, sandboxed if it declares. */
async function bundle(name, source, options) {
  const entry = join(out, `${name}.src.mjs`);
  writeFileSync(entry, source);
  const outfile = join(out, `${name}.mjs`);
  await build({ ...options, entryPoints: [entry], outfile, plugins: source.includes('sandbox(') ? [syscage({ manifest: false })] : [] });
  return outfile;
}

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function run(node, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, args, { cwd, env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} failed on ${node} (${result.signal ?? `exit ${result.status}`}): ${result.stderr}`);
  const report = /cpu-us (\d+) uptime-us (\d+) restarted (\d)/.exec(result.stderr);
  return { wall, cpu: Number(report?.[1]) / 1e3, uptime: Number(report?.[2]) / 1e3, restarted: report?.[3] === '1' };
}

function shuffle(xs) {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/** The processes of one round on Node `major`, by name: each one's argv after the Node binary. */
function tasksFor(major, files) {
  const permission = (grants, net) => [
    major === 20 ? '--experimental-permission' : '--permission',
    ...grants.map((path) => `--allow-fs-read=${path}`),
    ...(net && major >= 25 ? ['--allow-net'] : []),
  ];
  const program = (file, withInput) => ['-r', cpu, file, ...(withInput ? [input] : [])];
  const tasks = {
    'node -e 0': ['-e', '0'],
    plain: program(files.plain, false),
    'plain+input': program(files.plain, true),
    'large plain': program(files.largePlain, false),
    'large sandboxed': program(files.largeSandboxed, false),
    'large permission': [...permission([dirs.data, dirs.out]), ...program(files.largePlain, false)],
  };
  DECLARATIONS.forEach((declaration, i) => {
    tasks[`sandboxed ${i}`] = program(files.sandboxed[i], declaration.input);
    tasks[`permission ${i}`] = [...permission(declaration.grants(dirs), declaration.net), ...program(files.plain, declaration.input)];
  });
  return tasks;
}

/** One table row from the samples of a sandboxed run, its unsandboxed pair and its permission-model pair. */
function row(major, name, samples, keys) {
  const [plain, sandboxed, permission, e0] = [keys.plain, keys.sandboxed, keys.permission, 'node -e 0'].map((key) => samples[key]);
  const wall = (xs) => median(xs.map((s) => s.wall));
  const ratio = (xs) => median(xs.map((s, i) => s.wall / plain[i].wall));
  const restarts = sandboxed.filter((s) => s.restarted).length;
  const restarted = restarts === sandboxed.length ? 'yes' : restarts === 0 ? 'no' : `${restarts}/${sandboxed.length}`;
  let target;
  if (restarts > 0) {
    const excess = median(sandboxed.map((s, i) => s.wall - plain[i].wall - e0[i].wall));
    target = `${excess >= 0 ? '+' : '−'}${Math.abs(excess).toFixed(0)} ms ${excess <= 10 ? 'pass' : 'fail'}`;
  } else {
    target = `${ratio(sandboxed).toFixed(2)}× ${ratio(sandboxed) <= 1.1 ? 'pass' : 'fail'}`;
  }
  const firstImage = restarts > 0 ? median(sandboxed.map((s) => s.wall - s.uptime)).toFixed(0) : '–';
  const cpuMs = (xs) => median(xs.map((s) => s.cpu)).toFixed(0);
  return [
    major, name, restarted, wall(plain).toFixed(0), `${wall(sandboxed).toFixed(0)} (${ratio(sandboxed).toFixed(2)}×)`, firstImage,
    wall(e0).toFixed(0), target, `${wall(permission).toFixed(0)} (${ratio(permission).toFixed(2)}×)`, `${cpuMs(plain)} → ${cpuMs(sandboxed)}`,
  ];
}

try {
  const source = readFileSync(here('program.mjs'), 'utf8');
  const largeSource = readFileSync(here('large.mjs'), 'utf8');
  const files = {
    plain: await bundle('plain', strip(source), small),
    sandboxed: await Promise.all(DECLARATIONS.map((d, i) => bundle(`sandboxed-${i}`, source.replace(/^sandbox\(.*$/m, `sandbox(${d.source});`), small))),
    largePlain: await bundle('large-plain', strip(largeSource), large),
    largeSandboxed: await bundle('large-sandboxed', largeSource, large),
  };
  const size = (file) => (statSync(file).size / 1e6).toFixed(1);
  const nodes = (await installNode({ log: () => {} })).filter(({ major }) => !values.node || values.node.includes(String(major)));
  console.log(`${rounds} interleaved rounds per version; large bundle ${size(files.largePlain)} MB`);
  const table = [
    ['Node', 'declaration', 'restart', 'unsandboxed ms', 'sandboxed ms (×)', 'first image ms', '`node -e 0` ms', 'target', 'permission model ms (×)', 'CPU ms'],
    ['---', '---', '---', '---:', '---:', '---:', '---:', '---:', '---:', '---:'],
  ];
  for (const { major, path } of nodes) {
    const tasks = tasksFor(major, files);
    const samples = Object.fromEntries(Object.keys(tasks).map((key) => [key, []]));
    for (let round = 0; round < rounds; round++) {
      for (const key of shuffle(Object.keys(tasks))) samples[key].push(run(path, tasks[key]));
    }
    DECLARATIONS.forEach((declaration, i) => {
      const plain = declaration.input ? 'plain+input' : 'plain';
      table.push(row(major, declaration.name, samples, { plain, sandboxed: `sandboxed ${i}`, permission: `permission ${i}` }));
    });
    table.push(row(major, `large, ${DECLARATIONS[2].name}`, samples, { plain: 'large plain', sandboxed: 'large sandboxed', permission: 'large permission' }));
    console.error(`Node ${major} done`);
  }
  console.log(table.map((cells) => `| ${cells.join(' | ')} |`).join('\n'));
  console.log('target: with a restart, the median per-round excess of sandboxed over unsandboxed + `node -e 0` (pass ≤ 10 ms); without one, the median ratio (pass ≤ 1.10×)');
} finally {
  rmSync(out, { recursive: true, force: true });
  rmSync(cwd, { recursive: true, force: true });
}
