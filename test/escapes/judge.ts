/**
 * Runs a list of attempts under one declaration and judges them: what each got against what it
 * must get (attempts.ts), and what it left behind (the victim's memory, the file arena, the pty).
 * It returns readable problems, one per attempt that got through or misbehaved; an empty list is
 * a pass. The mechanics (building, spawning, parsing) are harness.ts's.
 */
import type { CapabilityName, ViolationMode } from '@syscage/core';
import { declaration, grants, label, type Attempt } from './attempts.ts';
import { makeArena, runProgram, startVictim, type Arena, type ProbeBuild, type Run, type Step, type Victim } from './harness.ts';

/** Where attempts are made: in the sandboxed Node process, or in probes it spawns. */
export type Via = 'native' | 'probe';

/** What a denied attempt may get, as outcome texts. */
function refusals(attempt: Attempt, mode: ViolationMode): readonly string[] {
  switch (attempt.answer) {
    case 'kill':
      return ['killed SIGSYS'];
    case 'enosys':
      return ['errno 38'];
    case 'eacces':
      return ['errno 13'];
    case 'deny':
      return [mode === 'kill' ? 'killed SIGSYS' : 'errno 1'];
    case 'deny-or-kill':
      return mode === 'kill' ? ['killed SIGSYS'] : ['errno 1', 'killed SIGSYS'];
    case 'deny-or-eacces':
      return [mode === 'kill' ? 'killed SIGSYS' : 'errno 1', 'errno 13'];
    case 'deny-or-eperm':
      return mode === 'kill' ? ['killed SIGSYS', 'errno 1'] : ['errno 1'];
    case 'eacces-or-eperm':
      return ['errno 13', 'errno 1'];
  }
}

/** Whether `outcome` means the attempt worked. */
export function worked(attempt: Attempt, outcome: string): boolean {
  return attempt.success ? attempt.success.test(outcome) : outcome.startsWith('ok');
}

/** Whether an unsandboxed `outcome` shows the attempt works (`ok`) or at least reaches the kernel. */
export function controlHolds(attempt: Attempt, outcome: string, control = attempt.control): boolean {
  if (control === 'ok') return worked(attempt, outcome);
  return !refusals(attempt, 'errno').includes(outcome) && !outcome.startsWith('killed');
}

/** One problem, or undefined when `outcome` is what `attempt` must get (`granted` null: unsandboxed). */
export function judgeOutcome(attempt: Attempt, outcome: string | undefined, granted: boolean | null, mode: ViolationMode): string | undefined {
  if (outcome === undefined) return `${attempt.id}: no outcome (the program stopped earlier)`;
  if (granted === null) {
    return controlHolds(attempt, outcome, attempt.nodeControl ?? attempt.control) ? undefined : `${attempt.id}: unsandboxed control failed: got "${outcome}"`;
  }
  if (granted) {
    if (attempt.positive === false || worked(attempt, outcome)) return undefined;
    return `${attempt.id}: declared, so it must work; got "${outcome}"`;
  }
  const allowed = refusals(attempt, mode);
  if (allowed.includes(outcome)) return undefined;
  const through = worked(attempt, outcome) ? ' — GOT THROUGH' : '';
  return `${attempt.id}: must get ${allowed.map((a) => `"${a}"`).join(' or ')}, got "${outcome}"${through}`;
}

/** The things one run's attempts aim at. */
export interface Targets {
  readonly victim?: Victim;
  readonly arena: Arena;
}

/** The probe argument that aims `attempt` at `targets`. */
export function argFor(attempt: Attempt, targets: Targets): string {
  switch (attempt.aim) {
    case 'none':
      return '';
    case 'victim':
      return String(targets.victim?.pid);
    case 'victim-memory':
      return `${targets.victim?.pid}:${targets.victim?.address}`;
    case 'init':
      return '1';
    case 'runner':
      return String(process.pid);
    case 'tty':
      return '0';
    case 'arena':
      return targets.arena.dir;
    case 'handle':
      return targets.arena.handle;
  }
}

