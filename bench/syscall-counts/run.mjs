// How many syscalls the baseline and each capability allow, per architecture and Node version,
// and the read-only CLI (baseline + fs.read) against its target of 40 on x86_64.
//   pnpm build && node bench/syscall-counts/run.mjs [--json]
import { parseArgs } from 'node:util';
import { ARCHES, CAPABILITY_NAMES, NODE_MAJORS, buildPolicy, resolveCapabilities } from '@syscage/core';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });

/** Syscalls the policy lets through at least sometimes, on `arch`. */
function allowed(policy, arch) {
  return new Set(policy.rules.filter((r) => r.action.kind === 'ALLOW' && Object.hasOwn(arch.syscalls, r.syscall)).map((r) => r.syscall));
}

const grants = (names) => ({ grants: new Set(names), scopes: {}, onViolation: 'kill', unsupported: 'error' });
const rows = [];
for (const arch of Object.values(ARCHES)) {
  for (const node of NODE_MAJORS) {
    const base = allowed(buildPolicy(grants([]), { node }), arch);
    const row = { arch: arch.name, node, baseline: base.size, 'read-only CLI': allowed(buildPolicy(grants(['fs.read']), { node }), arch).size };
    for (const name of CAPABILITY_NAMES) row[`+${name}`] = allowed(buildPolicy(grants([name]), { node }), arch).size - base.size;
    row.everything = allowed(buildPolicy(resolveCapabilities({ fs: true, net: true, dns: true, spawn: true, worker: true, tty: true, signal: true }), { node }), arch).size;
    rows.push(row);
  }
}
if (values.json) console.log(JSON.stringify(rows, null, 2));
else {
  const keys = Object.keys(rows[0]);
  console.log(keys.map((k) => k.padStart(Math.max(k.length, 4))).join(' '));
  for (const row of rows) console.log(keys.map((k) => String(row[k]).padStart(Math.max(k.length, 4))).join(' '));
  console.log('\nfor scale: pledge "stdio" allows 121 on x86_64, Docker\'s default profile 308');
}
