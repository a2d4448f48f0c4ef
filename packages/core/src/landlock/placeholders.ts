/**
 * Fills the implicit read set's placeholders (implicit.ts says what each stands for) from facts
 * about one program: the one place where `{program}`, `{modules}`, `{package-json}`, `{loader}`,
 * `{node}`, `{interpreter}`, `{extra-ca-certs}` and `{all-but-processes}` become paths. Pure: it
 * reads nothing. Whoever knows the program gathers the facts: the runtime for its own process,
 * the CLI for the program `exec` runs, `inspect` reads or `trace` watched. Published as
 * `@syscage/core/landlock-placeholders` so that the runtime's single-file loader carries it
 * without loading core's index.
 */

/** Values for a plan's `{placeholder}` paths; an unset one is skipped where rules are added. */
export type LandlockPlaceholders = Readonly<Partial<Record<'program' | 'loader' | 'modules' | 'package-json' | 'extra-ca-certs' | 'node' | 'interpreter' | 'all-but-processes', string | readonly string[] | undefined>>>;

/**
 * What is known about a program. Each placeholder is filled only from its own fact: an absent
 * fact leaves its placeholders unset (not known here), not empty.
 */
export interface PlaceholderFacts {
  /**
   * The real directory of the main module, and the names in it (`undefined`: not read, or not
   * readable; the directory is then granted whole). Fills `{program}`, `{modules}` and
   * `{package-json}`.
   */
  readonly program?: { readonly dir: string; readonly entries?: readonly string[] | undefined } | undefined;
  /** The real directories of the packages the loader reads (the runtime, core, ffi-rs and its binding). */
  readonly loader?: readonly (string | undefined)[] | undefined;
  /** The Node executable (real path where known). */
  readonly node?: string | undefined;
  /** The ELF interpreter(s) of the executables started. */
  readonly interpreter?: string | readonly string[] | undefined;
  /** `NODE_EXTRA_CA_CERTS`, when set. */
  readonly extraCaCerts?: string | undefined;
  /** The names in `/` and in `/proc` when the sandbox starts (an unreadable one: empty). */
  readonly listings?: { readonly root: readonly string[]; readonly proc: readonly string[] } | undefined;
}

/**
 * The placeholders' values for `facts`.
 * @example
 * fillPlaceholders({ program: { dir: '/srv/app', entries: ['.env', 'app.mjs'] } });
 * // { program: ['/srv/app/app.mjs'], modules: ['/srv/app/node_modules', '/srv/node_modules'], 'package-json': [...] }
 */
export function fillPlaceholders(facts: PlaceholderFacts): LandlockPlaceholders {
  const values: Record<string, string | readonly string[] | undefined> = {};
  if (facts.program !== undefined) {
    const dirs = dirsAbove(facts.program.dir);
    values['program'] = programReadPaths(facts.program.dir, facts.program.entries);
    values['modules'] = dirs.map((dir) => `${dir}/node_modules`);
    values['package-json'] = dirs.map((dir) => `${dir}/package.json`);
  }
  if (facts.loader !== undefined) values['loader'] = [...new Set(facts.loader.filter((dir): dir is string => dir !== undefined))];
  if ('node' in facts) values['node'] = facts.node;
  if ('interpreter' in facts) values['interpreter'] = facts.interpreter;
  if ('extraCaCerts' in facts) values['extra-ca-certs'] = facts.extraCaCerts || undefined;
  if (facts.listings !== undefined) values['all-but-processes'] = allButProcesses(facts.listings.root, facts.listings.proc);
  return values;
}

/**
 * The paths a rule's `path` stands for: itself, or a placeholder's values (`undefined` when the
 * placeholder is unset).
 */
export function expandPlaceholder(path: string, values: LandlockPlaceholders | undefined): readonly string[] | undefined {
  const name = placeholderName(path);
  if (name === undefined) return [path];
  const value = values?.[name as keyof LandlockPlaceholders];
  return value === undefined ? undefined : typeof value === 'string' ? [value] : value;
}

/** The name of the placeholder `path` is (`{program}` → `program`), if it is one. */
export function placeholderName(path: string): string | undefined {
  return /^\{([\w-]+)\}$/.exec(path)?.[1];
}

/**
 * `{program}`: the directory, or, when it holds hidden entries (`.env`, `.git`, `.npmrc`: a
 * program at a project's root), each of its other entries, so that the program's modules and
 * chunks stay readable (at the restart too) and the project's secrets do not. A snapshot: entries
 * made later are not readable through it.
 */
function programReadPaths(dir: string, names: readonly string[] | undefined): string[] {
  if (names === undefined || !names.some((name) => name.startsWith('.'))) return [dir];
  return names.filter((name) => !name.startsWith('.')).map((name) => `${dir}/${name}`);
}

/**
 * `{all-but-processes}` (`fs.read: true`): every entry of `/` but /proc, every entry of /proc
 * that is not a process (cpuinfo, meminfo, sys, …), and the process's own /proc/self, so that
 * another process's environ, maps and auxv stay unreadable.
 */
function allButProcesses(root: readonly string[], proc: readonly string[]): string[] {
  const top = root.filter((name) => name !== 'proc').map((name) => `/${name}`);
  const own = proc.filter((name) => !/^\d+$/.test(name) && name !== 'self' && name !== 'thread-self').map((name) => `/proc/${name}`);
  return [...top, ...own, '/proc/self'];
}

/**
 * `dir` and every directory above it, short of the root: where Node's module resolution looks
 * for node_modules and package.json.
 * @example
 * dirsAbove('/srv/app/dist'); // ['/srv/app/dist', '/srv/app', '/srv']
 */
export function dirsAbove(dir: string): string[] {
  const dirs: string[] = [];
  for (let at = dir; at !== parentOf(at); at = parentOf(at)) dirs.push(at);
  return dirs;
}

/** POSIX `dirname` for the absolute, normalised paths realpath gives. */
function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash > 0 ? path.slice(0, slash) : slash === 0 ? '/' : '.';
}