/** The attempts of `list` that make sense `via` this path. */
export function runnable(list: readonly Attempt[], via: Via): Attempt[] {
  return list.filter((a) => (a.where ?? 'both') === 'both' || a.where === (via === 'native' ? 'in-process' : 'probe'));
}

/** What a run is: a declaration (null: unsandboxed), a mode, a path, a Node binary. */
export interface Trial {
  readonly build: ProbeBuild;
  readonly node: string;
  readonly names: readonly CapabilityName[] | null;
  readonly mode: ViolationMode;
  readonly via: Via;
  readonly attempts: readonly Attempt[];
}

/** Runs `trial` in one sandboxed program and returns every problem found (empty: all as required). */
export async function judgeTrial(trial: Trial): Promise<string[]> {
  const needsVictim = trial.attempts.some((a) => a.aim === 'victim' || a.aim === 'victim-memory');
  const [arena, victim] = await Promise.all([makeArena(trial.build), needsVictim ? startVictim(trial.build) : undefined]);
  const targets: Targets = { arena, ...(victim ? { victim } : {}) };
  try {
    const steps: Step[] = trial.attempts.map((a) => ({ id: a.id, kind: trial.via, attempt: a.attempt, arg: argFor(a, targets), tty: a.aim === 'tty' }));
    const caps = trial.names === null ? null : declaration(trial.names, trial.mode);
    const run = await runProgram({ node: trial.node, caps, steps, build: trial.build, cwd: arena.dir });
    const granted = (a: Attempt): boolean => trial.names === null || grants(trial.names, a);
    const problems = checkStart(run, trial.names !== null);
    for (const a of trial.attempts) {
      const problem = judgeOutcome(a, run.outcomes.get(a.id), trial.names === null ? null : granted(a), trial.mode);
      if (problem) problems.push(problem);
    }
    problems.push(...(await checkLeftovers(trial.attempts.filter((a) => !granted(a)), run, targets)));
    return problems.map((p) => `${trial.names === null ? 'unsandboxed' : label(trial.names)}, ${trial.mode} mode, ${trial.via}: ${p}`);
  } finally {
    await Promise.all([arena.remove(), victim?.finish()]);
  }
}

function checkStart(run: Run, sandboxed: boolean): string[] {
  if (run.ready === undefined) return [`the program did not start (${run.ended}): ${run.stderr.trim() || run.stdout.trim()}`];
  if (sandboxed && (!run.ready.applied || (run.ready.kernelFilters ?? 0) < 1)) return [`no sandbox applied: ${JSON.stringify(run.ready)}`];
  return [];
}

/** What denied attempts must not have left behind. */
async function checkLeftovers(denied: readonly Attempt[], run: Run, targets: Targets): Promise<string[]> {
  const problems: string[] = [];
  const ids = new Set(denied.map((a) => a.id));
  if ((ids.has('process-vm-writev') || ids.has('proc-mem-write')) && targets.victim) {
    const buffer = await targets.victim.finish();
    if (buffer !== 'untouched') problems.push(`process-vm-writev, proc-mem-write: the victim's memory now holds "${buffer}" — GOT THROUGH`);
  }
  if ((ids.has('tiocsti') || ids.has('tiocsti-hibits')) && run.ptyReceived.includes('78')) {
    problems.push(`tiocsti: the terminal echoed injected input (${run.ptyReceived}) — GOT THROUGH`);
  }
  // ENOSYS rows reach nothing whatever is declared; they must not make granted writes look like escapes.
  if (denied.some((a) => a.aim === 'arena' && a.grantedBy !== 'baseline' && a.id !== 'name-to-handle-at' && a.answer !== 'enosys')) {
    const { entries, victim, attributes } = await targets.arena.inspect();
    if (victim !== 'intact\n' || entries.join(',') !== 'deletable,victim') {
      problems.push(`file arena changed: entries ${entries.join(',')}, victim ${JSON.stringify(victim)} — GOT THROUGH`);
    }
    if (attributes !== targets.arena.attributes) problems.push(`victim's mode, owner or times changed: ${targets.arena.attributes} → ${attributes} — GOT THROUGH`);
  }
  return problems;
}
