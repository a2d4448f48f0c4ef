/**
 * `syscage explain SYSCALL|CAPABILITY`: the catalog read backwards or forwards. For a syscall:
 * per architecture, whether the Node baseline allows it (and on which Node versions), which
 * capabilities grant it and under which argument conditions, whether it is never allowed, answered
 * ENOSYS or softly denied, and whether `syscage exec` allows it for a program's start-up. For a
 * capability: per architecture, the syscalls it adds with their conditions and reasons, and what
 * it means to Landlock.
 */

import {
  ALWAYS_DENIED,
  CAPABILITY_NAMES,
  CAPABILITY_RULES,
  ENOSYS_SYSCALLS,
  NODE_MAJORS,
  SOFT_DENIALS,
  SUPPORTED_ARCHES,
  getArch,
  isKnownSyscall,
  nodeBaseline,
  suggestName,
  syscallName,
  type ArchName,
  type CapabilityName,
  type CatalogRule,
} from '@syscage/core';
import { Command } from 'commander';
import { describeSpecs } from '../describe.ts';
import { EXEC_START, NODE_START } from '../exec/exec-start.ts';
import { usageError } from '../exit-codes.ts';
import { nativeArch } from '../native-arch.ts';
import { out, printJson } from '../output.ts';

/** What each capability means to Landlock (paths and ports are its business, not seccomp's). */
const LANDLOCK_MEANING: Readonly<Record<CapabilityName, string>> = {
  'fs.read': 'with a path list, Landlock lets only those paths (and the runtime\'s implicit set) be read or listed (read_file, read_dir); with true, reading is not restricted. Undeclared, reading outside the implicit set is refused (EACCES).',
  'fs.write': 'with a path list, only those paths may be written, created, removed, renamed or truncated (write_file, make_*, remove_*, refer, truncate; never device nodes); with true, anywhere.',
  'net.connect': 'with a port list, TCP connections only to those ports (connect_tcp); with true, any port. Hosts cannot be restricted by Landlock.',
  'net.listen': 'with a port list, TCP binds only on those ports (bind_tcp); with true, any port.',
  'net.udp': 'nothing: Landlock cannot scope UDP; any address and port.',
  'net.unix': 'undeclared, abstract unix sockets outside the sandbox are out of reach (scope abstract_unix_socket); declared, that scope is lifted.',
  dns: 'the resolver configuration (/etc/resolv.conf, hosts, nsswitch.conf, …) and the NSS libraries become readable; UDP to port 53 cannot be scoped.',
  spawn: 'with a list, only those executables (and the dynamic loader and libraries they start with) may be executed (execute); with true, any. Children inherit the same Landlock domain.',
  worker: 'nothing: workers are threads of the same process, inside the same domain.',
  tty: 'nothing: terminal ioctls act on descriptors already held.',
  signal: 'undeclared, signals to processes outside the sandbox are refused (scope signal); declared, that scope is lifted.',
};

interface SyscallGrant {
  readonly by: string;
  readonly when: readonly string[];
  readonly why: string;
}

/** The `explain` command. */
export function explainCommand(): Command {
  return new Command('explain')
    .description('which capability grants a syscall, or what a capability grants, per architecture')
    .argument('<name>', `a syscall (openat, connect, …, or its number on this machine) or a capability (${CAPABILITY_NAMES.join(', ')})`)
    .addHelpText('after', '\nExamples:\n  syscage explain connect\n  syscage explain fs.write --json')
    .option('--json', 'print the answer as JSON')
    .action((name: string, options: { json?: boolean }) => {
      if ((CAPABILITY_NAMES as readonly string[]).includes(name)) return explainCapability(name as CapabilityName, options.json === true);
      if (isKnownSyscall(name)) return explainSyscall(name, options.json === true);
      // A number, as in the kernel's audit records (`syscall=257`): this machine's architecture.
      const numbered = /^\d+$/.test(name) ? syscallName(nativeArch(), Number(name)) : undefined;
      if (numbered !== undefined) return explainSyscall(numbered, options.json === true);
      const names = [...CAPABILITY_NAMES, ...SUPPORTED_ARCHES.flatMap((arch) => Object.keys(getArch(arch).syscalls))];
      const guess = suggestName(name, names);
      throw usageError(`"${name}" is neither a capability nor a syscall of ${SUPPORTED_ARCHES.join(' or ')}.`, guess ? `Did you mean "${guess}"?` : `Capabilities: ${CAPABILITY_NAMES.join(', ')}.`);
    });
}

