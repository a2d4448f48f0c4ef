/**
 * Tests for the baseline measurement scripts (node:test; run with
 * `node --test scripts/baseline/`). The parser and summariser are checked on a hand-written trace
 * in strace's format; one test traces the real `empty` workload when strace is installed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { installNode, NODE_VERSIONS } from './install-node.mjs';
import { MODES, straceArgv, traceRun } from './measure.mjs';
import { pathNormaliser } from './normalise-path.mjs';
import { stableStringify } from './stable-json.mjs';
import { decodeString, isExeced, parseTrace, splitCall } from './parse-strace.mjs';
import { mergeRuns, summariseTrace } from './summarise.mjs';
import { findWorkload, MARKER_PATH, WORKLOADS } from './workloads.mjs';

/** A trace of a two-thread program: start-up, the marker, a thread, a fork+exec, signals. */
const TRACE = `\
100 execve("/usr/bin/node", ["node", "x.mjs"], 0x7ffd /* 1 var */) = 0
100 clone3({flags=CLONE_VM|CLONE_THREAD|CLONE_SETTLS, child_tid=0x1, parent_tid=0x1, exit_signal=0, stack=0x1, stack_size=0x1, tls=0x1}, 88) = 101
101 futex(0x10, FUTEX_WAIT_PRIVATE, 0, NULL <unfinished ...>
100 read(21, "accessSync('/__syscage_marker__')", 90) = 90
100 access("/__syscage_marker__", F_OK <unfinished ...>
101 <... futex resumed>) = 0
100 <... access resumed>) = -1 ENOENT (No such file or directory)
100 openat(AT_FDCWD, "/etc/localtime", O_RDONLY|O_CLOEXEC) = 21
101 epoll_pwait(16,  <unfinished ...>
100 socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP) = 22
101 <... epoll_pwait resumed>[], 1024, 0, NULL, 8) = 0
100 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=0x7f) = 200
200 set_robust_list(0x7f, 24) = 0
200 execve("/usr/local/bin/true", ["true"], 0x1 /* 1 var */) = -1 ENOENT (No such file or directory)
200 execve("/usr/bin/true", ["true"], 0x1 /* 1 var */) = 0
200 arch_prctl(ARCH_SET_FS, 0x7f) = 0
200 exit_group(0) = ?
100 kill(200, SIGTERM) = 0
100 kill(100, SIGUSR2) = 0
100 --- SIGUSR2 {si_signo=SIGUSR2, si_code=SI_USER, si_pid=100, si_uid=0} ---
100 connect(23, {sa_family=AF_UNIX, sun_path=@"abstract\\0\\0"}, 110) = 0
100 ioctl(1, TCGETS, 0x7ffd) = -1 ENOTTY (Inappropriate ioctl for device)
100 clone3({flags=CLONE_VM|CLONE_THREAD}, 88) = -1 ENOSYS (Function not implemented) (INJECTED)
101 exit(0) = ?
100 exit_group(0) = ?
100 +++ exited with 0 +++
`;

describe('splitCall', () => {
  it('splits at top-level commas only', () => {
    const call = splitCall('connect(3, {sa_family=AF_INET, sin_port=htons(80)}, 16) = -1 EINPROGRESS (Operation now in progress)');
    assert.deepEqual(call?.args, ['3', '{sa_family=AF_INET, sin_port=htons(80)}', '16']);
    assert.equal(call?.ret, '-1 EINPROGRESS (Operation now in progress)');
  });
  it('keeps commas and brackets inside strings', () => {
    const call = splitCall('write(1, "a, b) [c\\"", 7) = 7');
    assert.deepEqual(call?.args, ['1', '"a, b) [c\\""', '7']);
  });
  it('accepts an unfinished head', () => {
    assert.deepEqual(splitCall('access("/x", F_OK'), { name: 'access', args: ['"/x"', 'F_OK'], ret: undefined, complete: false });
  });
  it('handles calls without arguments', () => {
    assert.deepEqual(splitCall('gettid() = 5')?.args, []);
  });
});

describe('decodeString', () => {
  it('decodes C escapes and ignores non-strings', () => {
    assert.equal(decodeString('"a\\nb\\x41\\101\\""...'), 'a\nbAA"');
    assert.equal(decodeString('AT_FDCWD'), undefined);
  });
});

describe('parseTrace', () => {
  const trace = parseTrace(TRACE, MARKER_PATH);
  it('finds the marker at the access call, not in the read of the source', () => {
    assert.equal(trace.events.find((e) => e.seq === trace.markerSeq)?.name, 'access');
  });
  it('joins unfinished calls and places them at their entry', () => {
    const epoll = trace.events.find((e) => e.name === 'epoll_pwait');
    assert.deepEqual(epoll?.args, ['16', '[]', '1024', '0', 'NULL', '8']);
    const futex = trace.events.find((e) => e.name === 'futex');
    assert.ok(futex !== undefined && futex.seq < trace.markerSeq);
  });
  it('maps threads and processes, and tells exec\'d programs from Node', () => {
    assert.equal(trace.tgidOf.get(101), 100);
    assert.equal(trace.tgidOf.get(200), 200);
    assert.equal(trace.parentOf.get(200), 100);
    const byName = (name) => trace.events.find((e) => e.name === name && e.tid === 200);
    assert.equal(isExeced(trace, /** @type {any} */ (byName('set_robust_list'))), false);
    assert.equal(isExeced(trace, /** @type {any} */ (byName('arch_prctl'))), true);
  });
});

