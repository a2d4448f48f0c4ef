// Loader start-up benchmark: in-process ffi-rs load times (direct platform package vs `ffi-rs`),
// in-process install times, and the wall-time ratio of `node empty.mjs` vs
// `node empty-with-install.mjs`, each over fresh child processes run side by side (interleaved).
// Usage: pnpm build (or tsc -b packages/runtime/tsconfig.build.json), then node bench/runtime-load/run.mjs [rounds]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rounds = Number(process.argv[2] ?? 40);
const here = (file) => fileURLToPath(new URL(file, import.meta.url));
if (!existsSync(here('../../packages/runtime/dist/index.js'))) {
  console.error('Build the runtime first: pnpm build (or npx tsc -b packages/runtime/tsconfig.build.json).');
  process.exit(1);
}

const { NODE_PATH: _path, NODE_OPTIONS: _options, ...env } = process.env;
function run(file, ...args) {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, [here(file), ...args], { env, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${child.status ?? child.signal}): ${child.stderr}`);
  return { wallMs, out: child.stdout.trim() };
}
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const fmt = (ms) => `${ms.toFixed(2)} ms`;

for (let i = 0; i < 3; i++) run('empty.mjs'), run('empty-with-install.mjs'); // warm the page cache

const load = { direct: [], 'ffi-rs': [] };
const report = [];
const wall = { empty: [], install: [] };
for (let i = 0; i < rounds; i++) {
  // Alternate the order every round so drift hits both sides equally.
  const ways = i % 2 ? ['direct', 'ffi-rs'] : ['ffi-rs', 'direct'];
  for (const way of ways) load[way].push(JSON.parse(run('load-ffi.mjs', way).out).ms);
  report.push(JSON.parse(run('report-install.mjs').out));
  const pair = i % 2 ? ['empty', 'install'] : ['install', 'empty'];
  for (const which of pair) wall[which].push(run(which === 'empty' ? 'empty.mjs' : 'empty-with-install.mjs').wallMs);
}

const directMs = median(load.direct);
const ffiRsMs = median(load['ffi-rs']);
console.log(`node ${process.version}, ${process.arch}, ${rounds} fresh processes per figure, medians`);
console.log(`ffi load, direct platform package : ${fmt(directMs)}`);
console.log(`ffi load, require('ffi-rs')       : ${fmt(ffiRsMs)} (${(ffiRsMs / directMs).toFixed(2)}x the direct load)`);
for (const key of ['importMs', 'ffiLoadMs', 'installMs', 'confirmMs', 'totalMs']) {
  console.log(`install, ${key.padEnd(24)}: ${fmt(median(report.map((r) => r[key])))}`);
}
console.log(`install, threads confirmed        : ${median(report.map((r) => r.threads))}`);
const emptyMs = median(wall.empty);
const installWallMs = median(wall.install);
console.log(`wall, node empty.mjs              : ${fmt(emptyMs)}`);
console.log(`wall, node empty-with-install.mjs : ${fmt(installWallMs)}`);
console.log(`start-up ratio                    : ${(installWallMs / emptyMs).toFixed(3)}x (+${fmt(installWallMs - emptyMs)})`);
