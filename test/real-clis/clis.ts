/**
 * The real CLIs, one row each: the package and its bin file (the `entries` key), the tightest
 * declaration that serves it, where its build goes inside the installed package, and four
 * scenarios: its ordinary use (compared with the plain CLI), an undeclared write, an undeclared
 * connect and a read outside its list. Each scenario says how it provokes the CLI; the suite in
 * `suite.ts` runs them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Capabilities } from '@syscage/core';
import { runNode, withoutPid } from '../support/run-node.ts';
import type { BundlerName, Run } from './harness.ts';

/** What a scenario runs against: the built program (or the plain bin), in its project. */
export interface Ctx {
  readonly project: string;
  /** The Node binary it runs on. */
  readonly node: string;
  /** A directory outside every declaration, holding the CLI's `outside` files. */
  readonly outside: string;
  /** The counting server's port (connect hooks read it as REAL_CLI_PORT). */
  readonly port: number;
  /** The program: the build, or the CLI's own bin file for the plain run. */
  readonly program: string;
  /** A wrapper entry's build (or, plain, its source). */
  wrapper(name: string): string;
  run(file: string, args: readonly string[], env?: Record<string, string>): Promise<Run>;
}

/** One CLI. */
export interface CliCase {
  readonly name: string;
  readonly pkg: string;
  /** The bin file, relative to the package. */
  readonly bin: string;
  readonly declaration: Capabilities;
  readonly format: 'esm' | 'cjs';
  /** The output, relative to the package, for a bundler. */
  outfile(bundler: BundlerName): string;
  /** Optional dependencies never loaded here. */
  readonly external?: readonly string[];
  /** Entries of the fixture that wrap the CLI (for a case it has no hook for): name → entry and output, relative to the project. */
  readonly wrappers?: Readonly<Record<string, { entry: string; outfile(bundler: BundlerName): string }>>;
  /** Files written to `outside` before each scenario. */
  readonly outsideFiles: Readonly<Record<string, string>>;
  /** Links made in the project (path relative to it) to a file of `outside`. */
  readonly links?: Readonly<Record<string, string>>;
  /** Its ordinary use: the sandboxed run must equal the plain one. */
  same(ctx: Ctx): Promise<Run>;
  readonly write: { readonly how: string; act(ctx: Ctx): Promise<Run>; untouched(ctx: Ctx): boolean };
  readonly connect: { readonly how: string; act(ctx: Ctx): Promise<Run> };
  /** The plain CLI prints `secret` for `act`; the sandboxed one must not, and must print `refused`. */
  readonly read: { readonly how: string; readonly secret: string; readonly refused: RegExp; act(ctx: Ctx): Promise<Run> };
}

const PORT = 18461;

/** Starts a server program, waits until it says it is ready, makes the requests, stops it; stdout gets each response. */
async function serve(ctx: Ctx, file: string, args: readonly string[], paths: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  let child: import('node:child_process').ChildProcess | undefined;
  let output = '';
  const ended = runNode([file, ...args], { node: ctx.node, cwd: ctx.project, env: { NO_COLOR: '1', FORCE_COLOR: '0', ...env }, onSpawn: (c) => ((child = c), c.stdout?.on('data', (d: Buffer) => (output += d.toString()))) }).then(withoutPid);
  let done = false;
  void ended.then(() => (done = true));
  for (let i = 0; i < 100 && !done && !output.includes('Hit CTRL-C'); i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const responses: string[] = [];
  for (const path of paths) responses.push(done ? `${path}: no server` : await get(path));
  if (!done) {
    await new Promise((resolve) => setTimeout(resolve, 800));
    child?.kill('SIGTERM');
  }
  const run = await ended;
  // Request logs carry the time, warnings the pid.
  const normal = (s: string): string => s.replace(/\[\d{4}-[\d-]+T[\d:.]+Z\]/g, '[time]').replace(/\(node:\d+\)/g, '(node:pid)');
  return { ...run, stdout: `${normal(run.stdout)}\n${responses.join('\n')}`, stderr: normal(run.stderr) };
}

function get(path: string): Promise<string> {
  return new Promise((resolve) => {
    request({ host: '127.0.0.1', port: PORT, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve(`${path}: ${res.statusCode} ${body}`));
    })
      .on('error', (error) => resolve(`${path}: ${error.message}`))
      .end();
  });
}

