#!/usr/bin/env node
/**
 * Coverage by construction (issue 13): for each Node version, the exported functions of the
 * modules the matrix answers for (`list-exports.mjs`, run by that version's binary in a child),
 * minus those an operation declares it covers (`covers`, counted on the versions the operation
 * runs on), minus the reasoned exclusions (`excluded.mjs`), must be empty. This module computes
 * and checks; it runs no operation and installs no filter.
 *
 *   node test/node-matrix/coverage.mjs [--node 20,22,24,26]
 *
 * prints, per version, how many functions exist, are covered, are excluded, and any missing,
 * and exits 1 when something is missing or a `covers`/exclusion name matches no export.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EXCLUDED } from './excluded.mjs';
import { operations } from './operations.mjs';

const LISTER = fileURLToPath(new URL('./list-exports.mjs', import.meta.url));

/**
 * The exported functions `nodePath` has, listed by that binary in a child process.
 *
 * @param {string} nodePath
 * @returns {string[]}
 */
export function listExportsOf(nodePath) {
  const out = execFileSync(nodePath, ['--no-deprecation', '--no-warnings', LISTER], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 30_000 });
  return JSON.parse(out);
}

/**
 * @typedef {object} VersionCoverage
 * @property {number} major
 * @property {number} exported  exported functions in the listed modules.
 * @property {string[]} covered  exported and declared by an operation that runs on this version.
 * @property {string[]} excluded  exported and in EXCLUDED (and not covered).
 * @property {string[]} missing  neither: each needs a case or a reasoned exclusion.
 * @property {string[]} coveredAndExcluded  both: the exclusion is stale.
 */

/**
 * Which exported functions the operations that run on `major` cover, and by which operations.
 *
 * @param {number} major
 * @returns {Map<string, string[]>}
 */
export function coverersOn(major) {
  /** @type {Map<string, string[]>} */
  const coverers = new Map();
  for (const op of operations) {
    if ((op.minNode ?? 0) > major) continue;
    for (const name of op.covers ?? []) coverers.set(name, [...(coverers.get(name) ?? []), op.name]);
  }
  return coverers;
}

/**
 * exports − covered − excluded, for one Node version.
 *
 * @param {number} major
 * @param {readonly string[]} exported  `listExportsOf` that version's binary.
 * @returns {VersionCoverage}
 */
export function computeCoverage(major, exported) {
  const coverers = coverersOn(major);
  const covered = exported.filter((name) => coverers.has(name));
  const excluded = exported.filter((name) => Object.hasOwn(EXCLUDED, name) && !coverers.has(name));
  const missing = exported.filter((name) => !coverers.has(name) && !Object.hasOwn(EXCLUDED, name));
  const coveredAndExcluded = exported.filter((name) => coverers.has(name) && Object.hasOwn(EXCLUDED, name));
  return { major, exported: exported.length, covered, excluded, missing, coveredAndExcluded };
}

/**
 * Names in `covers` or EXCLUDED that no listed version exports: a typo, or a function every
 * supported version has dropped (then the name goes).
 *
 * @param {Iterable<readonly string[]>} exportsPerVersion
 * @returns {string[]}  one line per unknown name, saying where it is written.
 */
export function unknownNames(exportsPerVersion) {
  const known = new Set([...exportsPerVersion].flat());
  const lines = [];
  for (const op of operations) for (const name of op.covers ?? []) if (!known.has(name)) lines.push(`${name} (covers of ${op.name})`);
  for (const name of Object.keys(EXCLUDED)) if (!known.has(name)) lines.push(`${name} (excluded.mjs)`);
  return lines;
}

/**
 * One line per version: exported, covered, excluded.
 *
 * @param {readonly VersionCoverage[]} versions
 */
export function formatCoverage(versions) {
  const rows = versions.map((v) => `| ${v.major} | ${v.exported} | ${v.covered.length} | ${v.excluded.length} | ${v.missing.length} |`);
  return ['| Node | exported functions | covered by cases | excluded | missing |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { installNode, NODE_MAJORS } = await import('../../scripts/baseline/install-node.mjs');
  const { values } = parseArgs({ options: { node: { type: 'string', default: '20,22,24,26' } } });
  const nodes = await installNode({ majors: values.node.split(',').map(Number) });
  const lists = nodes.map((node) => ({ major: node.major, exported: listExportsOf(node.path) }));
  const versions = lists.map(({ major, exported }) => computeCoverage(major, exported));
  console.log(formatCoverage(versions));
  const problems = [];
  for (const v of versions) {
    for (const name of v.missing) problems.push(`Node ${v.major}: ${name} has no case (add \`covers\` to an operation that calls it) and no exclusion`);
    for (const name of v.coveredAndExcluded) problems.push(`Node ${v.major}: ${name} is covered and excluded: drop the exclusion`);
  }
  // A name is unknown only if no supported version exports it: check when all of them were listed.
  if (NODE_MAJORS.every((major) => lists.some((l) => l.major === major))) for (const line of unknownNames(lists.map((l) => l.exported))) problems.push(`${line} names no export of any supported Node`);
  for (const line of problems) console.log(line);
  process.exitCode = problems.length > 0 ? 1 : 0;
}
