/**
 * One CLI's suite: build it once per bundler with the plugin's `entries` option (keyed by its bin
 * file in the project's `node_modules`), then on Node 22, 24 and 26 check that its ordinary use
 * prints exactly what the plain CLI prints, and that an undeclared write, an undeclared connect and
 * a read outside its list are stopped. Every program runs in a child process.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateOf, otherNodes } from '../plugin/harness.ts';
import type { CliCase, Ctx } from './clis.ts';
import { BUNDLER_NAMES, buildCli, countingServer, makeProject, runIn, stopped, type BundlerName, type Run } from './harness.ts';

const MAJORS = [22, 24, 26] as const;

/** Declares the suite of `cli`. */
export function describeCli(cli: CliCase): void {
  describe(`${cli.name} (${JSON.stringify(cli.declaration)})`, () => {
    let project = '';
    let outside = '';
    let server: Awaited<ReturnType<typeof countingServer>>;
    const nodes = new Map<number, string>();
    const builds = new Map<BundlerName, { program: string; wrappers: Record<string, string> }>();

    beforeAll(async () => {
      for (const node of otherNodes()) nodes.set(node.major, node.path);
      project = makeProject(cli.name, cli.pkg);
      outside = mkdtempSync(join(tmpdir(), `syscage-real-cli-outside-`));
      for (const [name, text] of Object.entries(cli.outsideFiles)) writeFileSync(join(outside, name), text);
      for (const [path, name] of Object.entries(cli.links ?? {})) symlinkSync(join(outside, name), join(project, path));
      server = await countingServer();
      for (const bundler of BUNDLER_NAMES) {
        const common = { project, declaration: cli.declaration, format: cli.format, external: cli.external ?? [] };
        const program = await buildCli(bundler, { ...common, entry: `node_modules/${cli.pkg}/${cli.bin}`, outfile: `node_modules/${cli.pkg}/${cli.outfile(bundler)}` });
        const wrappers: Record<string, string> = {};
        for (const [name, wrapper] of Object.entries(cli.wrappers ?? {})) {
          mkdirSync(dirname(join(project, wrapper.outfile(bundler))), { recursive: true });
          wrappers[name] = await buildCli(bundler, { ...common, entry: wrapper.entry, outfile: wrapper.outfile(bundler) });
        }
        builds.set(bundler, { program, wrappers });
      }
    }, 240_000);
    afterAll(async () => {
      await server?.close();
      rmSync(project, { recursive: true, force: true });
      rmSync(outside, { recursive: true, force: true });
    });

    const ctx = (major: number, bundler: BundlerName | 'plain'): Ctx => {
      const node = nodes.get(major) ?? `node${major}`;
      const built = bundler === 'plain' ? undefined : builds.get(bundler);
      return {
        project,
        outside,
        port: server.port,
        node,
        program: built?.program ?? join(project, 'node_modules', cli.pkg, cli.bin),
        wrapper: (name) => built?.wrappers[name] ?? join(project, cli.wrappers?.[name]?.entry ?? name),
        run: (file, args, env = {}) => runIn(project, node, file, args, { REAL_CLI_PORT: String(server.port), ...env }),
      };
    };

    it.each(BUNDLER_NAMES)('%s: the build loads its gate first', (bundler) => {
      const built = builds.get(bundler);
      for (const file of [built?.program, ...Object.values(built?.wrappers ?? {})]) expect(gateOf(file ?? '')).toMatch(/\.syscage\.[cm]js$/);
    });

    describe.each(MAJORS)('Node %i', (major) => {
      const plain: Partial<Record<'same' | 'read', Run>> = {};
      beforeAll(async () => {
        plain.same = await cli.same(ctx(major, 'plain'));
        plain.read = await cli.read.act(ctx(major, 'plain'));
      }, 60_000);

      it.each(BUNDLER_NAMES)('%s: prints what the plain CLI prints', async (bundler) => {
        expect(await cli.same(ctx(major, bundler))).toEqual(plain.same);
      });

      it.each(BUNDLER_NAMES)(`%s: stops an undeclared write: ${cli.write.how}`, async (bundler) => {
        const run = await cli.write.act(ctx(major, bundler));
        expect(stopped(run), JSON.stringify(run)).toBe(true);
        expect(cli.write.untouched(ctx(major, bundler))).toBe(true);
      });

      it.each(BUNDLER_NAMES)(`%s: stops an undeclared connect: ${cli.connect.how}`, async (bundler) => {
        const before = server.connections();
        const run = await cli.connect.act(ctx(major, bundler));
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(server.connections(), JSON.stringify(run)).toBe(before);
        expect(stopped(run), JSON.stringify(run)).toBe(true);
        expect(run.stdout).not.toContain('connected');
      });

      it.each(BUNDLER_NAMES)(`%s: stops a read outside its list: ${cli.read.how}`, async (bundler) => {
        expect(plain.read?.stdout + (plain.read?.stderr ?? '')).toContain(cli.read.secret);
        const run = await cli.read.act(ctx(major, bundler));
        expect(run.stdout + run.stderr).not.toContain(cli.read.secret);
        expect(run.stdout + run.stderr, JSON.stringify(run)).toMatch(cli.read.refused);
      });
    });
  });
}
