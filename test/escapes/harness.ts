/**
 * The escape suite's machinery: builds probe.c (the executable and libescape.so) with the
 * machine's gcc, cached under `fixtures/build/` (not hidden: a program's hidden entries are outside its implicit read set) by a hash of the source (beside the attempt
 * program, so they are part of it: the Landlock domain lets a program read its own directory,
 * also when the sandbox restarts it and the library is loaded again); finds the
 * Node binaries (20 from the PATH, 22, 24 and 26 through scripts/baseline/install-node.mjs); runs
 * fixtures/attempt.mjs in a child process under a fresh pty and parses what it printed; and makes
 * the things attempts aim at (a victim process, a file arena, a file handle). It judges nothing
 * and never installs a filter in this process: every sandbox lives in a child.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chown, mkdir, mkdtemp, readFile, readdir, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Capabilities } from '@syscage/core';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const fixture = join(here, 'fixtures', 'attempt.mjs');
const gccFlags = ['-O2', '-Wall', '-Wextra', '-std=gnu11'];
const execFileAsync = promisify(execFile);

/** Whether the suite can run here: Linux x86_64 (the probe has i386/x32 asm), gcc, a built runtime. */
export function suiteAvailable(): { ok: true } | { ok: false; reason: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64') return { ok: false, reason: `needs Linux on x86_64; this is ${process.platform}-${process.arch}` };
  if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status !== 0) return { ok: false, reason: 'no working gcc on the PATH' };
  if (spawnSync('test', ['-f', join(repoRoot, 'packages/runtime/dist/index.js')]).status !== 0) return { ok: false, reason: 'packages/runtime is not built (pnpm build)' };
  return { ok: true };
}

/** Paths of the two builds of probe.c. */
export interface ProbeBuild {
  readonly probe: string;
  readonly library: string;
}

/** Compiles probe.c as an executable and as libescape.so, once per source hash. */
export async function buildProbe(): Promise<ProbeBuild> {
  const sourceFile = join(here, 'probe.c');
  const source = await readFile(sourceFile);
  const hash = createHash('sha256').update(gccFlags.join(' ')).update('\0').update(source).digest('hex').slice(0, 16);
  const dir = join(here, 'fixtures', 'build');
  await mkdir(dir, { recursive: true });
  const build = async (output: string, extra: string[]): Promise<string> => {
    const file = join(dir, output);
    if (await exists(file)) return file;
    const partial = `${file}.${process.pid}.tmp`; // parallel workers may build at the same time
    try {
      await execFileAsync('gcc', [...gccFlags, ...extra, '-o', partial, sourceFile]);
    } catch (error) {
      throw new Error(`gcc could not build ${sourceFile}:\n${(error as { stderr?: string }).stderr ?? ''}`, { cause: error });
    }
    await rename(partial, file);
    return file;
  };
  const [probe, library] = await Promise.all([build(`probe-${hash}`, []), build(`libescape-${hash}.so`, ['-shared', '-fPIC', '-DESCAPE_LIBRARY'])]);
  return { probe, library };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The Node majors every Node-behaviour attempt runs on. */
export const NODE_MAJORS = [20, 22, 24, 26] as const;
export type NodeMajor = (typeof NODE_MAJORS)[number];

/** The node binary per major (installing 22, 24 and 26 into .cache/node on first use). */
export async function nodeBinaries(): Promise<Record<NodeMajor, string>> {
  const script = pathToFileURL(join(repoRoot, 'scripts/baseline/install-node.mjs')).href;
  const { installNode } = (await import(script)) as {
    installNode: (options: { majors: readonly number[]; log: (line: string) => void }) => Promise<Array<{ major: number; path: string }>>;
  };
  const nodes = await installNode({ majors: NODE_MAJORS, log: () => undefined });
  const path = (major: NodeMajor): string => nodes.find((n) => n.major === major)?.path ?? '';
  return { 20: path(20), 22: path(22), 24: path(24), 26: path(26) };
}

/** One step of attempt.mjs (see its header). */
export interface Step {
  readonly id: string;
  readonly kind: 'native' | 'probe' | 'spawn-sync' | 'spawn-async' | 'fs-async' | 'ring-fds' | 'pause' | 'js';
  readonly attempt?: string;
  readonly arg?: string;
  readonly tty?: boolean;
}

/** What the sandboxed program reported about itself (`status()`), as far as the suite uses it. */
export interface ReadyStatus {
  readonly applied: boolean;
  readonly grants: readonly string[];
  readonly onViolation?: string;
  readonly node: number;
  readonly reexecuted: boolean;
  readonly kernelFilters?: number;
  readonly landlock?: { readonly abi: number; readonly applied: boolean };
}

/** One run of attempt.mjs. */
export interface Run {
  /** Step id → its outcome text: `ok ...`, `errno N`, `killed SIGNAL` (the step or the whole program died of it), or whatever was printed instead. */
  readonly outcomes: ReadonlyMap<string, string>;
  readonly ready: ReadyStatus | undefined;
  readonly done: boolean;
  /** How the program ended: `exit:N` or `signal:SIGNAME`. */
  readonly ended: string;
  /** Hex of the bytes the pty master received (terminal echo: injected input shows here). */
  readonly ptyReceived: string;
  readonly stdout: string;
  readonly stderr: string;
}

/** What to run. */
export interface RunSpec {
  readonly node: string;
  readonly caps: Capabilities | null;
  readonly steps: readonly Step[];
  readonly build: ProbeBuild;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** Run the program as this unprivileged user (through `setpriv`), where root would change the outcome. */
  readonly user?: UnprivilegedUser;
  /** The program to run instead of fixtures/attempt.mjs (one that imports it, from elsewhere). */
  readonly program?: string;
  /** Run without the pty wrapper, so the child's pid is the program's; called on `paused`. */
  readonly onPaused?: (pid: number) => Promise<void>;
  readonly timeoutMs?: number;
}

/** Runs attempt.mjs with `spec` and parses its report. Rejects only on a timeout or a spawn error. */
export function runProgram(spec: RunSpec): Promise<Run> {
  const env = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    ...spec.env,
    SYSCAGE_ESCAPE_LIBRARY: spec.build.library,
    SYSCAGE_ESCAPE_SPEC: JSON.stringify({ caps: spec.caps, probe: spec.build.probe, steps: spec.steps }),
  };
  const paused = spec.onPaused;
  const program = spec.program ?? fixture;
  const [node, nodeArgs] = spec.user ? ['setpriv', [...setprivArgs(spec.user), spec.node, program]] : [spec.node, [program]];
  const [file, args] = paused ? [node, nodeArgs] : [spec.build.probe, ['pty-exec', node, ...nodeArgs]];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, args, { cwd: spec.cwd ?? tmpdir(), env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), spec.timeoutMs ?? 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (paused && child.pid !== undefined && chunk.includes('paused\n')) {
        paused(child.pid).then(() => child.stdin.end(), reject);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    if (!paused) child.stdin.end();
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return reject(new Error(`attempt.mjs timed out; it printed:\n${stdout}\n${stderr}`));
      resolvePromise(parseRun(stdout, stderr, paused ? (signal ? `signal:${signal}` : `exit:${code}`) : undefined));
    });
  });
}

