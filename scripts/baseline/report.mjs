#!/usr/bin/env node
/**
 * Prints a human-readable digest of the measured files (packages/core/src/catalog/measured/):
 * per Node version the baseline and union (natural and enosys), each workload's additions to the
 * baseline, the argument values seen, the system paths read after the marker, and what differs
 * between versions. It reads only; it never measures.
 *
 * Usage: node scripts/baseline/report.mjs [--dir DIR] [--section all|sets|workloads|args|paths|diff]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { NODE_MAJORS } from './install-node.mjs';
import { MEASURED_DIR } from './measure.mjs';

/**
 * @typedef {{ count: number, seenIn?: string, args?: Record<string, string[]>, injected?: true }} Syscall
 * @typedef {{ syscalls: Record<string, Syscall>, paths?: Array<{ path: string, via: string[] }>,
 *   threads: { atMarker: number, created: number }, processes: number, exec?: { programs: string[] } }} Measured
 * @typedef {{ baseline: string[], union: string[], startup: string[], workloads: Record<string, Measured> }} Section
 * @typedef {Section & { node: string, libuv: string, enosys: Section }} Doc
 */

/** Paths a program chose itself (its own files, its scratch dir) rather than what Node reads. */
const OWN_PATH = /^(\$WORK|\$WORKLOADS|\$REPO|<dirfd>)(\/|$)/;

/** @param {string} dir */
function load(dir) {
  /** @type {Map<number, Doc>} */
  const docs = new Map();
  for (const major of NODE_MAJORS) {
    const file = join(dir, `node-${major}.json`);
    if (existsSync(file)) docs.set(major, JSON.parse(readFileSync(file, 'utf8')));
  }
  return docs;
}

/** @param {string[]} list */
const words = (list) => (list.length === 0 ? '—' : list.join(' '));

/** @param {Map<number, Doc>} docs */
function printSets(docs) {
  for (const [major, d] of docs) {
    console.log(`\n## Node ${major} (${d.node}, libuv ${d.libuv})`);
    for (const [label, s] of /** @type {Array<[string, Section]>} */ ([['natural', d], ['enosys', d.enosys]])) {
      if (s === undefined) continue;
      console.log(`${label} empty    [${Object.keys(s.workloads.empty?.syscalls ?? {}).length}] ${words(Object.keys(s.workloads.empty?.syscalls ?? {}))}`);
      console.log(`${label} baseline [${s.baseline.length}] ${words(s.baseline)}`);
      console.log(`${label} union    [${s.union.length}] ${words(s.union)}`);
    }
  }
}

/** @param {Map<number, Doc>} docs */
function printWorkloads(docs) {
  for (const [major, d] of docs) {
    const s = d.enosys ?? d;
    console.log(`\n## Node ${major}: additions to the baseline per workload (${d.enosys ? 'enosys' : 'natural'}); threads at marker/created`);
    const base = new Set(s.baseline);
    for (const [name, w] of Object.entries(s.workloads)) {
      const extra = Object.entries(w.syscalls).filter(([n]) => !base.has(n)).map(([n, v]) => (v.seenIn ? `${n}(${v.seenIn})` : n));
      const variable = Object.entries(w.syscalls).filter(([n, v]) => base.has(n) && v.seenIn).map(([n, v]) => `${n}(${v.seenIn})`);
      console.log(`${name.padEnd(21)} ${String(w.threads.atMarker).padStart(2)}/${w.threads.created} ${words(extra)}${variable.length ? `  [variable: ${variable.join(' ')}]` : ''}${w.exec ? `  [exec: ${w.exec.programs.join(' ')}]` : ''}`);
    }
  }
}

/** @param {Map<number, Doc>} docs */
function printArgs(docs) {
  for (const [major, d] of docs) {
    console.log(`\n## Node ${major}: argument values over all workloads (natural; enosys additions marked +)`);
    /** @type {Map<string, Map<string, string>>} */
    const seen = new Map();
    for (const [label, s] of /** @type {Array<[string, Section]>} */ ([['', d], ['+', d.enosys]])) {
      for (const w of Object.values(s?.workloads ?? {})) {
        for (const [name, v] of Object.entries(w.syscalls)) {
          for (const [key, values] of Object.entries(v.args ?? {})) {
            const slot = seen.get(`${name} ${key}`) ?? new Map();
            seen.set(`${name} ${key}`, slot);
            for (const value of values) if (!slot.has(value)) slot.set(value, label);
          }
        }
      }
    }
    for (const [key, values] of [...seen].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`${key}: ${[...values].sort(([a], [b]) => a.localeCompare(b)).map(([v, l]) => l + v).join('  ;  ')}`);
    }
  }
}

/** @param {Map<number, Doc>} docs */
function printPaths(docs) {
  for (const [major, d] of docs) {
    console.log(`\n## Node ${major}: system paths touched after the marker (program-chosen paths left out)`);
    for (const [name, w] of Object.entries(d.workloads)) {
      const system = (w.paths ?? []).filter((p) => !OWN_PATH.test(p.path));
      if (system.length > 0) console.log(`${name.padEnd(21)} ${system.map((p) => `${p.path} (${p.via.join(', ')})`).join('; ')}`);
    }
  }
}

/** @param {Map<number, Doc>} docs */
function printDiff(docs) {
  console.log('\n## Differences between versions (enosys union / baseline / empty)');
  const entries = [...docs];
  for (let i = 1; i < entries.length; i++) {
    const [ma, a] = /** @type {[number, Doc]} */ (entries[i - 1]);
    const [mb, b] = /** @type {[number, Doc]} */ (entries[i]);
    for (const key of /** @type {const} */ (['union', 'baseline'])) {
      const A = new Set((a.enosys ?? a)[key]);
      const B = new Set((b.enosys ?? b)[key]);
      console.log(`${key} ${ma}→${mb}: +${words([...B].filter((x) => !A.has(x)))}  −${words([...A].filter((x) => !B.has(x)))}`);
    }
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, section: { type: 'string' } } });
  const docs = load(values.dir ?? MEASURED_DIR);
  if (docs.size === 0) throw new Error(`no node-<major>.json in ${values.dir ?? MEASURED_DIR}; run scripts/baseline/measure.mjs first`);
  const section = values.section ?? 'all';
  if (section === 'all' || section === 'sets') printSets(docs);
  if (section === 'all' || section === 'workloads') printWorkloads(docs);
  if (section === 'all' || section === 'args') printArgs(docs);
  if (section === 'all' || section === 'paths') printPaths(docs);
  if (section === 'all' || section === 'diff') printDiff(docs);
}
