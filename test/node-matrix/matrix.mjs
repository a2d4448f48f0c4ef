#!/usr/bin/env node
/**
 * Runs the Node API matrix from the command line (the vitest file runs the same harness) and
 * prints the summary table and every finding.
 *
 *   node test/node-matrix/matrix.mjs [--node 20,22,24,26] [--only <regex>] [--concurrency n]
 *                                    [--skips] [--complement] [--diagnose] [--json <file>]
 *
 * --only keeps the operations whose name matches; --skips also lists operations skipped because
 * they fail unsandboxed; --complement lists the informational complement escapes; --diagnose
 * reruns unexpected kills one at a time so the kernel log names each syscall; --json writes
 * every verdict. Exit status 1 if any asserted verdict failed.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { installNode } from '../../scripts/baseline/install-node.mjs';
import { runMatrix } from './harness.mjs';
import { formatSummary, listFindings } from './report.mjs';

const { values } = parseArgs({
  options: {
    node: { type: 'string', default: '20,22,24,26' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    json: { type: 'string' },
    skips: { type: 'boolean', default: false },
    complement: { type: 'boolean', default: false },
    diagnose: { type: 'boolean', default: false },
  },
});

const nodes = await installNode({ majors: values.node.split(',').map(Number) });
const only = values.only === undefined ? undefined : new RegExp(values.only);
const { versions, ms } = await runMatrix({
  nodes,
  ...(only ? { filter: (op) => only.test(op.name) } : {}),
  ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
  diagnose: values.diagnose,
  log: (line) => console.error(line),
});
const findings = listFindings(versions);
const extra = listFindings(versions, { complement: values.complement, skips: values.skips }).filter((line) => !findings.includes(line));
console.log(formatSummary(versions));
console.log(`\n${findings.length} findings (${(ms / 1000).toFixed(1)} s):`);
for (const line of findings) console.log(line);
if (extra.length > 0) {
  console.log(`\n${extra.length} informational:`);
  for (const line of extra) console.log(line);
}
if (values.json) writeFileSync(values.json, JSON.stringify(versions, null, 1));
process.exitCode = findings.length > 0 ? 1 : 0;
