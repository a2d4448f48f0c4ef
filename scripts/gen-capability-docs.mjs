#!/usr/bin/env node
/**
 * Generates `docs/capabilities.md`, the DSL reference, from `@syscage/core` itself: each
 * capability's syscalls per architecture with their argument conditions and the catalog's reasons
 * (CAPABILITY_RULES), what it means to Landlock (planLandlock of `true` and of a list), the Node
 * baseline per Node version, what is answered with an error or never allowed (SOFT_DENIALS,
 * ENOSYS_SYSCALLS, ALWAYS_DENIED), and the implicit read set. It reads the built core
 * (`pnpm build` first) and writes nothing but that one file; the output has no dates or machine
 * paths, so it changes only when the catalog does.
 *
 *   node scripts/gen-capability-docs.mjs          write docs/capabilities.md (`pnpm gen:docs`)
 *   node scripts/gen-capability-docs.mjs --check  exit 1 if docs/capabilities.md is stale (`pnpm check:docs`)
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUTPUT = 'docs/capabilities.md';
const SCRIPT = 'scripts/gen-capability-docs.mjs';

/** How each capability is written in a declaration, and what it is for (one line). */
const SUMMARY = {
  'fs.read': ["fs: { read: true | ['./data', ...] }", 'read files and list directories; a list names the only paths that may be read (Landlock)'],
  'fs.write': ["fs: { write: true | ['./out', ...] }", 'create, write, truncate, rename and remove files (and read them); a list names the only paths'],
  'net.connect': ['net: { connect: true | [443, ...] }', 'open TCP connections; a list names the only remote ports'],
  'net.listen': ['net: { listen: true | [8080, ...] }', 'accept TCP connections; a list names the only local ports'],
  'net.udp': ['net: { udp: true }', 'send and receive UDP datagrams (any address and port: Landlock cannot scope UDP)'],
  'net.unix': ['net: { unix: true }', 'unix domain sockets (connect, bind, listen), abstract ones included'],
  dns: ['dns: true', "name resolution: the resolver's files, the nscd socket, UDP and TCP to port 53"],
  spawn: ["spawn: true | ['/usr/bin/git', ...]", 'run programs (children inherit the sandbox); a list names the only programs (or directories of programs)'],
  worker: ['worker: true', 'worker_threads'],
  tty: ['tty: true', 'terminal ioctls: modes, window size, process groups (never TIOCSTI or TIOCLINUX)'],
  signal: ['signal: true', 'signal other processes (signalling itself is always allowed)'],
};
/** An example list for the scoped capabilities, to show what a list means to Landlock. */
const EXAMPLE_LIST = {
  'fs.read': { fs: { read: ['./data'] } },
  'fs.write': { fs: { write: ['./out'] } },
  'net.connect': { net: { connect: [443] } },
  'net.listen': { net: { listen: [8080] } },
  spawn: { spawn: ['/usr/bin/git'] },
};

const hex = (value) => `0x${BigInt.asUintN(64, BigInt(value)).toString(16)}`;
const OPS = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };
const cell = (text) => String(text).replaceAll('|', '\\|').replaceAll('\n', ' ');
const code = (text) => `\`${text}\``;

/** A validated condition as people read it: `arg2 has none of 0x20100443 (32-bit)`. */
function describeCondition(condition) {
  const arg = `arg${condition.arg}`;
  const width = condition.width === 32 ? ' (32-bit)' : '';
  switch (condition.op) {
    case 'masked_eq':
      return `${arg} & ${hex(condition.mask)} == ${hex(condition.value)}${width}`;
    case 'flags_set':
      return `${arg} has all of ${hex(condition.flags)}${width}`;
    case 'flags_clear':
      return `${arg} has none of ${hex(condition.flags)}${width}`;
    case 'in':
      return `${arg} in [${condition.values.map(hex).join(', ')}]${width}`;
    default:
      return `${arg} ${OPS[condition.op]} ${hex(condition.value)}${width}`;
  }
}

