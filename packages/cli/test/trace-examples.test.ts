/**
 * `syscage trace` on each of the four examples (issue 6's proof): the declaration it suggests, once
 * used, runs the example exactly as the unsandboxed run does (same output, no kill), and grants
 * nothing the example's own declaration (its manifest, `dist/*.syscage.json`) does not: no other
 * capability, and every path, port and program inside the lists the example declares.
 *
 * What is traced: the built bundle itself, `node dist/<example>.js`, run the way the examples' own
 * tests run it (a loopback API on 8080, a throwaway git repository, the sample log). The bundle
 * sandboxes itself; trace replaces its loader (`@syscage/runtime/loader`) with a marker, so it
 * counts from the bundle's sandbox point and sees the program unsandboxed. That is the honest
 * choice: the traced code is the code that ships, byte for byte but the loader, and the count
 * starts exactly where its sandbox would; an unsandboxed rebuild with another bundler would trace
 * other code, and tracing the sandboxed bundle could only show what its declaration already allows.
 *
 * How the suggestion is used, two ways: (1) in the program, at the same point: the bundle's loader
 * is replaced (an `--import` resolve hook) by `sandbox(suggestion)` from the built runtime, which
 * compiles the filter for the running Node and applies it with Landlock, restart included;
 * (2) through `syscage exec` with the options trace printed, the loader replaced by a no-op. The
 * reference is the same bundle with a no-op loader; its own sandboxed run must match it too.
 * Node: the one running the tests. static-server and fetch-json use port 8080, the port they
 * declare, so this file's tests run one at a time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveCapabilities, type ScopedCapability } from '@syscage/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './run-cli.ts';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLES = join(REPO, 'examples');
const RUNTIME = pathToFileURL(join(REPO, 'packages/runtime/dist/index.js')).href;
const scratch = mkdtempSync(join(tmpdir(), 'syscage-trace-examples-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The loader's file, which a launcher imports directly where it finds the runtime above it. */
const LOADER_URL = pathToFileURL(realpathSync(join(REPO, 'packages/runtime/dist/loader.js'))).href;

/**
 * A node option that replaces the built program's loader module with a module of `source`, for
 * an `import` (the launcher's, by name or by file) and a `require` (the gate's, where it hands
 * over to the loader).
 */
