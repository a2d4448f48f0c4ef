// The workload in workload.mjs, sandboxed against unsandboxed, per Node version, in interleaved
// rounds of fresh processes; reports each part's median time and the median per-round ratio.
//   pnpm build && node bench/workload/run.mjs [--rounds 7] [--node 20,22,24,26]
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installNode, NODE_MAJORS } from '../../scripts/baseline/install-node.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '7' }, node: { type: 'string', default: NODE_MAJORS.join(',') } } });
const script = fileURLToPath(new URL('workload.mjs', import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const wanted = values.node.split(',').map(Number);

function once(node, sandboxed) {
  const result = spawnSync(node, [script], { encoding: 'utf8', env: { ...process.env, SYSCAGE_BENCH_SANDBOX: sandboxed ? '1' : '0' } });
  if (result.status !== 0) throw new Error(`workload failed (sandboxed: ${sandboxed}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1));
}

const nodes = (await installNode({ log: () => {} })).filter(({ major }) => wanted.includes(major));
console.log(`${values.rounds} interleaved rounds; ms per part, median unsandboxed → sandboxed (median per-round ratio)`);
for (const { major, path } of nodes) {
  const parts = { fs: [], http: [], gc: [] };
  const plain = { fs: [], http: [], gc: [] };
  const boxed = { fs: [], http: [], gc: [] };
  for (let i = 0; i < Number(values.rounds); i++) {
    const a = once(path, false);
    const b = once(path, true);
    for (const k of Object.keys(parts)) {
      plain[k].push(a[k]);
      boxed[k].push(b[k]);
      parts[k].push(b[k] / a[k]);
    }
  }
  const cells = Object.keys(parts).map((k) => `${k} ${median(plain[k]).toFixed(0)} → ${median(boxed[k]).toFixed(0)} (${median(parts[k]).toFixed(3)}×)`);
  console.log(`Node ${major}: ${cells.join(', ')}`);
}