/** Renders the whole document from core's exports. */
export function renderCapabilityDocs(core) {
  const { ALLOW, createPolicy, getArch, SUPPORTED_ARCHES } = core;
  const conditions = (syscall, when) => {
    if (when === undefined || when.length === 0) return 'always';
    const [rule] = createPolicy({ defaultAction: ALLOW, rules: [{ syscall, when, action: ALLOW }] }).rules;
    return rule.when.map(describeCondition).map(code).join(' and ');
  };
  const arches = (syscall) => SUPPORTED_ARCHES.map((arch) => (Object.hasOwn(getArch(arch).syscalls, syscall) ? '✓' : '—'));
  const archHead = SUPPORTED_ARCHES.map(code).join(' | ');
  const archRule = SUPPORTED_ARCHES.map(() => ':-:').join('|');
  const ruleTable = (rules, extra) => [
    `| syscall | ${archHead} | when | why${extra ? ` | ${extra.head}` : ''} |`,
    `|---|${archRule}|---|---${extra ? '|---' : ''}|`,
    ...rules.map((rule) => `| ${code(rule.syscall)} | ${arches(rule.syscall).join(' | ')} | ${cell(conditions(rule.syscall, rule.when))} | ${cell(rule.why)}${extra ? ` | ${extra.value(rule)}` : ''} |`),
  ];

  const lines = [
    '# Capability reference',
    '',
    `<!-- Generated by ${SCRIPT} from @syscage/core (packages/core/src/catalog and packages/core/src/landlock). Do not edit: run \`pnpm gen:docs\` after \`pnpm build\`; \`pnpm check:docs\` and the cli tests fail when this file is stale. -->`,
    '',
    "Every capability a declaration can grant: the system calls it adds to the Node baseline on each architecture (`✓` the architecture has the call, `—` it does not: aarch64 has only the `*at` forms), the argument conditions under which each is allowed, the catalog's reason, and what the capability means to Landlock (paths and TCP ports). What no declaration grants is at the end.",
    '',
    '* **when**: every condition must hold; a call outside them is a violation (SIGSYS, or EPERM with `onViolation: \'errno\'`). Arguments are compared as unsigned 64-bit values, or as a 32-bit `int` (then a high word that is neither 0 nor the sign extension of the low word is a violation).',
    '* The same syscall may appear under several capabilities with different conditions: a call is allowed when any granted rule allows it.',
    '',
    '## Contents',
    '',
    ...core.CAPABILITY_NAMES.map((name) => `* [${code(name)}](#${name.replace('.', '')})`),
    '* [The Node baseline](#the-node-baseline)',
    '* [Answered with an error, never allowed](#answered-with-an-error-never-allowed)',
    '* [The implicit read set](#the-implicit-read-set)',
    '',
  ];

  const empty = core.planLandlock(core.resolveCapabilities({}));
  for (const name of core.CAPABILITY_NAMES) {
    const [written, what] = SUMMARY[name] ?? ['', ''];
    lines.push(`## ${code(name)}`, '', `${code(written)}: ${what}.`, '');
    const rules = core.CAPABILITY_RULES[name];
    if (rules.length === 0) lines.push('No system calls beyond the baseline: its effect is on Landlock only.', '');
    else lines.push(...ruleTable(rules), '');
    lines.push('Landlock:', '');
    const granted = core.planLandlock(core.resolveCapabilities(declarationOf(name)));
    lines.push(`* ${code(formatDeclaration(declarationOf(name)))}: ${describePlan(granted, empty, name)}`);
    const list = EXAMPLE_LIST[name];
    if (list !== undefined) lines.push(`* ${code(formatDeclaration(list))}: ${describePlan(core.planLandlock(core.resolveCapabilities(list)), empty, name)}`);
    lines.push('');
  }

  lines.push(
    '## The Node baseline',
    '',
    'Always allowed, whatever is declared: what any Node program needs after start-up, measured per Node version by `scripts/baseline` (strace over its workloads). A built program carries the union of the supported versions; `sandbox()` unbuilt and `syscage exec` use the running version\'s.',
    '',
  );
  const byKey = new Map();
  for (const major of core.NODE_MAJORS) {
    for (const rule of core.nodeBaseline(major)) {
      const key = JSON.stringify([rule.syscall, rule.when ?? [], rule.why]);
      const seen = byKey.get(key) ?? { rule, majors: [] };
      seen.majors.push(major);
      byKey.set(key, seen);
    }
  }
  const all = core.NODE_MAJORS.length;
  lines.push(
    ...ruleTable(
      [...byKey.values()].map(({ rule, majors }) => ({ ...rule, majors })),
      { head: 'Node', value: (rule) => (rule.majors.length === all ? 'all' : rule.majors.join(', ')) },
    ),
    '',
  );

  lines.push(
    '## Answered with an error, never allowed',
    '',
    `**Answered \`EACCES\`** (not a violation: the caller carries on without it), unless a listed capability grants the call:`,
    '',
    '| syscall | when | unless | why |',
    '|---|---|---|---|',
    ...core.SOFT_DENIALS.map((denial) => `| ${code(denial.syscall)} | ${cell(conditions(denial.syscall, denial.when))} | ${denial.unless.length === 0 ? '—' : denial.unless.map(code).join(', ')} | ${cell(denial.why)} |`),
    '',
    '**Answered `ENOSYS`**, whatever is declared (libc and libuv fall back to calls the filter can check):',
    '',
    '| syscall | why |',
    '|---|---|',
    ...Object.entries(core.ENOSYS_SYSCALLS).map(([syscall, why]) => `| ${code(syscall)} | ${cell(why)} |`),
    '',
    '**Never allowed** (no capability grants one; the tests assert it):',
    '',
    core.ALWAYS_DENIED.filter((syscall) => !Object.hasOwn(core.ENOSYS_SYSCALLS, syscall)).map(code).join(', '),
    '',
    'Any syscall not listed in this document is a violation too. On every architecture the filter first checks `seccomp_data.arch` (a foreign architecture, such as i386\'s `int 0x80` on x86_64, is killed) and on x86_64 kills x32 numbers.',
    '',
  );

  const implicit = (title, intro, entries) => [
    `### ${title}`,
    '',
    intro,
    '',
    '| path | access | why |',
    '|---|---|---|',
    ...entries.map((entry) => `| ${code(entry.path)} | ${entry.access.join(', ')} | ${cell(entry.why)} |`),
    '',
  ];
  lines.push(
    '## The implicit read set',
    '',
    'What Landlock lets a sandboxed program use without declaring it (`packages/core/src/landlock/implicit.ts`). Placeholders are filled by the runtime when the sandbox starts: `{program}` the directory of the main module, `{loader}` the real directories of syscage\'s runtime packages and ffi-rs, `{modules}` and `{package-json}` the `node_modules` directories and `package.json` files in the program\'s directory and every directory above it, `{node}` the Node executable, `{interpreter}` its ELF interpreter.',
    '',
    ...implicit('Every Node program', 'Read (and for `/dev/null`, written) by the Node runtime itself after the sandbox starts.', core.NODE_IMPLICIT_PATHS),
    ...implicit('Starting a program', 'What a freshly executed, dynamically linked program reads: Node at the sandbox\'s restart, and programs started with `spawn`.', core.EXEC_START_PATHS),
    ...implicit('With `dns`', "glibc's resolver configuration.", core.DNS_PATHS),
    ...implicit('With `spawn: true`', 'Where programs are found on the usual PATH: the kernel reads a program to execute it.', core.PROGRAM_DIRS),
  );
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** `{ fs: { read: true } }` for 'fs.read', `{ dns: true }` for 'dns'. */
function declarationOf(name) {
  const [group, key] = name.split('.');
  return key === undefined ? { [group]: true } : { [group]: { [key]: true } };
}

function formatDeclaration(value) {
  if (Array.isArray(value)) return `[${value.map(formatDeclaration).join(', ')}]`;
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${k}: ${formatDeclaration(v)}`).join(', ')} }`;
  return String(value);
}

/** What `plan` changes against the empty declaration's plan `empty`. */
function describePlan(plan, empty, name) {
  const same = (a, b) => [...a].sort().join() === [...b].sort().join();
  const parts = [];
  const lifted = empty.handledFs.filter((right) => !plan.handledFs.includes(right));
  const handledNow = plan.handledFs.filter((right) => !empty.handledFs.includes(right));
  if (lifted.length > 0) parts.push(`no longer restricts ${lifted.join(', ')} (any path)`);
  if (handledNow.length > 0) parts.push(`restricts ${handledNow.join(', ')}`);
  const liftedNet = empty.handledNet.filter((right) => !plan.handledNet.includes(right));
  if (liftedNet.length > 0) parts.push(`no longer restricts ${liftedNet.join(', ')} (any port)`);
  const paths = plan.paths.filter((rule) => rule.from.split(', ').includes(name) && !empty.paths.some((other) => other.path === rule.path && same(other.access, rule.access)));
  if (paths.length > 0) parts.push(`grants ${paths.map((rule) => `${code(rule.path)} (${rule.access.join(', ')}${rule.ifMissing === 'refuse' ? '; must exist' : ''})`).join(', ')}`);
  const ports = plan.ports.filter((rule) => !empty.ports.some((other) => other.port === rule.port && same(other.access, rule.access)));
  if (ports.length > 0) parts.push(`allows TCP ${ports.map((rule) => `${rule.access.join(', ')} on port ${rule.port}`).join(', ')}`);
  const unscoped = empty.scoped.filter((scope) => !plan.scoped.includes(scope));
  if (unscoped.length > 0) parts.push(`lifts the ${unscoped.join(', ')} scope`);
  return parts.length === 0 ? 'no change (nothing of it is for Landlock to scope).' : `${parts.join('; ')}.`;
}

async function main(argv) {
  const core = await import('@syscage/core');
  const text = renderCapabilityDocs(core);
  const file = path.join(ROOT, OUTPUT);
  if (argv.includes('--check')) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${OUTPUT} is stale: run \`pnpm gen:docs\` (after \`pnpm build\`) and commit the result.\n`);
      process.exitCode = 1;
    }
    return;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  process.stdout.write(`wrote ${OUTPUT}\n`);
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