function replaceLoader(source: string): string {
  const stub = `data:text/javascript,${encodeURIComponent(source)}`;
  const hooks = `export async function resolve(specifier, context, next) { return specifier === '@syscage/runtime/loader' || specifier === ${JSON.stringify(LOADER_URL)} ? { url: ${JSON.stringify(stub)}, format: 'module', shortCircuit: true } : next(specifier, context); }`;
  const required = `const Module = process.getBuiltinModule('node:module'); const load = Module._load; Module._load = function (request, ...rest) { return request === '@syscage/runtime/loader' ? stub : load.call(this, request, ...rest); };`;
  return `--import=data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; import * as stub from ${JSON.stringify(stub)}; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)}); ${required}`)}`;
}
/** The launcher's stand-in: it starts the program beside it as the main module, leaving the sandbox to its gate's applyPrecompiled. */
const LAUNCH = `import { runMain } from 'node:module'; import { dirname, resolve } from 'node:path'; import { fileURLToPath } from 'node:url';
export function launchPrecompiled(sandbox, target) { const self = target.self.startsWith('file:') ? fileURLToPath(target.self) : target.self; const program = resolve(dirname(self), target.program); process.argv[1] = program; runMain(program); return false; }`;
const UNSANDBOXED = replaceLoader(`${LAUNCH}\nexport function applyPrecompiled() {}`);
const sandboxedWith = (declaration: unknown): string =>
  replaceLoader(`${LAUNCH}\nimport { sandbox } from ${JSON.stringify(RUNTIME)}; export function applyPrecompiled() { sandbox(${JSON.stringify(declaration)}); }`);

/** How a run ended, with the answers a server gave. */
interface Outcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly answers: readonly string[];
}

/** The pids below `pid` (strace below the CLI, node below strace). */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
  return children.flatMap((child) => [child, ...descendants(child)]);
}

/**
 * Runs `argv` in `cwd` (NODE_OPTIONS not passed on). For a server (`requests`), waits for its
 * "serving" line on stdout or stderr, makes the requests, then sends SIGTERM to the program itself
 * (the deepest process: under trace, below strace).
 */
function run(argv: readonly string[], cwd: string, requests?: () => Promise<string[]>): Promise<Outcome> {
  const { NODE_OPTIONS: _o, NODE_PATH: _p, ...env } = process.env;
  return new Promise((done, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { cwd, env: { ...env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 50_000 });
    let stdout = '';
    let stderr = '';
    let answers: string[] = [];
    let started = false;
    const serve = (): void => {
      if (requests === undefined || started || !`${stdout}${stderr}`.includes('serving ')) return;
      started = true;
      requests()
        .then((got) => (answers = got))
        .catch((error: unknown) => (answers = [`requests failed: ${String(error)}`]))
        .finally(() => process.kill(descendants(child.pid as number).at(-1) ?? (child.pid as number), 'SIGTERM'));
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => ((stdout += chunk), serve()));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => ((stderr += chunk), serve()));
    child.on('error', reject);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr, answers }));
  });
}

/** Where `suggested` grants more than `declared`: capabilities, and paths, ports, programs outside the declared lists. */
function beyond(suggested: unknown, declared: unknown, cwd: string): string[] {
  const want = resolveCapabilities(suggested);
  const have = resolveCapabilities(declared);
  const problems = [...want.grants].filter((name) => !have.grants.has(name)).map((name) => `${name} is not declared`);
  const inside = (path: string, root: string): boolean => {
    const rel = relative(resolve(cwd, root), resolve(cwd, path));
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  for (const [name, scope] of Object.entries(want.scopes) as Array<[ScopedCapability, 'any' | readonly (string | number)[]]>) {
    // What a declared fs.write list covers includes reading (write includes read).
    const allowed = [have.scopes[name], ...(name === 'fs.read' ? [have.scopes['fs.write']] : [])].filter((value) => value !== undefined);
    if (allowed.includes('any')) continue;
    if (scope === 'any') {
      problems.push(`${name}: any, where the example lists ${JSON.stringify(allowed)}`);
      continue;
    }
    const lists = allowed as Array<readonly (string | number)[]>;
    for (const item of scope) {
      const ok = lists.some((list) => list.some((root) => (typeof item === 'number' ? item === root : inside(item, String(root)))));
      if (!ok) problems.push(`${name}: ${item} is outside ${JSON.stringify(allowed)}`);
    }
  }
  return problems;
}

/** What `syscage trace --json` prints. */
interface Suggestion {
  readonly exit: number | string | null;
  readonly cut: string;
  readonly declaration: Record<string, unknown>;
  readonly exec: string;
  readonly unexplained: readonly unknown[];
}

interface ExampleCase {
  readonly name: string;
  readonly bundle: string;
  readonly args: readonly string[];
  readonly cwd: () => string;
  readonly requests?: () => Promise<string[]>;
  /** What trace must suggest: exactly what the run uses. */
  readonly expected: (cwd: string) => unknown;
}

const API_DOCUMENT = { name: 'syscage', nested: { list: ['a', 'b'] } };
let api: Server | undefined;
const startApi = (): Promise<void> =>
  new Promise((done, reject) => {
    api = createServer((request, response) => {
      if (request.url === '/data.json') response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(API_DOCUMENT));
      else response.writeHead(404).end();
    });
    api.once('error', reject).listen(8080, () => done());
  });
const stopApi = (): Promise<void> => new Promise((done) => (api === undefined ? done() : api.close(() => done())));

/** A throwaway git repository with three commits, made by the test's own (unsandboxed) git. */
function makeRepository(): string {
  const repo = mkdtempSync(join(scratch, 'repo-'));
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  execFileSync('git', ['init', '--quiet', '--initial-branch=main'], { cwd: repo, env });
  for (const [index, who] of ['Ada <ada@example.org>', 'Grace <grace@example.org>', 'Ada <ada@example.org>'].entries()) {
    const [name = '', email = ''] = who.replace('>', '').split(' <');
    const date = `2024-0${index + 1}-02T09:00:00+00:00`;
    const identity = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
    execFileSync('git', ['commit', '--quiet', '--allow-empty', '--no-gpg-sign', '-m', `change ${index + 1}`], { cwd: repo, env: { ...env, ...identity } });
  }
  return repo;
}

/** A working directory with logs/sample.log, as syslog-parse's own tests make. */
function logDirectory(): string {
  const dir = mkdtempSync(join(scratch, 'syslog-'));
  mkdirSync(join(dir, 'logs'));
  copyFileSync(join(EXAMPLES, 'syslog-parse/logs/sample.log'), join(dir, 'logs/sample.log'));
  return dir;
}

const CASES: readonly ExampleCase[] = [
  {
    name: 'syslog-parse',
    bundle: 'syslog-parse/dist/syslog-parse.js',
    args: ['--json'],
    cwd: logDirectory,
    expected: () => ({ fs: { read: ['./logs/sample.log'] } }),
  },
  {
    name: 'static-server',
    bundle: 'static-server/dist/static-server.js',
    args: [],
    cwd: () => join(EXAMPLES, 'static-server'),
    requests: async () => {
      const answers: string[] = [];
      for (const [path, method] of [['/', 'GET'], ['/data.json', 'GET'], ['/style.css', 'HEAD'], ['/missing.html', 'GET'], ['/..%2fpackage.json', 'GET']] as const) {
        const response = await fetch(`http://127.0.0.1:8080${path}`, { method });
        answers.push(`${method} ${path} ${response.status} ${(await response.text()).length}`);
      }
      return answers;
    },
    // HEAD /style.css only stats the file (Landlock does not restrict stat); what is missing is stat'ed too.
    expected: () => ({ fs: { read: ['./public/data.json', './public/index.html'] }, net: { listen: [8080] } }),
  },
  {
    name: 'fetch-json (by address)',
    bundle: 'fetch-json/dist/fetch-json.js',
    args: ['http://127.0.0.1:8080/data.json', 'nested.list'],
    cwd: () => join(EXAMPLES, 'fetch-json'),
    expected: () => ({ net: { connect: [8080] } }),
  },
  {
    name: 'fetch-json (by name)',
    bundle: 'fetch-json/dist/fetch-json.js',
    args: ['http://localhost:8080/data.json', 'name'],
    cwd: () => join(EXAMPLES, 'fetch-json'),
    expected: () => ({ net: { connect: [8080] }, dns: true }),
  },
  {
    name: 'git-summary',
    bundle: 'git-summary/dist/git-summary.js',
    args: ['--json'],
    cwd: makeRepository,
    // git reads the repository's own files (HEAD, config, refs, objects): the list names what it opened.
    expected: () => ({ fs: { read: expect.arrayContaining(['./.git/HEAD', './.git/config']) }, spawn: ['/usr/bin/git'] }),
  },
];

