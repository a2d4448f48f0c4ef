// How many syscalls the baseline and each capability allow, per architecture and Node version,
// and the read-only CLI (baseline + fs.read) against its target of 40 on x86_64.
//   pnpm build && node bench/syscall-counts/run.mjs [--json] [--list]
// A syscall counts once it has any allow rule (conditional or not); one answered with an error
// (ENOSYS, or EACCES for the soft denials of catalog/deny.ts) does not count. Node "any" is the
// union over every supported version: what a bundle compiled by the plugin allows, since it
// does not know which Node will run it. --list prints the read-only CLI's syscalls per row.
import { parseArgs } from 'node:util';
import { ARCHES, CAPABILITY_NAMES, NODE_MAJORS, buildPolicy, resolveCapabilities } from '@syscage/core';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, list: { type: 'boolean', default: false } } });

/** Syscalls the policy lets through at least sometimes, on `arch`. */
function allowed(policy, arch) {
  return new Set(policy.rules.filter((r) => r.action.kind === 'ALLOW' && Object.hasOwn(arch.syscalls, r.syscall)).map((r) => r.syscall));
}

const grants = (names) => ({ grants: new Set(names), scopes: {}, onViolation: 'kill', unsupported: 'error' });
const TARGET = 40;
const rows = [];
const lists = [];
for (const arch of Object.values(ARCHES)) {
  for (const node of [...NODE_MAJORS, undefined]) {
    const options = node === undefined ? {} : { node };
    const base = allowed(buildPolicy(grants([]), options), arch);
    const cli = allowed(buildPolicy(grants(['fs.read']), options), arch);
    const row = { arch: arch.name, node: node ?? 'any', baseline: base.size, 'read-only CLI': cli.size };
    for (const name of CAPABILITY_NAMES) row[`+${name}`] = allowed(buildPolicy(grants([name]), options), arch).size - base.size;
    row.everything = allowed(buildPolicy(resolveCapabilities({ fs: true, net: true, dns: true, spawn: true, worker: true, tty: true, signal: true }), options), arch).size;
    rows.push(row);
    lists.push({ arch: arch.name, node: node ?? 'any', readOnlyCli: [...cli].sort() });
  }
}
if (values.json) console.log(JSON.stringify(values.list ? { rows, lists } : rows, null, 2));
else {
  const keys = Object.keys(rows[0]);
  console.log(keys.map((k) => k.padStart(Math.max(k.length, 4))).join(' '));
  for (const row of rows) console.log(keys.map((k) => String(row[k]).padStart(Math.max(k.length, 4))).join(' '));
  const x86 = rows.filter((row) => row.arch === 'x86_64').map((row) => row['read-only CLI']);
  console.log(`\nread-only CLI on x86_64: ${Math.min(...x86)}–${Math.max(...x86)} syscalls (target ≤ ${TARGET}: ${Math.max(...x86) <= TARGET ? 'met' : 'not met'})`);
  console.log('for scale: pledge "stdio" allows 121 on x86_64, Docker\'s default profile 308');
  if (values.list) for (const { arch, node, readOnlyCli } of lists) console.log(`\n${arch} node ${node} (${readOnlyCli.length}): ${readOnlyCli.join(' ')}`);
}
