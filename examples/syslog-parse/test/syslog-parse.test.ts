/**
 * syslog-parse, built with esbuild, run in child processes on Node 20, 22, 24 and 26: its summary of
 * the sample equals one computed here independently (a second, simpler reading of the same file),
 * and each `--try` attempt (write, connect, spawn) is killed by the kernel with SIGSYS before it
 * can happen.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { landlockEnforced, nodeVersions, readManifest, runExample } from '../../harness.ts';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const BUNDLE = join(EXAMPLE, 'dist/syslog-parse.js');
const SAMPLE = join(EXAMPLE, 'logs/sample.log');
const NODES = nodeVersions();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'];
// The keyword rules as the README states them, first match wins, default info.
const KEYWORDS: Array<[string, string[]]> = [
  ['emerg', ['panic', 'emerg', 'emergency']],
  ['crit', ['crit', 'critical', 'fatal', 'out of memory']],
  ['err', ['err', 'error', 'fail', 'fails', 'failed', 'failure']],
  ['warning', ['warn', 'warning']],
  ['debug', ['debug']],
];
const hasWord = (text: string, word: string): boolean => new RegExp(`(^|[^A-Za-z0-9_])${word}($|[^A-Za-z0-9_])`, 'i').test(text);

/** The sample's summary, read the simple way: split on spaces. */
function expectedSummary(file: string) {
  const count = (map: Record<string, number>, key: string) => void (map[key] = (map[key] ?? 0) + 1);
  const hosts: Record<string, number> = {};
  const programs: Record<string, number> = {};
  const severities: Record<string, number> = {};
  const severityFrom = { pri: 0, keyword: 0 };
  const stamps: Array<[string, string]> = [];
  let skipped = 0;
  for (const line of readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '')) {
    const pri = /^<(\d+)>/.exec(line)?.[1];
    const rest = pri === undefined ? line : line.slice(pri.length + 2);
    const fields = rest.split(/ +/);
    let host: string;
    let program: string;
    let message: string;
    if (pri !== undefined && fields[0] === '1') {
      const [, stamp = '', h = '', app = ''] = fields;
      const [month = '', day = '', clock = ''] = [stamp.slice(5, 7), stamp.slice(8, 10), stamp.slice(11, 19)];
      stamps.push([`${month}-${day} ${clock}`, `${MONTHS[Number(month) - 1]} ${day} ${clock}`]);
      [host, program, message] = [h, app, fields.slice(7).join(' ')];
    } else if (MONTHS.includes(fields[0] ?? '')) {
      const [month = '', day = '', clock = '', h = '', tag = ''] = fields;
      stamps.push([`${String(MONTHS.indexOf(month) + 1).padStart(2, '0')}-${day.padStart(2, '0')} ${clock}`, `${month} ${day.padStart(2, ' ')} ${clock}`]);
      [host, program, message] = [h, tag.replace(/(\[\d+\])?:$/, ''), rest.slice(rest.indexOf(`${tag} `) + tag.length + 1)];
    } else {
      skipped++;
      continue;
    }
    count(hosts, host);
    count(programs, program);
    if (pri !== undefined) {
      count(severities, SEVERITIES[Number(pri) % 8] ?? '?');
      severityFrom.pri++;
    } else {
      count(severities, KEYWORDS.find(([, words]) => words.some((w) => hasWord(message, w)))?.[0] ?? 'info');
      severityFrom.keyword++;
    }
  }
  stamps.sort(([a], [b]) => a.localeCompare(b));
  const records = severityFrom.pri + severityFrom.keyword;
  return { file: 'logs/sample.log', records, skipped, first: stamps[0]?.[1], last: stamps.at(-1)?.[1], hosts, programs, severities, severityFrom };
}

const expected = expectedSummary(SAMPLE);

