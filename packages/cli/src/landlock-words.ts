/**
 * A Landlock plan in plain words, for `inspect`: what the domain denies, and per rule what it
 * allows, on which real paths (the implicit read set's placeholders filled for the program's
 * location) and why. Words only: the plan itself is core's, applied by the runtime.
 */

import { DNS_PATHS, EXEC_START_PATHS, NODE_IMPLICIT_PATHS, PROGRAM_DIRS, expandPlaceholder, placeholderName, type LandlockPlaceholders, type LandlockPlan } from '@syscage/core';


/** One rule of a plan, said. */
export interface RuleWords {
  /** E.g. "may read files and list directories beneath /srv/app/dist (the program's own directory)". */
  readonly says: string;
  /** As the plan has it: a path, a `{placeholder}` or a port. */
  readonly rule: string;
  /** The real paths a placeholder stands for here (absent for a plain path or a port). */
  readonly resolved?: readonly string[];
  readonly access: readonly string[];
  readonly from: string;
}

/** A plan, said. */
export interface PlanWords {
  /** What the domain denies except where a rule allows it. */
  readonly denies: string;
  readonly rules: readonly RuleWords[];
}

/** Handled rights, grouped as people say them (every write right is "writing, creating and removing files"). */
const FS_WORDS: Readonly<Record<string, string>> = {
  read_file: 'reading files',
  read_dir: 'listing directories',
  execute: 'executing programs',
  make_char: 'creating device nodes',
  make_block: 'creating device nodes',
  ioctl_dev: 'ioctls on devices',
};
const WRITE_WORDS = 'writing, creating, moving and removing files';

const PLACEHOLDER_WORDS: Readonly<Record<string, string>> = {
  program: "the program's own directory",
  modules: 'the node_modules directories above the program',
  'package-json': 'the package.json files above the program',
  loader: "syscage's runtime and ffi-rs, which the restarted image opens again and the program may import",
  node: 'the Node executable, run again at the restart',
  interpreter: 'the dynamic loader',
  'extra-ca-certs': 'the NODE_EXTRA_CA_CERTS file, when set as the program starts',
  'all-but-processes': "everything but other processes' /proc/<pid>: every top-level entry but /proc, /proc's own entries and /proc/self",
};

const WHY = new Map([...NODE_IMPLICIT_PATHS, ...EXEC_START_PATHS, ...PROGRAM_DIRS, ...DNS_PATHS].map((entry) => [entry.path, entry.why]));

/**
 * `plan` in words, its placeholders filled from `placeholders`; `isFile` tells a file from a
 * directory (a file is read, a directory's files are read beneath it).
 * @example
 * describePlan(planLandlock(resolveCapabilities({ fs: { read: ['./data'] } })), {}).rules[0]?.says;
 * // "may read files and list directories beneath ./data (declared: fs.read; relative to the working directory when the program starts)"
 */
export function describePlan(plan: LandlockPlan, placeholders: LandlockPlaceholders, isFile: (path: string) => boolean = () => false): PlanWords {
  const fs = [...new Set(plan.handledFs.map((right) => FS_WORDS[right] ?? WRITE_WORDS))];
  const net = plan.handledNet.map((right) => (right === 'connect_tcp' ? 'connecting to TCP ports' : 'binding TCP ports'));
  const scoped = plan.scoped.map((scope) => (scope === 'signal' ? 'signals' : 'abstract unix sockets'));
  const denies = [
    `denies ${[...fs, ...net].join(', ') || 'nothing'}, except where a rule below allows it`,
    ...(scoped.length > 0 ? [`${scoped.join(' and ')} cannot reach processes outside the sandbox`] : []),
    plan.mode === 'enforce' ? 'a kernel without a right this needs refuses to run the program' : 'a kernel without a right this needs runs the program without that restriction, with a warning',
  ].join('; ');
  const rules: RuleWords[] = plan.paths.map((rule) => {
    const name = placeholderName(rule.path);
    const resolved = name === undefined ? undefined : expandPlaceholder(rule.path, placeholders);
    const label = name === undefined ? undefined : (PLACEHOLDER_WORDS[name] ?? name);
    const says =
      name === undefined
        ? `may ${verb(rule.access, isFile(rule.path))} ${rule.path} (${reason(rule.path, rule.from)})`
        : resolved === undefined || resolved.length === 0
          ? `may ${verb(rule.access, false)} ${rule.path}: ${label} (${resolved === undefined ? 'resolved when the program starts' : 'none found from the program\'s directory'})`
          : `may ${verb(rule.access, resolved.every(isFile))} ${resolved.join(', ')} (${label})`;
    return { says, rule: rule.path, ...(resolved === undefined ? {} : { resolved }), access: rule.access, from: rule.from };
  });
  for (const rule of plan.ports) {
    const bind = rule.access.includes('bind_tcp');
    const says = rule.port === 0 && bind ? 'may bind TCP port 0, a port the kernel picks (a client binding before it connects)' : `may ${bind ? 'bind' : 'connect to'} TCP port ${rule.port} (declared: ${rule.from})`;
    rules.push({ says, rule: `port ${rule.port}`, access: rule.access, from: rule.from });
  }
  return { denies, rules };
}

/** What a rule's rights allow, as a verb phrase with its preposition (none for a file). */
function verb(access: readonly string[], file: boolean): string {
  const has = (right: string): boolean => access.includes(right);
  if (has('make_reg') || has('remove_file')) return 'read, write, create and remove files and directories beneath';
  if (has('execute')) return 'execute';
  if (has('write_file')) return 'read and write';
  if (has('read_file') && has('read_dir')) return file ? 'read' : 'read files and list directories beneath';
  if (has('read_dir')) return 'list the directory';
  if (has('read_file')) return 'read';
  return `use (${access.join(' ')})`;
}

/** Why a path rule is there: declared, or a reason of core's implicit sets. */
function reason(path: string, from: string): string {
  const why = WHY.get(path);
  if (why !== undefined && from !== 'fs.read' && from !== 'fs.write') return `${why}; ${from}`;
  return `declared: ${from}${path.startsWith('/') ? '' : '; relative to the working directory when the program starts'}`;
}
