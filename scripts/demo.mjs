// The README's main job: the seed program, examples/syslog-parse (built with esbuild and
// @syscage/plugin by `pnpm build`), run on its sample log inside its sandbox. First what its build
// embeds (checked against a fresh compile by @syscage/core), then the allowed run (the summary),
// then three things it does not declare (a write, a connection, a spawn), each killed by the kernel.
// Run it with `./run demo` (or `pnpm build && pnpm demo`); it takes a few seconds.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeCache, disassemble, getArch, prepareDeclaration } from '@syscage/core';

const EXAMPLE = fileURLToPath(new URL('../examples/syslog-parse/', import.meta.url));
const BUNDLE = 'dist/syslog-parse.js';
const indent = (text) => text.trimEnd().replace(/^/gm, '  ');

if (!existsSync(join(EXAMPLE, BUNDLE))) {
  console.error('syscage demo: examples/syslog-parse is not built; run `pnpm build` first.');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(join(EXAMPLE, `${BUNDLE}.syscage.json`), 'utf8'));

// What the build embeds, for this machine's architecture.
const arch = getArch(process.arch === 'arm64' ? 'aarch64' : 'x86_64');
const filter = prepareDeclaration(manifest.declaration).filter(arch.name);
const sha = createHash('sha256').update(filter.bytes).digest('hex');
const embedded = manifest.arches[arch.name];
const cache = analyzeCache(filter.instructions, arch);
const declared = readFileSync(join(EXAMPLE, manifest.entry), 'utf8').split('\n')[manifest.source.line - 1]?.trim();
const row = (label, text) => console.log(`  ${label.padEnd(22)} ${text}`);
console.log('syscage demo: examples/syslog-parse, the seed program, built with esbuild and @syscage/plugin');
row(`${manifest.entry}:${manifest.source.line}`, declared);
row(`${arch.name} filter`, `${filter.instructions.length} BPF instructions, sha256 ${sha.slice(0, 16)}… (${sha === embedded?.filterSha256 ? 'the bytes embedded in the bundle' : 'DIFFERENT from the bundle!'})`);
row('kernel cache', `${cache.cached.length} syscalls allowed straight from the kernel's cache, without running BPF`);
if (Array.isArray(manifest.landlock?.paths)) {
  const own = manifest.landlock.paths.filter((rule) => rule.from !== 'runtime').map((rule) => rule.path);
  const implicit = manifest.landlock.paths.length - own.length;
  row('Landlock', `files: ${own.join(', ')} (declared) and ${implicit} paths Node reads itself; TCP ports: ${manifest.landlock.ports?.length ? manifest.landlock.ports.length : 'none'}`);
}
row('anything else', `${embedded?.defaultAction ?? 'KILL_PROCESS'}; the filter starts:`);
console.log(indent(disassemble(filter.instructions, arch).split('\n').slice(0, 6).join('\n').replace(/^/gm, '  ')));

const run = (args) => spawnSync(process.execPath, [BUNDLE, ...args], { cwd: EXAMPLE, encoding: 'utf8' });
console.log(`\n$ cd examples/syslog-parse && node ${BUNDLE} logs/sample.log   # allowed: read ./logs, print`);
const allowed = run(['logs/sample.log']);
console.log(indent(allowed.stdout));
let failed = allowed.status !== 0 || sha !== embedded?.filterSha256;
if (failed) console.log(`  unexpected end: exit ${allowed.status}, signal ${allowed.signal}\n${indent(allowed.stderr)}`);

for (const attempt of ['write', 'connect', 'spawn']) {
  console.log(`\n$ node ${BUNDLE} --try ${attempt}   # the demonstration hook: after the summary, try something undeclared`);
  const blocked = run(['--try', attempt]);
  console.log(indent(blocked.stdout.trimEnd().split('\n').at(-1) ?? ''));
  const written = existsSync(join(EXAMPLE, 'logs/summary.txt'));
  if (blocked.signal === 'SIGSYS' && !written) {
    console.log('  BLOCKED: the kernel killed the process with SIGSYS ("Bad system call", exit status 159) at that call');
  } else {
    console.log(`  NOT BLOCKED: exit ${blocked.status}, signal ${blocked.signal}${written ? ', logs/summary.txt was written' : ''}\n${indent(blocked.stderr)}`);
    rmSync(join(EXAMPLE, 'logs/summary.txt'), { force: true });
    failed = true;
  }
}
// Paths are Landlock's: the same open, read-only, of a file outside ./logs is refused by the kernel.
console.log(`\n$ node ${BUNDLE} README.md   # a file outside the declared ./logs`);
const outside = run(['README.md']);
const refused = outside.status !== 0 && outside.signal === null && /EACCES|permission denied/i.test(outside.stderr + outside.stdout);
console.log(indent((outside.stderr || outside.stdout).trim().split('\n').find((line) => /EACCES|denied/i.test(line)) ?? ''));
if (refused) console.log('  BLOCKED: Landlock refused the open with EACCES (only ./logs and what Node reads itself are readable)');
else {
  console.log(`  NOT BLOCKED: exit ${outside.status}, signal ${outside.signal}`);
  failed = true;
}
if (failed) process.exitCode = 1;