const onArch = (arch: ArchName) => (rule: CatalogRule): boolean => Object.hasOwn(getArch(arch).syscalls, rule.syscall);

function grantsOf(rules: readonly CatalogRule[], syscall: string, by: string): SyscallGrant[] {
  return rules.filter((rule) => rule.syscall === syscall).map((rule) => ({ by, when: describeSpecs(rule.syscall, rule.when), why: rule.why }));
}

function explainSyscall(syscall: string, json: boolean): void {
  const arches = SUPPORTED_ARCHES.map((arch) => {
    if (!Object.hasOwn(getArch(arch).syscalls, syscall)) return { arch, exists: false as const };
    const versions = NODE_MAJORS.filter((major) => nodeBaseline(major).some((rule) => rule.syscall === syscall));
    const baseline = grantsOf(nodeBaseline(), syscall, `baseline (Node ${versions.join(', ')})`);
    const capabilities = CAPABILITY_NAMES.flatMap((name) => grantsOf(CAPABILITY_RULES[name], syscall, name));
    const execStart = [...grantsOf(EXEC_START, syscall, 'exec start'), ...grantsOf(NODE_START, syscall, 'exec start (node)')];
    return { arch, exists: true as const, number: getArch(arch).syscalls[syscall], baseline, capabilities, execStart };
  });
  const enosys = ENOSYS_SYSCALLS[syscall];
  const soft = SOFT_DENIALS.filter((denial) => denial.syscall === syscall).map((denial) => ({ when: describeSpecs(syscall, denial.when), unless: denial.unless, why: denial.why }));
  const alwaysDenied = ALWAYS_DENIED.includes(syscall);
  if (json) return printJson({ syscall, alwaysDenied, enosys: enosys ?? null, softDenials: soft, arches });

  const lines = [out('bold', syscall)];
  if (enosys !== undefined) lines.push(`  always answered ENOSYS, whatever is declared: ${enosys}`);
  else if (alwaysDenied) lines.push('  never allowed, whatever is declared: it gets the violation action (kill or EPERM).');
  for (const denial of soft) lines.push(`  answered EACCES${denial.when.length > 0 ? ` when ${denial.when.join(' && ')}` : ''}${denial.unless.length > 0 ? ` unless ${denial.unless.join(' or ')} is declared` : ''}: ${denial.why}`);
  for (const entry of arches) {
    if (!entry.exists) {
      lines.push(`  ${out('cyan', entry.arch)}: no such syscall on this architecture.`);
      continue;
    }
    lines.push(`  ${out('cyan', entry.arch)} (nr ${entry.number}):`);
    const all = [...entry.baseline, ...entry.capabilities, ...entry.execStart];
    if (all.length === 0 && enosys === undefined) lines.push('    granted by no capability: the violation action.');
    for (const grant of all) lines.push(`    ${out('bold', grant.by)}: ${grant.when.length === 0 ? 'always' : grant.when.join(' && ')} — ${grant.why}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

function explainCapability(name: CapabilityName, json: boolean): void {
  const arches = SUPPORTED_ARCHES.map((arch) => ({
    arch,
    syscalls: CAPABILITY_RULES[name].filter(onArch(arch)).map((rule) => ({ syscall: rule.syscall, when: describeSpecs(rule.syscall, rule.when), why: rule.why })),
  }));
  if (json) return printJson({ capability: name, landlock: LANDLOCK_MEANING[name], arches });
  const lines = [out('bold', name), `  Landlock: ${LANDLOCK_MEANING[name]}`];
  for (const entry of arches) {
    lines.push(`  ${out('cyan', entry.arch)}: ${new Set(entry.syscalls.map((s) => s.syscall)).size} syscalls beyond the baseline`);
    for (const rule of entry.syscalls) lines.push(`    ${rule.syscall}${rule.when.length === 0 ? '' : ` when ${rule.when.join(' && ')}`} — ${rule.why}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
