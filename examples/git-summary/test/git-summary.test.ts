/**
 * git-summary, built with Rspack, run in child processes on Node 20, 22, 24 and 26 inside a throwaway
 * repository made here: its counts per author and date range equal those of the commits the test
 * made, git runs inside the inherited sandbox, and outside a repository git's own error comes
 * through. Path scoping (Landlock: only `.` is readable) is tested once the build carries rules.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { landlockEnforced, nodeVersions, readManifest, runExample } from '../../harness.ts';

const BUNDLE = join(fileURLToPath(new URL('..', import.meta.url)), 'dist/git-summary.js');
const COMMITS = [
  { name: 'Ada Lovelace', email: 'ada@example.org', date: '2024-01-02T09:15:00+00:00' },
  { name: 'Grace Hopper', email: 'grace@example.org', date: '2024-01-20T23:30:00-05:00' },
  { name: 'Ada Lovelace', email: 'ada@example.org', date: '2024-02-11T14:00:00+01:00' },
  { name: 'Linus Example', email: 'linus@example.org', date: '2024-02-29T08:00:00+02:00' },
  { name: 'Grace Hopper', email: 'grace@example.org', date: '2024-03-01T10:45:00-05:00' },
  { name: 'Ada Lovelace', email: 'ada@example.org', date: '2024-03-05T00:30:00+09:00' },
];

const scratch = mkdtempSync(join(tmpdir(), 'syscage-git-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A repository with COMMITS, made by the test's own (unsandboxed) git. */
function makeRepository(): string {
  const repo = join(scratch, 'repo');
  mkdirSync(join(repo, 'docs'), { recursive: true });
  const git = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', ...env }, stdio: 'ignore' });
  git(['init', '--quiet', '--initial-branch=main']);
  for (const [index, { name, email, date }] of COMMITS.entries()) {
    const who = { GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_COMMITTER_DATE: date };
    git(['commit', '--quiet', '--allow-empty', '--no-gpg-sign', '-m', `change ${index + 1}`], who);
  }
  return repo;
}
const REPO = makeRepository();

/** What the summary must say, from COMMITS. */
function expectedSummary() {
  const authors: Record<string, number> = {};
  for (const { name, email } of COMMITS) authors[`${name} <${email}>`] = (authors[`${name} <${email}>`] ?? 0) + 1;
  const byTime = [...COMMITS].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  return { commits: COMMITS.length, authors, first: byTime[0]?.date.slice(0, 10), last: byTime.at(-1)?.date.slice(0, 10) };
}
const expected = expectedSummary();

describe('the manifest', () => {
  it('declares running /usr/bin/git and reading the working directory, nothing else', () => {
    expect(readManifest(BUNDLE)).toMatchObject({ grants: ['fs.read', 'spawn'], declaration: { spawn: ['/usr/bin/git'], fs: { read: ['.'] } } });
  });
});

describe.each(nodeVersions())('on Node $major', ({ path: node }) => {
  it('summarises the repository (--json)', async () => {
    const run = await runExample(BUNDLE, ['--json'], { cwd: REPO, node });
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('prints the summary, most commits first', async () => {
    const run = await runExample(BUNDLE, [], { cwd: REPO, node });
    const ranked = Object.entries(expected.authors).sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    expect(run).toEqual({
      code: 0,
      signal: null,
      stderr: '',
      stdout: [`6 commits by 3 authors, ${expected.first} → ${expected.last}`, ...ranked.map(([who, n]) => `  ${String(n).padStart(6)}  ${who}`), ''].join('\n'),
    });
  });

  it("passes on git's own error outside a repository", async () => {
    const run = await runExample(BUNDLE, [], { cwd: mkdtempSync(join(scratch, 'not-a-repo-')), node });
    expect([run.code, run.signal, run.stdout]).toEqual([1, null, '']);
    expect(run.stderr).toMatch(/^git-summary: fatal: not a git repository/);
  });
});

describe('path scoping (Landlock)', () => {
  it.skipIf(!landlockEnforced(BUNDLE))('from a subdirectory, git cannot read the repository above it', async () => {
    const run = await runExample(BUNDLE, [], { cwd: join(REPO, 'docs') });
    expect([run.code, run.signal, run.stdout]).toEqual([1, null, '']);
    expect(run.stderr).toMatch(/^git-summary: /);
  });
});
