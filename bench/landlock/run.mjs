// What Landlock costs, per Node version, side by side in interleaved rounds of fresh processes:
// - start-up: `node program.mjs none` (unsandboxed) vs `sandbox({})` with seccomp only (Landlock
//   turned off with SYSCAGE_LANDLOCK_ABI_LIMIT=0 and landlock: 'best-effort') vs seccomp and
//   Landlock (below ABI 8: restrict, then restart once — Node 22, 24 and 26 restart anyway for io_uring).
// - fs-heavy work (20 rounds over 40 directories × 25 files: readdir, stat, open, read, close,
//   plus async readFile on the threadpool), timed inside the process after the sandbox, with
//   fs.read: ['<tree>'] under the same three set-ups.
// Reports medians and the median per-round ratio against the unsandboxed run.
//   pnpm build && node bench/landlock/run.mjs [--rounds 15]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installNode } from '../../scripts/baseline/install-node.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '15' } } });
const rounds = Number(values.rounds);
const program = fileURLToPath(new URL('program.mjs', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = mkdtempSync(join(tmpdir(), 'syscage-bench-landlock-'));
const tree = join(root, 'tree');
for (let d = 0; d < 40; d++) {
  mkdirSync(join(tree, `d${d}`), { recursive: true });
  for (let f = 0; f < 25; f++) writeFileSync(join(tree, `d${d}`, `f${f}.txt`), `file ${d}/${f}\n`.repeat(8));
}

const setups = {
  unsandboxed: { declaration: 'none', env: {} },
  seccomp: { declaration: { landlock: 'best-effort' }, env: { SYSCAGE_LANDLOCK_ABI_LIMIT: '0' } },
  landlock: { declaration: {}, env: {} },
};

function run(node, setup, work) {
  const { declaration, env } = setups[setup];
  const caps = declaration === 'none' ? 'none' : JSON.stringify(work ? { ...declaration, fs: { read: [tree] } } : declaration);
  const started = process.hrtime.bigint();
  const result = spawnSync(node, [program, caps, ...(work ? ['work', tree] : [])], { cwd: root, env: { ...process.env, ...env }, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${setup} failed on ${node} (${result.signal ?? `exit ${result.status}`}): ${result.stderr}`);
  return work ? JSON.parse(result.stdout.trim().split('\n').at(-1)).ms : wall;
}

function compare(node, work) {
  const samples = Object.fromEntries(Object.keys(setups).map((name) => [name, []]));
  const ratios = { seccomp: [], landlock: [] };
  for (let i = 0; i < rounds; i++) {
    const order = Object.keys(setups).sort(() => Math.random() - 0.5);
    const round = {};
    for (const setup of order) round[setup] = run(node, setup, work);
    for (const setup of Object.keys(setups)) samples[setup].push(round[setup]);
    for (const setup of ['seccomp', 'landlock']) ratios[setup].push(round[setup] / round.unsandboxed);
  }
  const ms = (name) => `${median(samples[name]).toFixed(1)} ms`;
  return `unsandboxed ${ms('unsandboxed')}, seccomp ${ms('seccomp')} (${median(ratios.seccomp).toFixed(2)}×), seccomp+Landlock ${ms('landlock')} (${median(ratios.landlock).toFixed(2)}×)`;
}

try {
  console.log(`${rounds} interleaved rounds per version; medians (median per-round ratio to unsandboxed)`);
  for (const { major, path } of await installNode({ log: () => {} })) {
    console.log(`Node ${major} start-up (wall): ${compare(path, false)}`);
    console.log(`Node ${major} fs-heavy work (in-process): ${compare(path, true)}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