export const CLIS: readonly CliCase[] = [
  {
    name: 'prettier',
    pkg: 'prettier',
    bin: 'bin/prettier.cjs',
    // Prettier looks for its configuration from the file's directory up to the root: reading the
    // project serves it; above the project the lookups fail like missing files.
    declaration: { fs: { read: ['.'] } },
    format: 'cjs',
    // The bin loads internal/legacy-cli.mjs through `new Function` (no bundler follows it): the build sits one level below the package, as bin/ does.
    outfile: (b) => `syscage-${b}/prettier.cjs`,
    outsideFiles: { 'secret.js': "const  secret = 'SECRET-PRETTIER'\n" },
    same: (ctx) => ctx.run(ctx.program, ['src/a.js']),
    write: { how: '`--write src/a.js` (a file in its read list)', act: (ctx) => ctx.run(ctx.program, ['--write', 'src/a.js']), untouched: (ctx) => readFileSync(join(ctx.project, 'src/a.js'), 'utf8').startsWith('const  greeting') },
    connect: { how: 'a plugin named in `--config connect.prettierrc.json` connects when loaded', act: (ctx) => ctx.run(ctx.program, ['--config', 'connect.prettierrc.json', 'src/a.js']) },
    read: { how: 'format a file outside the project', secret: 'SECRET-PRETTIER', refused: /EACCES: permission denied, open/, act: (ctx) => ctx.run(ctx.program, [join(ctx.outside, 'secret.js')]) },
  },
  {
    name: 'tsc',
    pkg: 'typescript',
    bin: 'bin/tsc',
    declaration: { fs: { read: ['.'] } },
    format: 'cjs',
    // tsc finds lib.*.d.ts beside the running file: the build goes into the package's lib/.
    outfile: (b) => `lib/tsc-${b}.cjs`,
    wrappers: { connect: { entry: 'connect-after-run.cjs', outfile: (b) => `node_modules/typescript/lib/connect-${b}.cjs` } },
    outsideFiles: { 'secret.ts': "export const secret: number = 'SECRET-TSC';\n" },
    same: (ctx) => ctx.run(ctx.program, ['-p', '.', '--noEmit', '--pretty', 'false']),
    write: { how: '`-p .` (emits into out/)', act: (ctx) => ctx.run(ctx.program, ['-p', '.', '--pretty', 'false']), untouched: (ctx) => !existsSync(join(ctx.project, 'out')) },
    connect: { how: 'wrapped: an entry that runs the bin, then connects (tsc loads no code from its configuration)', act: (ctx) => ctx.run(ctx.wrapper('connect'), ['-p', '.', '--noEmit', '--pretty', 'false']) },
    // tsc reports any file it cannot read as not found.
    read: { how: 'check a file outside the project (`--pretty` prints its line)', secret: 'SECRET-TSC', refused: /TS6053: .*secret\.ts' not found/, act: (ctx) => ctx.run(ctx.program, ['--ignoreConfig', '--noEmit', '--pretty', '--lib', 'es5', join(ctx.outside, 'secret.ts')]) },
  },
  {
    name: 'eslint',
    pkg: 'eslint',
    bin: 'bin/eslint.js',
    declaration: { fs: { read: ['./src', './eslint.config.js'] } },
    format: 'cjs',
    // eslint loads its formatters from ../cli-engine/formatters relative to lib/eslint/: the build sits at that depth.
    outfile: (b) => `lib/syscage-${b}/eslint.cjs`,
    external: ['jiti'],
    outsideFiles: {},
    same: (ctx) => ctx.run(ctx.program, ['src/a.js']),
    write: { how: '`--output-file` outside', act: (ctx) => ctx.run(ctx.program, ['src/a.js', '--output-file', join(ctx.outside, 'report.txt')]), untouched: (ctx) => !existsSync(join(ctx.outside, 'report.txt')) },
    connect: { how: 'a config that connects when loaded (`--config src/connect.config.js`)', act: (ctx) => ctx.run(ctx.program, ['--config', 'src/connect.config.js', 'src/a.js']) },
    read: { how: 'lint private/a.js (in the project, not in the list)', secret: 'SECRET_ESLINT_TOKEN', refused: /EACCES: permission denied, open/, act: (ctx) => ctx.run(ctx.program, ['private/a.js']) },
  },
  {
    name: 'markdownlint-cli',
    pkg: 'markdownlint-cli',
    bin: 'markdownlint.js',
    declaration: { fs: { read: ['./docs'] } },
    format: 'esm',
    outfile: (b) => `syscage-${b}/markdownlint.mjs`,
    outsideFiles: { 'secret.md': '# SECRET-MARKDOWNLINT\ntext\n' },
    same: (ctx) => ctx.run(ctx.program, ['docs']),
    write: { how: '`--output` outside', act: (ctx) => ctx.run(ctx.program, ['docs', '--output', join(ctx.outside, 'report.txt')]), untouched: (ctx) => !existsSync(join(ctx.outside, 'report.txt')) },
    connect: { how: 'a custom rule that connects when loaded (`--rules docs/connect-rule.cjs`)', act: (ctx) => ctx.run(ctx.program, ['--rules', 'docs/connect-rule.cjs', 'docs']) },
    read: { how: 'lint a file outside docs/', secret: 'SECRET-MARKDOWNLINT', refused: /EACCES: permission denied, open/, act: (ctx) => ctx.run(ctx.program, [join(ctx.outside, 'secret.md')]) },
  },
  {
    name: 'marked',
    pkg: 'marked',
    bin: 'bin/marked.js',
    declaration: { fs: { read: ['./docs'] } },
    format: 'esm',
    outfile: (b) => `syscage-${b}/marked.mjs`,
    outsideFiles: { 'secret.md': '# SECRET-MARKED\n' },
    same: (ctx) => ctx.run(ctx.program, ['-i', 'docs/intro.md']),
    write: { how: '`-o` outside', act: (ctx) => ctx.run(ctx.program, ['-i', 'docs/intro.md', '-o', join(ctx.outside, 'out.html')]), untouched: (ctx) => !existsSync(join(ctx.outside, 'out.html')) },
    connect: { how: 'a config that connects when loaded (`--config docs/connect.cjs`)', act: (ctx) => ctx.run(ctx.program, ['-i', 'docs/intro.md', '--config', 'docs/connect.cjs']) },
    read: { how: '`-i` a file outside docs/', secret: 'SECRET-MARKED', refused: /EACCES: permission denied, open/, act: (ctx) => ctx.run(ctx.program, ['-i', join(ctx.outside, 'secret.md')]) },
  },
  {
    name: 'http-server',
    pkg: 'http-server',
    bin: 'bin/http-server',
    declaration: { fs: { read: ['./public'] }, net: { listen: [PORT] } },
    format: 'cjs',
    outfile: (b) => `syscage-${b}/http-server.cjs`,
    // union's optional HTTP/2 support.
    external: ['spdy'],
    wrappers: { write: { entry: 'write-after-start.cjs', outfile: (b) => `node_modules/http-server/syscage-${b}/write-after-start.cjs` } },
    outsideFiles: { 'secret.txt': 'SECRET-HTTP-SERVER\n' },
    links: { 'public/leak.txt': 'secret.txt' },
    same: (ctx) => serve(ctx, ctx.program, ['public', '-p', String(PORT), '-a', '127.0.0.1'], ['/', '/index.html', '/missing']),
    write: {
      how: 'wrapped: an entry that starts the bin, then writes (http-server has no option that writes)',
      act: (ctx) => serve(ctx, ctx.wrapper('write'), ['public', '-p', String(PORT), '-a', '127.0.0.1'], [], { REAL_CLI_MARK: join(ctx.outside, 'mark') }),
      untouched: (ctx) => !existsSync(join(ctx.outside, 'mark')),
    },
    connect: { how: '`--proxy` to a port not listed (requests it cannot serve are proxied)', act: (ctx) => serve(ctx, ctx.program, ['public', '-p', String(PORT), '-a', '127.0.0.1', '--proxy', `http://127.0.0.1:${ctx.port}`], ['/missing']) },
    // http-server does not catch the refused open: the request's socket hangs up and the server ends.
    read: { how: 'a link in public/ to a file outside', secret: 'SECRET-HTTP-SERVER', refused: /EACCES: permission denied, open/, act: (ctx) => serve(ctx, ctx.program, ['public', '-p', String(PORT), '-a', '127.0.0.1'], ['/leak.txt']) },
  },
];