/** A throwaway working directory with logs/sample.log, so a failed sandbox cannot write into the repository. */
const scratch = mkdtempSync(join(tmpdir(), 'syscage-syslog-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
function workDir(): string {
  const dir = mkdtempSync(join(scratch, 'cwd-'));
  mkdirSync(join(dir, 'logs'));
  copyFileSync(SAMPLE, join(dir, 'logs/sample.log'));
  return dir;
}

describe('the sample', () => {
  it('is a few hundred lines of all three shapes, and regenerates byte for byte', () => {
    const text = readFileSync(SAMPLE, 'utf8');
    expect(expected.records).toBeGreaterThanOrEqual(300);
    expect(expected.skipped).toBe(2);
    expect(text).toMatch(/^[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d \S+ \S+: /m);
    expect(text).toMatch(/^<\d+>[A-Z][a-z]{2} /m);
    expect(text).toMatch(/^<\d+>1 \d{4}-/m);
    const again = join(scratch, 'regenerated.log');
    execFileSync(process.execPath, [join(EXAMPLE, 'scripts/make-sample.mjs'), again]);
    expect(readFileSync(again, 'utf8')).toBe(text);
  });
});

describe('the manifest', () => {
  it('declares reading ./logs and nothing else', () => {
    expect(readManifest(BUNDLE)).toMatchObject({ grants: ['fs.read'], declaration: { fs: { read: ['./logs'] } } });
  });
});

describe.each(NODES)('on Node $major', ({ path: node }) => {
  it('prints the summary of the sample', async () => {
    const run = await runExample(BUNDLE, [], { cwd: EXAMPLE, node });
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toBe(`logs/sample.log: ${expected.records} records (2 lines not syslog, skipped)`);
    expect(lines[1]).toBe(`time range: ${expected.first} → ${expected.last}`);
    const [topHost, topCount] = Object.entries(expected.hosts).sort(([a, x], [b, y]) => y - x || a.localeCompare(b))[0] ?? [];
    expect(lines[3]).toBe(`  ${String(topCount).padStart(6)}  ${topHost}`);
    expect(run.stdout).toContain(`severities (from <PRI>: ${expected.severityFrom.pri}, from keywords: ${expected.severityFrom.keyword})`);
  });

  it('counts what an independent reading of the sample counts (--json)', async () => {
    const run = await runExample(BUNDLE, ['--json', 'logs/sample.log'], { cwd: EXAMPLE, node });
    expect([run.code, run.signal, run.stderr]).toEqual([0, null, '']);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it.each([
    ['write', 'writing logs/summary.txt (fs.write is not declared)'],
    ['connect', 'sending the summary to 127.0.0.1:514 over TCP (net.connect is not declared)'],
    ['spawn', 'running /bin/sh -c "echo spawned" (spawn is not declared)'],
  ])('--try %s: the kernel kills it (SIGSYS) at the attempt, after the summary', async (attempt, announced) => {
    const cwd = workDir();
    const run = await runExample(BUNDLE, ['--try', attempt], { cwd, node });
    expect(run.signal).toBe('SIGSYS');
    expect(run.stdout).toContain(`${expected.records} records`);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`now ${announced} …`);
    expect(existsSync(join(cwd, 'logs/summary.txt'))).toBe(false);
  });
});

describe('through a shell', () => {
  it('a killed run exits with status 159 (128 + SIGSYS)', () => {
    const shell = spawnSync('sh', ['-c', '"$0" "$1" --try write >/dev/null 2>&1; echo "status $?"', process.execPath, BUNDLE], { cwd: workDir(), encoding: 'utf8' });
    expect(shell.stdout).toBe('status 159\n');
  });
});

describe('path scoping (Landlock)', () => {
  it.skipIf(!landlockEnforced(BUNDLE))('refuses to read a log outside ./logs', async () => {
    const outside = join(scratch, 'elsewhere.log');
    copyFileSync(SAMPLE, outside);
    const run = await runExample(BUNDLE, [outside], { cwd: EXAMPLE });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^syslog-parse: EACCES/);
  });
});
