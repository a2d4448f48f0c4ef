/**
 * What a declaration must still refuse where its lists and flags leave the kernel room (issue 12),
 * tried on every supported Node version: another process's memory and environment through /proc
 * (Landlock's ptrace scoping, on Node 20 too, where no io_uring restart brings a domain along),
 * abstract unix sockets (Landlock's scope), unix sockets under `dns`, attribute changes (modes,
 * owners, times) outside an `fs.write` list, privileged memory advice, and the implicit read set
 * of a program at a project's root. Each case names its declaration, the attempts (raw calls in
 * the Node process or in a spawned probe, or Node API calls) and what each must get; where root
 * masks the outcome the case also runs as an unprivileged user. The attempts' own controls (they
 * work unsandboxed) are in escapes.test.ts; the ones that need this file's targets are here.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Capabilities, ViolationMode } from '@syscage/core';
import { NOBODY, canDropPrivileges, makeArena, runProgram, startVictim, type Arena, type NodeMajor, type ProbeBuild, type Run, type Step, type UnprivilegedUser, type Victim } from './harness.ts';
import type { SuiteContext } from './node-behaviour.ts';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** What an attempt must get: refused by the filter (SIGSYS, or EPERM in errno mode), an errno in both modes, or through. */
type Must = 'refused' | 'eacces' | 'eperm' | 'enosys' | 'ok';

/** The things a case aims at. */
interface Targets {
  readonly arena: Arena;
  readonly victim: Victim;
  /** The directory a write list names (outside the arena). */
  readonly out: string;
  /** A project root holding package.json, .env, .git/config, src/ and logs/ (item 5). */
  readonly project: string;
}

interface LimitStep {
  /** No spaces: the program reports `outcome ID TEXT`. */
  readonly id: string;
  readonly kind: 'native' | 'probe' | 'js';
  readonly attempt: string;
  readonly arg: (t: Targets) => string;
  readonly must: Must;
  /** Unsandboxed: `ok` (default), or `reaches` (any answer but the sandbox's own). */
  readonly control?: 'ok' | 'reaches';
}

interface LimitCase {
  readonly name: string;
  readonly caps: (t: Targets) => Capabilities;
  readonly steps: readonly LimitStep[];
  /** Run the program (and the victim, and own the arena) as an unprivileged user. */
  readonly user?: UnprivilegedUser;
  /** Run `project/app.mjs`, which imports attempt.mjs, so that the program lives at a project's root. */
  readonly atProjectRoot?: boolean;
  /** Only these modes (default both). */
  readonly modes?: readonly ViolationMode[];
}

const victimPid = (t: Targets): string => String(t.victim.pid);
const victimMemory = (t: Targets): string => `${t.victim.pid}:${t.victim.address}`;
const arenaDir = (t: Targets): string => t.arena.dir;
const step = (kind: LimitStep['kind'], attempt: string, arg: LimitStep['arg'], must: Must, id = `${attempt}${kind === 'native' ? '' : `/${kind}`}`): LimitStep => ({ id, kind, attempt, arg, must });

/** Another process's memory and environment, and privileged advice: refused under every declaration. */
const OTHER_PROCESS = (via: 'native' | 'probe', writeReachesLandlock: boolean): LimitStep[] => [
  step(via, 'proc-mem-read', victimMemory, 'eacces'),
  step(via, 'proc-mem-write', victimMemory, writeReachesLandlock ? 'eacces' : 'refused'),
  step(via, 'proc-environ', victimPid, 'eacces'),
];

const ATTRIBUTES = ['chmod', 'fchmodat', 'chown', 'lchown', 'fchownat', 'utimensat', 'utimes', 'futimesat', 'utime', 'fchownat-empty-path', 'fchmod-rdonly', 'fchown-rdonly', 'futimens-rdonly'];
const ATTRIBUTE_STEPS: LimitStep[] = [
  ...ATTRIBUTES.map((attempt) => step('native', attempt, arenaDir, 'refused')),
  // Newer than the syscall tables: unknown numbers answer ENOSYS.
  step('native', 'fchmodat2', arenaDir, 'enosys'),
  step('native', 'fchmodat2-empty-path', arenaDir, 'enosys'),
  step('js', 'chmod', (t) => join(t.arena.dir, 'victim'), 'refused'),
  // libuv's copyfile sets the copy's mode with fchmod, which could reach any readable file: refused under a list (README).
  step('js', 'copy-file', (t) => `${join(t.arena.dir, 'victim')}|${join(t.out, 'copy')}`, 'refused'),
  step('js', 'write-file', (t) => join(t.out, 'written'), 'ok'),
];

const UNIX_UNDER_DNS: LimitStep[] = [
  step('native', 'socket-unix', () => '', 'eacces'),
  step('native', 'unix-connect', victimPid, 'eacces'),
  step('native', 'abstract-connect', victimPid, 'eacces'),
  step('js', 'unix-connect', (t) => `/tmp/syscage-escape-${t.victim.pid}.sock`, 'eacces'),
  step('js', 'dns-lookup', () => 'localhost', 'ok'),
];