describe.each(CASES)('trace on $name', (example) => {
  const bundle = join(EXAMPLES, example.bundle);
  const node = process.execPath;
  let cwd: string;
  let reference: Outcome;
  let suggestion: Suggestion;

  beforeAll(async () => {
    if (example.name.startsWith('fetch-json')) await startApi();
    cwd = example.cwd();
    reference = await run([node, UNSANDBOXED, bundle, ...example.args], cwd, example.requests);
    const traced = await run([node, CLI, 'trace', '--json', '--', node, bundle, ...example.args], cwd, example.requests);
    expect([traced.code, traced.stderr.includes(reference.stdout)]).toEqual([0, true]);
    suggestion = JSON.parse(traced.stdout) as Suggestion;
  }, 60_000);
  afterAll(stopApi);

  it('runs unsandboxed, and under its own sandbox, with the same output', async () => {
    expect([reference.code, reference.signal, reference.stderr]).toEqual([0, null, '']);
    if (example.requests !== undefined) expect(reference.answers).toHaveLength(5);
    const own = await run([node, bundle, ...example.args], cwd, example.requests);
    expect(own).toEqual(reference);
  });

  it("counts from the bundle's sandbox point and explains every call", () => {
    expect(suggestion).toMatchObject({ exit: 0, cut: 'sandbox point', unexplained: [] });
  });

  it('suggests exactly what the run uses', () => {
    expect(suggestion.declaration).toEqual(example.expected(cwd));
  });

  it("grants nothing beyond the example's own declaration (its manifest)", () => {
    const manifest = JSON.parse(readFileSync(`${bundle}.syscage.json`, 'utf8')) as { declaration: unknown };
    expect(beyond(suggestion.declaration, manifest.declaration, cwd)).toEqual([]);
  });

  it('applied in the program at its sandbox point, it runs as unsandboxed: no kill, same output', async () => {
    const sandboxed = await run([node, sandboxedWith(suggestion.declaration), bundle, ...example.args], cwd, example.requests);
    expect(sandboxed).toEqual(reference);
  });

  it('through the printed syscage exec line, it runs as unsandboxed: no kill, same output', async () => {
    const words = suggestion.exec.split(' ');
    const dashes = words.indexOf('--');
    expect(words.slice(dashes + 1)).toEqual([node, bundle, ...example.args]);
    const sandboxed = await run([node, CLI, ...words.slice(1, dashes + 1), node, UNSANDBOXED, bundle, ...example.args], cwd, example.requests);
    expect(sandboxed).toEqual(reference);
  });
});
