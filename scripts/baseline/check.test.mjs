/**
 * Tests for the filter check (node:test; `node --test scripts/baseline/`): the strace readers and
 * the install-point rules on hand-written traces, the declaration table, and, when the packages
 * are built, two real sandboxed runs in child processes (never in this process).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { DECLARATIONS, NEGATIVE_CONTROL, NOT_CHECKED } from './check-declarations.mjs';
import { checkInstallPoint } from './check-install-point.mjs';
import { compareRun, PRELOAD, runChecked } from './check-run.mjs';
import { parseSigsys, trappedCall } from './diagnose.mjs';
import { REPO_ROOT } from './install-node.mjs';
import { MARKER_PATH as PRELOAD_MARKER } from './workloads/check-preload.mjs';
import { MARKER_PATH } from './workloads.mjs';
import { findWorkload, WORKLOADS } from './workloads.mjs';

const URL_ = pathToFileURL(PRELOAD).href;
const NODE = '/opt/node/bin/node';
const execve = (pid, ptr) => `${pid} execve("${NODE}", ["${NODE}", "--import", "${URL_}", "/w/console.mjs"], ${ptr} /* 3 vars */) = 0`;

/** Node 22 as the check should see it: stage 1, re-exec, marker, install, then output. */
const GOOD_22 = [
  execve(10, '0x7ffc'),
  '10 access("/etc/ld.so.preload", R_OK) = -1 ENOENT (No such file or directory)',
  '10 access("/__syscage_marker__", F_OK) = -1 ENOENT (No such file or directory)',
  '10 seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, {len=12, filter=0x1}) = 0',
  execve(10, '0x2'),
  '11 write(5, "\\1\\0\\0\\0\\0\\0\\0\\0", 8) = 8',
  '10 access("/__syscage_marker__", F_OK) = -1 ENOENT (No such file or directory)',
  '10 seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, {len=166, filter=0x2}) = 0',
  '10 write(1, "hello\\n", 6) = 6',
  '10 +++ exited with 0 +++',
].join('\n');

describe('parseSigsys', () => {
  it('reads si_syscall, by name or by number, and the task', () => {
    const text = [
      '12 --- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f, si_syscall=__NR_setpriority, si_arch=AUDIT_ARCH_X86_64} ---',
      '13 --- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f, si_syscall=1023, si_arch=AUDIT_ARCH_X86_64} ---',
      '14 --- SIGSYS {si_signo=SIGSYS, si_code=SI_USER, si_pid=1, si_uid=0} ---',
      '12 +++ killed by SIGSYS +++',
    ].join('\n');
    assert.deepEqual(parseSigsys(text).map(({ tid, syscall, arch }) => ({ tid, syscall, arch })), [
      { tid: 12, syscall: 'setpriority', arch: 'X86_64' },
      { tid: 13, syscall: '#1023', arch: 'X86_64' },
    ]);
  });
});

describe('trappedCall', () => {
  it("takes the trapped task's last call of that name, and cuts kernel-filled structs", () => {
    const text = [
      '20 statx(AT_FDCWD, "/a", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_BASIC_STATS, stx_size=1}) = 0',
      '21 statx(AT_FDCWD, "/other", 0, STATX_ALL <unfinished ...>',
      `20 statx(AT_FDCWD, "/b", AT_STATX_SYNC_AS_STAT, STATX_ALL, {stx_mask=STATX_UID|STATX_GID|STATX_MTIME|STATX_CTIME|STATX_INO|STATX_SIZE|STATX_BLOCKS|0x4aff8000, stx_attributes=STATX_ATTR_COMPRESSED, ...}) = 332`,
      '20 --- SIGSYS {si_signo=SIGSYS, si_code=SYS_SECCOMP, si_call_addr=0x7f, si_syscall=__NR_statx, si_arch=AUDIT_ARCH_X86_64} ---',
    ].join('\n');
    assert.equal(trappedCall(text, 'statx'), 'statx(AT_FDCWD, "/b", AT_STATX_SYNC_AS_STAT, STATX_ALL, {...})');
    assert.equal(trappedCall(text, 'bind'), undefined);
  });
});

describe('check-preload', () => {
  it('restates the marker path of workloads.mjs', () => {
    assert.equal(PRELOAD_MARKER, MARKER_PATH);
  });
});

describe('checkInstallPoint', () => {
  it('accepts the Node 22 sequence: --import kept over the re-exec, install right after the marker', () => {
    const { problems } = checkInstallPoint(GOOD_22, { major: 22, at: 'marker', output: true });
    assert.deepEqual(problems, []);
  });
  it('sees a re-exec that dropped --import', () => {
    const text = GOOD_22.replace(execve(10, '0x2'), `10 execve("${NODE}", ["${NODE}", "/w/console.mjs"], 0x2 /* 3 vars */) = 0`);
    assert.match(checkInstallPoint(text, { major: 22, at: 'marker', output: true }).problems.join('\n'), /execve #2 lost --import/);
  });
  it('sees output before the install, and a missing re-exec on 22', () => {
    const early = GOOD_22.replace('10 write(1, "hello\\n", 6) = 6', '').replace('10 access("/__syscage_marker__", F_OK) = -1 ENOENT (No such file or directory)\n10 seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, {len=166',
      '10 access("/__syscage_marker__", F_OK) = -1 ENOENT (No such file or directory)\n10 write(1, "hello\\n", 6) = 6\n10 seccomp(SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, {len=166');
    const problems = checkInstallPoint(early, { major: 22, at: 'marker', output: true }).problems.join('\n');
    assert.match(problems, /before the filter was installed/);
    assert.match(checkInstallPoint(GOOD_22, { major: 20, at: 'marker', output: true }).problems.join('\n'), /2 successful execve of node, expected 1/);
  });
});

describe('compareRun', () => {
  const base = { stdout: '', stderr: '', timedOut: false, ms: 1, workDir: '/tmp/w1' };
  const reference = { code: 0, output: { stdout: 'in $WORK\n', stderr: '' } };
  it('passes a run that matches, with its scratch dir normalised', () => {
    assert.equal(compareRun({ ...base, code: 0, signal: null, stdout: 'in /tmp/w1\n' }, reference), undefined);
  });
  it('names SIGSYS, exit codes and output differences', () => {
    assert.equal(compareRun({ ...base, code: null, signal: 'SIGSYS' }, reference)?.kind, 'SIGSYS');
    assert.equal(compareRun({ ...base, code: 1, signal: null }, reference)?.kind, 'exit 1');
    assert.equal(compareRun({ ...base, code: 0, signal: null, stdout: 'other\n' }, reference)?.kind, 'stdout');
    assert.equal(compareRun({ ...base, code: 0, signal: null, stdout: 'other\n' }, { code: 0, output: undefined }), undefined);
  });
});

describe('DECLARATIONS', () => {
  it('has one declaration per checked workload, and nothing else', () => {
    assert.deepEqual(Object.keys(DECLARATIONS).sort(), WORKLOADS.map((w) => w.name).filter((n) => !Object.hasOwn(NOT_CHECKED, n)).sort());
    assert.deepEqual(Object.keys(NOT_CHECKED).filter((n) => !WORKLOADS.some((w) => w.name === n)), []);
  });
  const core = join(REPO_ROOT, 'packages', 'core', 'dist', 'index.js');
  it('resolves every declaration', async () => {
    assert.ok(existsSync(core), 'packages/core is not built: run `pnpm build` first');
    const { resolveCapabilities } = await import(pathToFileURL(core).href);
    for (const { caps } of Object.values(DECLARATIONS)) resolveCapabilities(caps);
  });
});

describe('a real sandboxed run (child processes)', () => {
  const built = existsSync(join(REPO_ROOT, 'packages', 'runtime', 'dist', 'index.js'));
  const node = { major: Number(process.versions.node.split('.')[0]), version: process.version, path: process.execPath };
  // Not built is a failure, not a skip: a test that cannot run must not pass silently.
  const skip = process.platform !== 'linux' && 'needs Linux';
  it('finds @syscage/runtime built', { skip }, () => assert.ok(built, 'packages/runtime is not built: run `pnpm build` first'));
  it('lets the empty program run under {}', { skip }, async () => {
    const result = await runChecked({ node, workload: findWorkload('empty'), caps: {} });
    assert.equal(result.code, 0, result.stderr);
  });
  it('kills the negative control', { skip }, async () => {
    const result = await runChecked({ node, workload: findWorkload(NEGATIVE_CONTROL.workload), caps: NEGATIVE_CONTROL.caps });
    assert.equal(result.signal, 'SIGSYS', result.stderr);
  });
});