const CASES: readonly LimitCase[] = [
  // Item 3: every declaration gets a Landlock domain, so /proc/PID/mem of a process outside it is
  // out of reach (ptrace scoping), also where the filter lets the open through.
  { name: '{fs.read}', caps: () => ({ fs: { read: true } }), steps: [...OTHER_PROCESS('native', false), step('native', 'abstract-connect', victimPid, 'refused'), { ...step('native', 'madvise-hwpoison', () => '', 'refused'), control: 'reaches' }, { ...step('native', 'madvise-soft-offline', () => '', 'refused'), control: 'reaches' }] },
  { name: '{fs.read, fs.write}', caps: () => ({ fs: { read: true, write: true } }), steps: OTHER_PROCESS('native', true) },
  { name: '{fs.read, fs.write} as nobody', caps: () => ({ fs: { read: true, write: true } }), steps: OTHER_PROCESS('native', true), user: NOBODY },
  { name: '{fs.read, spawn}, in a spawned probe', caps: () => ({ fs: { read: true }, spawn: true }), steps: [...OTHER_PROCESS('probe', true), step('probe', 'abstract-dgram', victimPid, 'eperm')] },
  // Item 7: a spawn list runs what it lists; the Node binary was executable only for the restart.
  { name: "{fs.read, spawn: ['/bin/echo']}", caps: () => ({ fs: { read: true }, spawn: ['/bin/echo'] }), steps: [step('js', 'spawn-node', () => '', 'eacces')] },
  // Item 2: dns reaches no unix socket, and name resolution still works.
  { name: '{fs.read, dns}', caps: () => ({ fs: { read: true }, dns: true }), steps: [...OTHER_PROCESS('native', false), ...UNIX_UNDER_DNS] },
  { name: "{fs.read: ['./logs'], dns}", caps: (t) => ({ fs: { read: [join(t.project, 'logs')] }, dns: true }), steps: UNIX_UNDER_DNS },
  // Item 1: no attribute change with a write list, whatever the descriptor or path form.
  { name: '{fs.read, fs.write: [out]}', caps: (t) => ({ fs: { read: true, write: [t.out] } }), steps: ATTRIBUTE_STEPS },
  { name: '{fs.read: [arena], fs.write: [out]}', caps: (t) => ({ fs: { read: [t.arena.dir], write: [t.out] } }), steps: ATTRIBUTE_STEPS },
  { name: '{fs.read, fs.write: [out]} as nobody', caps: (t) => ({ fs: { read: true, write: [t.out] } }), steps: ATTRIBUTE_STEPS, user: NOBODY, modes: ['errno'] },
  // Item 5: a program at a project's root reads its sources, not the project's secrets.
  {
    name: "a program at the project root, {fs.read: ['./logs']}",
    caps: (t) => ({ fs: { read: [join(t.project, 'logs'), fixtures] } }),
    atProjectRoot: true,
    steps: [
      step('js', 'read-file', (t) => join(t.project, '.env'), 'eacces', 'project/.env'),
      step('js', 'read-file', (t) => join(t.project, '.git/config'), 'eacces', 'project/.git/config'),
      step('js', 'read-dir', () => '/etc/ssl/private', 'eacces', '/etc/ssl/private'),
      step('js', 'read-file', (t) => join(t.project, 'src/lazy.mjs'), 'ok', 'project/src/lazy.mjs'),
      step('js', 'read-file', (t) => join(t.project, 'logs/today.log'), 'ok', 'project/logs/today.log'),
      step('js', 'read-dir', () => '/etc/ssl/certs', 'ok', '/etc/ssl/certs'),
      step('js', 'read-file', () => '/etc/ssl/openssl.cnf', 'ok', '/etc/ssl/openssl.cnf'),
    ],
  },
];

function answers(must: Must, mode: ViolationMode): readonly string[] {
  if (must === 'refused') return [mode === 'kill' ? 'killed SIGSYS' : 'errno 1'];
  if (must === 'eacces') return ['errno 13'];
  if (must === 'eperm') return ['errno 1'];
  if (must === 'enosys') return ['errno 38'];
  return [];
}

function judge(steps: readonly LimitStep[], run: Run, mode: ViolationMode, sandboxed: boolean): string[] {
  const problems: string[] = [];
  if (run.ready === undefined) return [`the program did not start (${run.ended}): ${run.stderr.trim() || run.stdout.trim()}`];
  if (sandboxed && !(run.ready.applied && run.ready.landlock?.applied)) problems.push(`no sandbox with a Landlock domain: ${JSON.stringify(run.ready)}`);
  for (const s of steps) {
    const outcome = run.outcomes.get(s.id);
    const must = sandboxed ? s.must : 'ok';
    const reaches = !sandboxed && s.control === 'reaches';
    const fine = reaches ? outcome !== undefined && !outcome.startsWith('killed') && outcome !== 'errno 1' : must === 'ok' ? outcome?.startsWith('ok') === true : answers(must, mode).includes(outcome ?? '');
    if (!fine) problems.push(`${s.id}: must ${must === 'ok' ? 'work' : `get ${answers(must, mode).join(' or ')}`}, got "${outcome}"${must !== 'ok' && outcome?.startsWith('ok') ? ' — GOT THROUGH' : ''}`);
  }
  return problems;
}