function parseRun(stdout: string, stderr: string, ended: string | undefined): Run {
  const outcomes = new Map<string, string>();
  let ready: ReadyStatus | undefined;
  let done = false;
  let pending: string | undefined; // a step that started and has not reported
  let stray: string[] = [];
  let endedBy = ended ?? 'unknown';
  let ptyReceived = '';
  for (const line of stdout.split('\n')) {
    const [word = '', rest = ''] = splitFirst(line);
    if (word === 'ready') ready = JSON.parse(rest) as ReadyStatus;
    else if (word === 'attempt') {
      pending = rest;
      stray = [];
    } else if (word === 'outcome') {
      const [id = '', text = ''] = splitFirst(rest);
      outcomes.set(id, text);
      pending = undefined;
    } else if (word === 'done') done = true;
    else if (word === 'pty') {
      const [status = '', received = ''] = splitFirst(rest);
      endedBy = status.replace(/^signal:(?!SIG)/, 'signal:SIG');
      ptyReceived = received;
    } else if (line !== '' && line !== 'paused') stray.push(line);
  }
  // The program died in the middle of a step: that step's outcome is how it died (or what it printed).
  if (pending !== undefined) outcomes.set(pending, endedBy.startsWith('signal:') ? `killed ${endedBy.slice(7)}` : stray.join(' ') || `lost (${endedBy})`);
  return { outcomes, ready, done, ended: endedBy, ptyReceived, stdout, stderr };
}

