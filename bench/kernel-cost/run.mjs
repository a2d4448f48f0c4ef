#!/usr/bin/env node
/**
 * Kernel-cost benchmark driver: compiles bench.c with gcc (cached under
 * <repo>/.cache/kernel-cost/ by a hash of the source), then runs one fresh bench process per mode
 * and round, in a shuffled order each round, and prints the median ns per call of getppid and
 * fcntl(fd, F_GETFD) with the median of the per-round ratios to "none". See README.md.
 *
 * It measures only; it does not judge a filter (no thresholds) and does not build filters: pass
 * the compiler's output with --filter.
 *
 * Usage: node bench/kernel-cost/run.mjs [--filter NAME=path.bin ...] [--rounds 11]
 *          [--iterations 1000000] [--cpu N] [--json]
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const gccFlags = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];
const SECCOMP_RET_ALLOW = 0x7fff0000;
const SYSCALLS = ['getppid', 'fcntl'];

function parseOptions() {
  const { values } = parseArgs({
    options: {
      filter: { type: 'string', multiple: true, default: [] },
      rounds: { type: 'string', default: '11' },
      iterations: { type: 'string', default: '1000000' },
      cpu: { type: 'string', default: '-1' },
      json: { type: 'boolean', default: false },
    },
  });
  const filters = values.filter.map((spec) => {
    const at = spec.indexOf('=');
    if (at <= 0) throw new Error(`--filter takes NAME=path.bin, got "${spec}"`);
    const name = spec.slice(0, at);
    const path = resolve(spec.slice(at + 1));
    const size = readFileSync(path).length;
    if (size === 0 || size % 8 !== 0) throw new Error(`${path} is ${size} bytes: not a sock_filter array`);
    if (name === 'none' || name === 'allow-all') throw new Error(`"${name}" is a built-in mode name`);
    return { name, path };
  });
  const rounds = Number(values.rounds);
  const iterations = Number(values.iterations);
  if (!(rounds >= 1) || !(iterations >= 15)) throw new Error('--rounds must be ≥ 1 and --iterations ≥ 15');
  return { rounds, iterations, cpu: values.cpu, json: values.json, filters };
}

function buildBench() {
  const source = join(here, 'bench.c');
  const hash = createHash('sha256').update(gccFlags.join(' ')).update('\0').update(readFileSync(source));
  const dir = join(repoRoot, '.cache', 'kernel-cost');
  const binary = join(dir, `bench-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.${process.pid}.tmp`;
  execFileSync('gcc', [...gccFlags, '-o', partial, source], { stdio: 'inherit' });
  renameSync(partial, binary);
  return binary;
}

function allowAllFilter(dir) {
  const bytes = Buffer.alloc(8);
  bytes.writeUInt16LE(0x06, 0); // BPF_RET | BPF_K
  bytes.writeUInt32LE(SECCOMP_RET_ALLOW, 4);
  const path = join(dir, 'allow-all.bin');
  writeFileSync(path, bytes);
  return path;
}

/** Parses "pinned 1 getppid 103.21 fcntl denied:1" into { pinned, getppid, fcntl }. */
function parseLine(line) {
  const words = line.trim().split(/\s+/);
  const result = { pinned: words[1] };
  for (let i = 2; i < words.length; i += 2) {
    const value = words[i + 1];
    result[words[i]] = value.startsWith('denied:') ? value : Number(value);
  }
  return result;
}

function shuffle(items) {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runRounds(binary, modes, options) {
  const samples = new Map(modes.map((mode) => [mode.name, []]));
  const pinned = new Set();
  for (let round = 0; round < options.rounds; round++) {
    for (const mode of shuffle(modes)) {
      const args = [mode.path ?? 'none', String(options.iterations), options.cpu];
      const line = execFileSync(binary, args, { encoding: 'utf8' });
      const sample = parseLine(line);
      pinned.add(sample.pinned);
      samples.get(mode.name).push(sample);
    }
    process.stderr.write(`round ${round + 1}/${options.rounds}\r`);
  }
  process.stderr.write('\n');
  return { samples, pinned: [...pinned] };
}

function summarize(modes, samples) {
  const baseline = samples.get('none');
  return modes.map(({ name }) => {
    const rows = samples.get(name);
    const entry = { mode: name };
    for (const call of SYSCALLS) {
      const denied = rows.find((row) => typeof row[call] === 'string');
      if (denied) {
        entry[call] = { denied: Number(denied[call].slice('denied:'.length)) };
        continue;
      }
      const ratios = rows.map((row, round) => row[call] / baseline[round][call]);
      const deltas = rows.map((row, round) => row[call] - baseline[round][call]);
      entry[call] = { ns: median(rows.map((row) => row[call])), ratio: median(ratios), delta: median(deltas) };
    }
    return entry;
  });
}

function printTable(summary, options, pinned) {
  const cell = (c) =>
    'denied' in c
      ? `denied (errno ${c.denied})`
      : `${c.ns.toFixed(1)} ns (${c.ratio.toFixed(3)}, ${c.delta >= 0 ? '+' : ''}${c.delta.toFixed(1)})`;
  const header = ['mode', 'getppid', 'fcntl(fd, F_GETFD)'];
  const lines = summary.map((e) => [e.mode, cell(e.getppid), cell(e.fcntl)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const format = (cols) => cols.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(`${options.rounds} interleaved rounds × ${options.iterations} calls per syscall; CPU pinned: ${pinned.join(',')}`);
  console.log('cells: median ns/call (median per-round ratio to none, median delta ns)');
  console.log(format(header));
  for (const line of lines) console.log(format(line));
}

function main() {
  const options = parseOptions();
  const binary = buildBench();
  const dir = mkdtempSync(join(tmpdir(), 'syscage-kernel-cost-'));
  try {
    const modes = [{ name: 'none' }, { name: 'allow-all', path: allowAllFilter(dir) }, ...options.filters];
    const { samples, pinned } = runRounds(binary, modes, options);
    const summary = summarize(modes, samples);
    if (options.json) console.log(JSON.stringify({ options, pinned, summary }, null, 2));
    else printTable(summary, options, pinned);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error) {
  console.error(`kernel-cost: ${error.message}`);
  process.exitCode = 2;
}
