// Start-up cost of the sandbox: `node empty.mjs` against `node sandboxed.mjs` (an unbuilt program
// that imports @syscage/runtime, compiles its policy and applies it), per Node version, in
// interleaved rounds of fresh processes; reports medians and the median per-round ratio.
// Node 22, 24 and 26 pay one re-execution (their io_uring rings); below Landlock ABI 8 Node 20 does
// too, since every declaration enters a Landlock domain (to start every thread inside it).
// bench/landlock separates the two costs; bench/startup-built measures built programs (their
// launcher restarts before reading the program).
//   pnpm build && node bench/startup/run.mjs [--rounds 30]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installNode } from '../../scripts/baseline/install-node.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const modes = { empty: here('empty.mjs'), sandboxed: here('sandboxed.mjs') };
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function time(node, script) {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${script} failed on ${node}: ${result.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const nodes = await installNode({ log: () => {} });
console.log(`${rounds} interleaved rounds per version; wall ms per process start, median (median per-round ratio)`);
for (const { major, path } of nodes) {
  const samples = { empty: [], sandboxed: [] };
  const ratios = [];
  for (let i = 0; i < rounds; i++) {
    const order = Math.random() < 0.5 ? ['empty', 'sandboxed'] : ['sandboxed', 'empty'];
    const round = {};
    for (const mode of order) round[mode] = time(path, modes[mode]);
    samples.empty.push(round.empty);
    samples.sandboxed.push(round.sandboxed);
    ratios.push(round.sandboxed / round.empty);
  }
  console.log(`Node ${major}: empty ${median(samples.empty).toFixed(1)} ms, sandboxed ${median(samples.sandboxed).toFixed(1)} ms (${median(ratios).toFixed(2)}×)`);
}