function splitFirst(text: string): [string, string] {
  const at = text.indexOf(' ');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** Runs the probe executable unsandboxed (the control), optionally with a pty slave as stdin. */
export async function runProbeUnsandboxed(build: ProbeBuild, attempt: string, arg: string, options: { tty?: boolean; cwd?: string } = {}): Promise<{ outcome: string; ptyReceived: string }> {
  const args = options.tty ? ['pty-exec', build.probe, attempt, arg] : [attempt, arg];
  const { stdout, exit } = await execFileAsync(build.probe, args, { cwd: options.cwd ?? tmpdir(), timeout: 10_000 }).then(
    ({ stdout: out }) => ({ stdout: out, exit: 0 }),
    (error: { stdout?: string; code?: number }) => ({ stdout: error.stdout ?? '', exit: error.code ?? -1 }),
  );
  const lines = stdout.split('\n').filter((line) => line !== '');
  const pty = lines.find((line) => line.startsWith('pty '));
  const first = lines[0] === pty ? undefined : lines[0];
  return { outcome: first ?? `exit ${pty?.split(' ')[1]?.replace('exit:', '') ?? exit}`, ptyReceived: pty?.split(' ')[2] ?? '' };
}

/** An unprivileged user attempts run as (CI runs as root, which masks some outcomes). */
export interface UnprivilegedUser {
  readonly uid: number;
  readonly gid: number;
}

/** nobody:nogroup on Debian. */
export const NOBODY: UnprivilegedUser = { uid: 65534, gid: 65534 };

/** Whether attempts can be made as another user here: root, and util-linux's setpriv. */
export function canDropPrivileges(): boolean {
  return process.getuid?.() === 0 && spawnSync('setpriv', ['--version'], { stdio: 'ignore' }).status === 0;
}

function setprivArgs(user: UnprivilegedUser): string[] {
  return [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--'];
}

/** A `probe target` process: a pid to aim at and a buffer whose address the test knows. */
export interface Victim {
  readonly pid: number;
  readonly address: string;
  /** Ends the victim and returns what its buffer holds ("untouched" unless someone wrote it). */
  finish(): Promise<string>;
}

/** Starts a victim process (unsandboxed, a child of the test runner; as `user` if given). */
export function startVictim(build: ProbeBuild, user?: UnprivilegedUser): Promise<Victim> {
  return new Promise((resolvePromise, reject) => {
    const [file, args] = user ? ['setpriv', [...setprivArgs(user), build.probe, 'target']] : [build.probe, ['target']];
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    const finished = new Promise<string>((done) => child.on('close', () => done(/buffer (.*)/.exec(out)?.[1] ?? '')));
    child.on('error', reject);
    let started = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /^target (\d+) ([0-9a-f]+)\n/.exec(out);
      if (started || !match) return;
      started = true;
      const finish = (): Promise<string> => {
        child.stdin.end();
        return finished;
      };
      resolvePromise({ pid: Number(match[1]), address: match[2] ?? '', finish });
    });
  });
}

/** A directory attempts may try to write into: `victim` ("intact\n") and `deletable`. */
export interface Arena {
  readonly dir: string;
  /** Its handle for open_by_handle_at, made unsandboxed. */
  readonly handle: string;
  /** victim's mode, owner and modification time as made (`mode uid:gid mtime`). */
  readonly attributes: string;
  /** What is in the arena now: the sorted entries, victim's content and attributes. */
  inspect(): Promise<{ entries: string[]; victim: string; attributes: string }>;
  remove(): Promise<void>;
}

/** Makes an arena; `owner` hands it (and its files) to that uid:gid, for attempts made as that user. */
export async function makeArena(build: ProbeBuild, owner?: { uid: number; gid: number }): Promise<Arena> {
  const dir = await mkdtemp(join(tmpdir(), 'syscage-escape-'));
  await writeFile(join(dir, 'victim'), 'intact\n', { mode: 0o644 });
  await writeFile(join(dir, 'deletable'), '');
  if (owner) for (const path of [dir, join(dir, 'victim'), join(dir, 'deletable')]) await chown(path, owner.uid, owner.gid);
  const { stdout } = await execFileAsync(build.probe, ['handle', join(dir, 'victim')]);
  const attributes = async (): Promise<string> => {
    const info = await stat(join(dir, 'victim')).catch(() => undefined);
    return info ? `${info.mode.toString(8)} ${info.uid}:${info.gid} ${info.mtimeMs}` : '(gone)';
  };
  return {
    dir,
    handle: stdout.trim(),
    attributes: await attributes(),
    inspect: async () => ({ entries: (await readdir(dir)).sort(), victim: await readFile(join(dir, 'victim'), 'utf8').catch(() => '(gone)'), attributes: await attributes() }),
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** io_uring instances a process holds: descriptors, mappings, and SQPOLL kernel threads. */
export async function inspectIoUring(pid: number): Promise<{ fds: number; maps: number; sqpollThreads: number }> {
  let fds = 0;
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    if ((await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')) === 'anon_inode:[io_uring]') fds++;
  }
  const maps = (await readFile(`/proc/${pid}/maps`, 'utf8')).split('\n').filter((line) => line.includes('io_uring')).length;
  let sqpollThreads = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    if ((await readFile(`/proc/${pid}/task/${task}/comm`, 'utf8').catch(() => '')).startsWith('iou-sqp')) sqpollThreads++;
  }
  return { fds, maps, sqpollThreads };
}
