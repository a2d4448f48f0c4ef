// `syscage exec`'s start-up overhead (issue 14's target: ≤ 60 ms over the command's own start).
// Side by side, in interleaved rounds of fresh processes (the two of a round in a random order):
// `node -e 0` plain and under `syscage exec --allow fs.read -- node -e 0`, and the same for `true`
// (a command that does nothing, so its row is syscage's own cost). Reports per command the median
// and fastest wall time of each, the ratio of the medians, and the added time: the median of the
// per-round differences, which pairs runs made under the same load. Runs the built CLI
// (packages/cli/dist/bin.js, or --cli: another build to compare) with the Node running this script. NODE_EXTRA_CA_CERTS is unset in
// the measured processes unless --keep-ca: Node reads and parses the whole CA bundle at start-up
// when it is set, in syscage's process as in the command's, which would hide the CLI's own cost.
//   pnpm build && node bench/exec-start/run.mjs [--rounds 40] [--keep-ca] [--cli another/build/bin.js]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '40' }, 'keep-ca': { type: 'boolean', default: false }, cli: { type: 'string' } } });
const rounds = Number(values.rounds);
const cli = values.cli ?? fileURLToPath(new URL('../../packages/cli/dist/bin.js', import.meta.url));
if (!existsSync(cli)) throw new Error('Build first: pnpm build');
const env = { ...process.env };
if (!values['keep-ca']) delete env.NODE_EXTRA_CA_CERTS;
delete env.NODE_OPTIONS;

const COMMANDS = [
  { name: '`node -e 0`', argv: [process.execPath, '-e', '0'] },
  { name: '`true`', argv: ['true'] },
];
const DECLARATION = ['--allow', 'fs.read'];
const TARGET_MS = 60;

/** Wall time of one run in ms; throws unless it exits 0. */
function time(argv) {
  const started = process.hrtime.bigint();
  const run = spawnSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (run.status !== 0) throw new Error(`${argv.join(' ')} exited ${run.status ?? run.signal}: ${run.stderr}`);
  return ms;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const results = COMMANDS.map((command) => ({
  command,
  variants: [
    { label: 'plain', argv: command.argv, ms: [] },
    { label: 'exec', argv: [process.execPath, cli, 'exec', ...DECLARATION, '--', ...command.argv], ms: [] },
  ],
}));
// One warm-up round (page cache, the CLI's first compile), not counted.
for (const { variants } of results) for (const variant of variants) time(variant.argv);
for (let round = 0; round < rounds; round++) {
  for (const { variants } of results) {
    const order = Math.random() < 0.5 ? variants : [...variants].reverse();
    for (const variant of order) variant.ms.push(time(variant.argv));
  }
}

const fmt = (ms) => ms.toFixed(0);
console.log(`Node ${process.version}, ${rounds} interleaved rounds, NODE_EXTRA_CA_CERTS ${values['keep-ca'] && process.env.NODE_EXTRA_CA_CERTS ? 'kept' : 'unset'}; declaration ${DECLARATION.join(' ')}\n`);
console.log('| command | plain ms (fastest) | under `syscage exec` ms (fastest) | ratio | added ms (median per round) | target ≤ 60 ms |');
console.log('|---|---:|---:|---:|---:|---|');
for (const { command, variants } of results) {
  const [plain, exec] = variants;
  const added = median(exec.ms.map((ms, i) => ms - plain.ms[i]));
  const ratio = median(exec.ms) / median(plain.ms);
  console.log(`| ${command.name} | ${fmt(median(plain.ms))} (${fmt(Math.min(...plain.ms))}) | ${fmt(median(exec.ms))} (${fmt(Math.min(...exec.ms))}) | ${ratio.toFixed(2)}× | +${fmt(added)} | ${added <= TARGET_MS ? 'met' : 'missed'} |`);
}