describe('summariseTrace and mergeRuns', () => {
  const trace = parseTrace(TRACE, MARKER_PATH);
  const summary = summariseTrace(trace, (p) => p);
  it('counts only what follows the marker, Node and exec\'d programs apart', () => {
    assert.ok(!summary.node.counts.has('access'));
    assert.ok(!summary.node.counts.has('read'));
    assert.equal(summary.node.counts.get('kill'), 2);
    assert.ok(summary.node.counts.has('execve'));
    assert.ok(summary.exec.counts.has('arch_prctl'));
    assert.deepEqual([...summary.exec.programs], ['/usr/bin/true']);
    assert.deepEqual([...summary.startup].sort(), ['clone3', 'execve', 'futex', 'read']);
    assert.deepEqual(summary.threads, { atMarker: 2, created: 0 });
    assert.equal(summary.processes, 1);
  });
  it('records argument values, kill targets, paths and injected answers', () => {
    const merged = mergeRuns([summary, summariseTrace(parseTrace(TRACE.replace(/.*SIGUSR2\) = 0\n/, ''), MARKER_PATH), (p) => p)]);
    assert.deepEqual(merged.syscalls.kill, { count: 2, args: { sig: ['SIGTERM', 'SIGUSR2'], target: ['child', 'self'] } });
    assert.deepEqual(merged.syscalls.socket?.args, { 'domain, type, protocol': ['AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, IPPROTO_IP'] });
    assert.equal(merged.syscalls.clone3?.injected, true);
    assert.deepEqual(merged.syscalls.ioctl?.args, { request: ['TCGETS'] });
    assert.deepEqual(merged.paths, [
      { path: '/etc/localtime', via: ['openat O_RDONLY|O_CLOEXEC'] },
      { path: '/usr/bin/true', via: ['execve'] },
      { path: '/usr/local/bin/true', via: ['execve = ENOENT'] },
      { path: '@abstract', via: ['connect'] },
    ]);
    assert.equal(merged.exec?.programs[0], '/usr/bin/true');
  });
  it('marks syscalls missing from some runs', () => {
    const without = summariseTrace(parseTrace(TRACE.replace(/.*TCGETS.*\n/, ''), MARKER_PATH), (p) => p);
    assert.equal(mergeRuns([summary, without]).syscalls.ioctl?.seenIn, '1/2');
  });
  it('refuses a trace without the marker', () => {
    assert.throws(() => summariseTrace(parseTrace('1 getpid() = 1\n', MARKER_PATH), (p) => p), /marker not found/);
  });
});

describe('measure helpers', () => {
  it('normalises run-specific paths', () => {
    const normalise = pathNormaliser({ node: '/opt/node/bin/node', workDir: '/tmp/syscage-baseline-abc' });
    assert.equal(normalise('/tmp/syscage-baseline-abc/mkdtemp-a1B2c3/x'), '$WORK/mkdtemp-XXXXXX/x');
    assert.equal(normalise('/proc/1234/task/77/stat'), '/proc/<pid>/task/<tid>/stat');
    assert.equal(normalise('/opt/node/bin/node'), '$NODE');
    assert.equal(normalise('/sys/fs/cgroup/memory/a/b/memory.limit_in_bytes'), '/sys/fs/cgroup/memory/<cgroup>/memory.limit_in_bytes');
    assert.equal(normalise('<fd 21>/sub'), '<dirfd>/sub');
  });
  it('writes JSON with sorted keys', () => {
    assert.equal(stableStringify({ b: [1, 'x'], a: { d: 1, c: [] } }), '{\n  "a": {\n    "c": [],\n    "d": 1\n  },\n  "b": [1, "x"]\n}');
  });
  it('injects ENOSYS only in the enosys mode', () => {
    assert.ok(!straceArgv('/t', MODES.natural.inject).some((a) => a.startsWith('inject=')));
    assert.ok(straceArgv('/t', MODES.enosys.inject).includes('inject=clone3,io_uring_setup:error=ENOSYS'));
  });
});

describe('workloads and versions', () => {
  it('has unique workload names and exact version pins', () => {
    assert.equal(new Set(WORKLOADS.map((w) => w.name)).size, WORKLOADS.length);
    for (const pin of Object.values(NODE_VERSIONS)) if (pin.source === 'npm') assert.match(pin.version, /^\d+\.\d+\.\d+$/);
  });
  it('finds the machine\'s Node 20', async () => {
    const [node] = await installNode({ majors: [20], log: () => {} });
    assert.match(node?.version ?? '', /^v20\./);
  });
});

let hasStrace = true;
try { execFileSync('strace', ['-V'], { stdio: 'ignore' }); } catch { hasStrace = false; }

describe('tracing a real workload', { skip: !hasStrace && 'strace is not installed' }, () => {
  it('measures the empty program after the marker', async () => {
    const [node] = await installNode({ majors: [20], log: () => {} });
    const traceFile = join(tmpdir(), `syscage-test-${process.pid}.strace`);
    const { summary } = await traceRun(/** @type {{ path: string }} */ (node), findWorkload('empty'), traceFile);
    rmSync(traceFile, { force: true });
    assert.ok(summary.node.counts.has('exit_group'));
    assert.ok(!summary.node.counts.has('execve'));
    assert.ok(summary.startup.has('execve'));
  });
});
