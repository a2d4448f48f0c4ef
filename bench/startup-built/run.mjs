// Start-up of a built program: a read-only CLI (`sandbox({ fs: { read: true } })`, program.mjs)
// bundled by esbuild with the syscage plugin, against the same program bundled without the
// sandbox, per Node version, in interleaved rounds of fresh processes. Reports medians of wall
// time and of CPU time (every thread, measured in the process), and the median per-round ratio.
// NODE_EXTRA_CA_CERTS is unset in the measured processes (Node would read the whole CA bundle at
// start-up, ~80 ms on this kind of machine, which would make every ratio look better).
// Node 20 runs without a restart (Landlock would only repeat what seccomp stops for this
// declaration); Node 22, 24 and 26 restart once to start without io_uring rings.
//   pnpm build && node bench/startup-built/run.mjs [--rounds 30] [--node 20]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import syscage from '@syscage/plugin/esbuild';
import { installNode } from '../../scripts/baseline/install-node.mjs';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' }, node: { type: 'string', multiple: true } } });
const rounds = Number(values.rounds);
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// Bundled next to this file (as a program sits next to its node_modules), removed afterwards.
const out = mkdtempSync(join(here('.'), '.out-'));
const source = readFileSync(here('program.mjs'), 'utf8');
const plain = join(out, 'plain.mjs');
writeFileSync(plain.replace('.mjs', '.src.mjs'), source.replace(/^import \{ sandbox \}.*$/m, '').replace(/^sandbox\(.*$/m, ''));
const common = { bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' };
await build({ ...common, entryPoints: [here('program.mjs')], outfile: join(out, 'sandboxed.mjs'), plugins: [syscage({ manifest: false })] });
await build({ ...common, entryPoints: [plain.replace('.mjs', '.src.mjs')], outfile: plain });
const input = join(tmpdir(), `syscage-bench-input-${process.pid}.txt`);
writeFileSync(input, 'a line of text\n'.repeat(2000));

const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;

function run(node, script) {
  const started = process.hrtime.bigint();
  const result = spawnSync(node, ['-r', here('cpu.cjs'), script, input], { env, encoding: 'utf8' });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`${script} failed on ${node} (${result.signal ?? `exit ${result.status}`}): ${result.stderr}`);
  const cpu = Number(/cpu-us (\d+)/.exec(result.stderr)?.[1]) / 1e3;
  return { wall, cpu };
}

try {
  const nodes = (await installNode({ log: () => {} })).filter(({ major }) => !values.node || values.node.includes(String(major)));
  console.log(`${rounds} interleaved rounds per version; median ms per process (median of per-round ratios to the unsandboxed bundle)`);
  for (const { major, path } of nodes) {
    const samples = { plain: [], sandboxed: [] };
    const ratios = { wall: [], cpu: [] };
    for (let i = 0; i < rounds; i++) {
      const order = Math.random() < 0.5 ? ['plain', 'sandboxed'] : ['sandboxed', 'plain'];
      const round = {};
      for (const name of order) round[name] = run(path, join(out, `${name}.mjs`));
      samples.plain.push(round.plain);
      samples.sandboxed.push(round.sandboxed);
      ratios.wall.push(round.sandboxed.wall / round.plain.wall);
      ratios.cpu.push(round.sandboxed.cpu / round.plain.cpu);
    }
    const ms = (name, key) => median(samples[name].map((s) => s[key])).toFixed(1);
    console.log(`Node ${major}: wall ${ms('plain', 'wall')} → ${ms('sandboxed', 'wall')} ms (${median(ratios.wall).toFixed(3)}×), CPU ${ms('plain', 'cpu')} → ${ms('sandboxed', 'cpu')} ms (${median(ratios.cpu).toFixed(3)}×)`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
  rmSync(input, { force: true });
}