/** Makes the targets of one run and removes them afterwards. */
async function withTargets<T>(build: ProbeBuild, user: UnprivilegedUser | undefined, use: (t: Targets) => Promise<T>): Promise<T> {
  const [arena, victim, base] = await Promise.all([makeArena(build, user), startVictim(build, user), mkdtemp(join(tmpdir(), 'syscage-limits-'))]);
  try {
    const out = join(base, 'out');
    const project = join(base, 'project');
    await Promise.all([mkdir(out), ...['src', 'logs', '.git'].map((dir) => mkdir(join(project, dir), { recursive: true }))]);
    await Promise.all([
      writeFile(join(project, 'package.json'), '{ "type": "module" }\n'),
      writeFile(join(project, '.env'), 'SECRET=1\n'),
      writeFile(join(project, '.git/config'), '[remote "origin"]\n'),
      writeFile(join(project, 'src/lazy.mjs'), 'export {};\n'),
      writeFile(join(project, 'logs/today.log'), 'log\n'),
      writeFile(join(project, 'app.mjs'), `import ${JSON.stringify(join(fixtures, 'attempt.mjs'))};\n`),
    ]);
    if (user) await import('node:child_process').then(({ execFileSync }) => execFileSync('chown', ['-R', `${user.uid}:${user.gid}`, base]));
    return await use({ arena, victim, out, project });
  } finally {
    await Promise.all([arena.remove(), victim.finish(), rm(base, { recursive: true, force: true })]);
  }
}

/** Runs `steps` of `c` in one program (null caps: unsandboxed) and returns the problems. */
async function runCase(ctx: SuiteContext, major: NodeMajor, c: LimitCase, mode: ViolationMode, steps: readonly LimitStep[], sandboxed: boolean): Promise<string[]> {
  return withTargets(ctx.build(), c.user, async (t) => {
    const programSteps: Step[] = steps.map((s) => ({ id: s.id, kind: s.kind, attempt: s.attempt, arg: s.arg(t) }));
    const run = await runProgram({
      node: ctx.node(major),
      caps: sandboxed ? { ...c.caps(t), onViolation: mode } : null,
      steps: programSteps,
      build: ctx.build(),
      cwd: c.atProjectRoot ? t.project : t.arena.dir,
      ...(c.user ? { user: c.user } : {}),
      ...(c.atProjectRoot ? { program: join(t.project, 'app.mjs') } : {}),
    });
    const problems = judge(steps, run, mode, sandboxed);
    const { attributes } = await t.arena.inspect();
    if (sandboxed && attributes !== t.arena.attributes) problems.push(`the arena's victim changed mode, owner or times: ${t.arena.attributes} → ${attributes} — GOT THROUGH`);
    if (sandboxed && steps.some((s) => s.attempt === 'proc-mem-write')) {
      const buffer = await t.victim.finish();
      if (buffer !== 'untouched') problems.push(`the victim's memory now holds "${buffer}" — GOT THROUGH`);
    }
    return problems.map((p) => `${sandboxed ? `${c.name}, ${mode} mode` : `${c.name}, unsandboxed`}: ${p}`);
  });
}

/** Registers the declared-limit cases for every major in `majors`. */
export function describeDeclaredLimits(majors: readonly NodeMajor[], ctx: SuiteContext): void {
  const dropping = canDropPrivileges();
  describe.concurrent.each(majors.map((major) => ({ major })))('Node $major: what declared lists and flags still refuse (issue 12)', ({ major }) => {
    for (const c of CASES) {
      const skip = c.user !== undefined && !dropping;
      it.skipIf(skip)(`${c.name}, unsandboxed (control): every attempt works`, async () => {
        // The control of a js copy or write under a list needs nothing; raw attempts work unsandboxed.
        const problems = await runCase(ctx, major, c, 'errno', c.steps, false);
        expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
      });
      for (const mode of c.modes ?? (['errno', 'kill'] as const)) {
        // In kill mode a refusal in the Node process ends it: each such attempt gets its own program.
        const ends = (s: LimitStep): boolean => mode === 'kill' && s.must === 'refused' && s.kind !== 'probe';
        const groups = [c.steps.filter((s) => !ends(s)), ...c.steps.filter(ends).map((s) => [s])].filter((g) => g.length > 0);
        it.skipIf(skip)(`${c.name}, ${mode} mode: ${c.steps.length} attempts in ${groups.length} program${groups.length === 1 ? '' : 's'}`, async () => {
          const problems = (await Promise.all(groups.map((g) => runCase(ctx, major, c, mode, g, true)))).flat();
          expect(problems, `\n${problems.join('\n')}\n`).toEqual([]);
        });
      }
    }
  });
}
