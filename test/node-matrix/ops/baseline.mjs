/**
 * Operations that need no capability: timers, process facts, os facts, dates and time zones,
 * in-memory streams and messaging, and stdio the process already holds. Under any declaration they
 * must work exactly as unsandboxed; they have no denied case.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { once } from 'node:events';
import { closeSync, fstatSync, openSync, readv, readvSync, writeSync } from 'node:fs';
import { open as openHandle } from 'node:fs/promises';
import os from 'node:os';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import readline from 'node:readline';
import { PassThrough, Readable, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setImmediate as nextTurn, setInterval as everyMs, setTimeout as afterMs } from 'node:timers/promises';
import { isatty } from 'node:tty';
import util from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import { define, readText, sleep, within } from './util.mjs';

const timers = define([], {
  'timers.setTimeout': { covers: ['timers.setTimeout'], run: async () => { await sleep(5); } },
  'timers.setInterval': { covers: ['timers.setInterval', 'timers.clearInterval'], run: () => new Promise((resolve) => {
    let ticks = 0;
    const timer = setInterval(() => { if (++ticks === 3) { clearInterval(timer); resolve(ticks); } }, 2);
  }) },
  'timers.setImmediate': { covers: ['timers.setImmediate'], run: () => new Promise((resolve) => setImmediate(() => resolve('immediate'))) },
  'timers.nextTick-and-microtasks': { covers: ['process.nextTick'], run: () => new Promise((resolve) => {
    const order = [];
    setImmediate(() => resolve(order.join(',')));
    queueMicrotask(() => order.push('micro'));
    process.nextTick(() => order.push('tick'));
  }) },
  'timers.promises.setTimeout': { covers: ['timers/promises.setTimeout'], run: () => afterMs(5, 'value') },
  'timers.promises.setInterval': { covers: ['timers/promises.setInterval'], run: async () => {
    let ticks = 0;
    for await (const _ of everyMs(2)) if (++ticks === 3) break;
    return ticks;
  } },
  'timers.AbortSignal.timeout': async () => {
    const signal = AbortSignal.timeout(5);
    await once(signal, 'abort');
    return signal.reason.name;
  },
  'timers.thousand-concurrent': async () => {
    await Promise.all(Array.from({ length: 1000 }, (_, i) => sleep(i % 10)));
    return 1000;
  },
  'timers.clear': {
    covers: ['timers.clearTimeout', 'timers.clearImmediate'],
    run: async () => {
      const fired = [];
      clearTimeout(setTimeout(() => fired.push('timeout'), 1));
      clearImmediate(setImmediate(() => fired.push('immediate')));
      await sleep(5);
      return fired.length;
    },
  },
  'timers.promises.setImmediate': { covers: ['timers/promises.setImmediate'], run: () => nextTurn('value') },
  'timers.unref-ref': async () => {
    const timer = setTimeout(() => {}, 1).unref();
    timer.ref();
    await sleep(3);
    return timer.hasRef();
  },
});

const proc = define([], {
  'process.memoryUsage': { covers: ['process.memoryUsage'], run: async () => Object.keys(process.memoryUsage()).join(',') },
  'process.memoryUsage.rss': { covers: ['process.memoryUsage.rss'], run: async () => typeof process.memoryUsage.rss() },
  'process.cpuUsage': { covers: ['process.cpuUsage'], run: async () => Object.keys(process.cpuUsage()).join(',') },
  'process.resourceUsage': { covers: ['process.resourceUsage'], run: async () => Object.keys(process.resourceUsage()).length },
  'process.hrtime': { covers: ['process.hrtime'], run: async () => process.hrtime(process.hrtime()).length },
  'process.hrtime.bigint': { covers: ['process.hrtime.bigint'], run: async () => typeof process.hrtime.bigint() },
  'process.uptime': { covers: ['process.uptime'], run: async () => process.uptime() > 0 },
  'process.title.get': async () => typeof process.title,
  'process.title.set': async () => {
    const before = process.title;
    process.title = 'syscage-matrix';
    process.title = before;
  },
  'process.ids': { covers: ['process.getuid', 'process.geteuid', 'process.getgid', 'process.getegid', 'process.getgroups'], run: async () => [process.getuid?.(), process.geteuid?.(), process.getgid?.(), process.getegid?.(), process.getgroups?.().length].join(',') },
  'process.umask': { covers: ['process.umask'], run: async () => {
    const old = process.umask(0o027);
    process.umask(old);
    return old;
  } },
  'process.cwd': { covers: ['process.cwd'], run: async () => process.cwd().startsWith('/') },
  'process.env.set-get': async () => {
    process.env.SYSCAGE_MATRIX_PROBE = 'yes';
    const value = process.env.SYSCAGE_MATRIX_PROBE;
    delete process.env.SYSCAGE_MATRIX_PROBE;
    return value;
  },
  'process.kill.self-0': { covers: ['process.kill'], run: async () => process.kill(process.pid, 0) },
  'process.signal.self-SIGUSR2': async () => {
    const got = once(process, 'SIGUSR2');
    process.kill(process.pid, 'SIGUSR2');
    await within(got, 2000, 'SIGUSR2');
    return 'SIGUSR2';
  },
  'process.signal.self-SIGTERM-handled': async () => {
    const got = once(process, 'SIGTERM');
    process.kill(process.pid, 'SIGTERM');
    await within(got, 2000, 'SIGTERM');
    return 'SIGTERM';
  },
  'process.emitWarning': { covers: ['process.emitWarning'], run: async () => {
    const got = once(process, 'warning');
    process.emitWarning('matrix warning', { code: 'SYSCAGE_MATRIX' });
    const [warning] = await got;
    return warning.code;
  } },
  'process.getActiveResourcesInfo': { covers: ['process.getActiveResourcesInfo'], run: async () => Array.isArray(process.getActiveResourcesInfo()) },
  'process.constrainedMemory': { covers: ['process.constrainedMemory'], run: async () => typeof (process.constrainedMemory?.() ?? 0) },
  'process.stdout.write-pipe': () => new Promise((resolve, reject) => {
    process.stdout.write('', (error) => (error ? reject(error) : resolve('written')));
  }),
  'console.log-and-error': async () => {
    console.log('matrix console.log');
    console.error('matrix console.error');
  },
  'fs.fstat-and-write-held-fds': { covers: ['fs.writeSync', 'fs.fstatSync'], run: async () => {
    writeSync(2, '');
    return fstatSync(2).isFile() || fstatSync(2).isSocket() || fstatSync(2).isFIFO() || fstatSync(2).isCharacterDevice();
  } },
  'tty.isatty-stdio': { covers: ['tty.isatty'], run: async () => [0, 1, 2].map((fd) => isatty(fd)).join(',') },
  'readline.stdin-pipe': async () => {
    const lines = [];
    const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    for await (const line of rl) lines.push(line);
    return lines.join('|');
  },
});

const osFacts = define([], {
  'os.cpus': { covers: ['os.cpus'], run: async () => os.cpus().length > 0 },
  'os.loadavg': { covers: ['os.loadavg'], run: async () => os.loadavg().length },
  'os.freemem': { covers: ['os.freemem'], run: async () => os.freemem() > 0 },
  'os.totalmem': { covers: ['os.totalmem'], run: async () => os.totalmem() > 0 },
  'os.uptime': { covers: ['os.uptime'], run: async () => os.uptime() > 0 },
  'os.availableParallelism': { covers: ['os.availableParallelism'], run: async () => os.availableParallelism() },
  'os.hostname': { covers: ['os.hostname'], run: async () => os.hostname() },
  'os.tmpdir-homedir': { covers: ['os.tmpdir', 'os.homedir'], run: async () => `${os.tmpdir()} ${os.homedir()}` },
  'os.release-version-machine': { covers: ['os.release', 'os.version', 'os.machine'], run: async () => `${os.release()} ${os.version()} ${os.machine()}` },
  'os.getPriority': { covers: ['os.getPriority'], run: async () => os.getPriority() },
  'os.constants-and-static': { covers: ['os.arch', 'os.platform', 'os.type', 'os.endianness'], run: async () => [os.EOL, os.arch(), os.platform(), os.type(), os.endianness(), os.devNull, typeof os.constants.signals.SIGTERM].join(' ') },
});

const time = define([], {
  'date.TZ-env': async () => {
    const before = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      return new Date(0).toString();
    } finally {
      if (before === undefined) delete process.env.TZ; else process.env.TZ = before;
    }
  },
  'date.default-zone-toString': async () => new Date(86_400_000).toString(),
  'date.toLocaleString-timeZone': async () => new Date(0).toLocaleString('en-US', { timeZone: 'Asia/Tokyo' }),
  'intl.DateTimeFormat.resolvedOptions': async () => new Intl.DateTimeFormat().resolvedOptions().timeZone,
  'intl.NumberFormat-Collator-Segmenter': async () => [
    new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(1234.5),
    ['b', 'a', 'ä'].sort(new Intl.Collator('de').compare).join(''),
    [...new Intl.Segmenter('en', { granularity: 'word' }).segment('two words')].length,
  ].join(' '),
  'date.getTimezoneOffset': async () => new Date(0).getTimezoneOffset(),
});

const memory = define([], {
  structuredClone: async () => {
    const copy = structuredClone({ map: new Map([[1, 'a']]), date: new Date(0), nested: { list: [1, 2, 3] } });
    return `${copy.map.get(1)} ${copy.date.getTime()} ${copy.nested.list.length}`;
  },
  'atomics.wait-timeout': async () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10),
  'atomics.waitAsync': async () => {
    const cell = new Int32Array(new SharedArrayBuffer(4));
    const result = Atomics.waitAsync(cell, 0, 0, 1000);
    setTimeout(() => Atomics.notify(cell, 0), 2);
    return result.async ? await result.value : result.value;
  },
  'buffer.ops': async () => {
    const joined = Buffer.concat([Buffer.from('sys'), Buffer.alloc(2, 'c'), Buffer.from('YWdl', 'base64')]);
    return `${joined.toString('utf8')} ${joined.toString('hex').length} ${Buffer.compare(joined, joined)}`;
  },
  'buffer.alloc-64MiB': async () => Buffer.alloc(64 * 1024 * 1024, 1).byteLength,
  'gc.allocation-pressure': async () => {
    let keep = [];
    for (let round = 0; round < 40; round++) {
      keep = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `v${i}` }));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return keep.length;
  },
  'text.encoding': async () => new TextDecoder('latin1').decode(new TextEncoder().encode('syscage')),
  'url.parse': async () => {
    const url = new URL('https://user@example.test:8443/a/../b?q=1#h');
    return `${url.pathname} ${new URLSearchParams(url.search).get('q')}`;
  },
  'json.large': async () => JSON.parse(JSON.stringify(Array.from({ length: 50_000 }, (_, i) => ({ i })))).length,
  'regexp.unicode': async () => /\p{Script=Greek}+/u.exec('abc αβγ')?.[0],
  'vm.runInNewContext': async () => vm.runInNewContext('a + b', { a: 2, b: 3 }),
  'v8.heapStatistics-serialize': async () => `${typeof v8.getHeapStatistics().total_heap_size} ${v8.deserialize(v8.serialize({ a: [1] })).a[0]}`,
  'perf_hooks.monitorEventLoopDelay': async () => {
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
    await sleep(30);
    histogram.disable();
    return typeof histogram.mean;
  },
  'perf_hooks.mark-measure': async () => {
    performance.mark('matrix-a');
    performance.mark('matrix-b');
    return performance.measure('matrix', 'matrix-a', 'matrix-b').name;
  },
  'perf_hooks.eventLoopUtilization': async () => typeof performance.eventLoopUtilization().utilization,
  'async_hooks.AsyncLocalStorage': async () => {
    const storage = new AsyncLocalStorage();
    return storage.run('ctx', async () => { await sleep(1); return storage.getStore(); });
  },
  'events.EventTarget-and-once': async () => {
    const target = new EventTarget();
    setImmediate(() => target.dispatchEvent(new Event('go')));
    const [event] = await once(target, 'go');
    return event.type;
  },
  'stream.pipeline-in-memory': async () => {
    let out = '';
    await pipeline(
      Readable.from(['a', 'b', 'c']),
      new Transform({ transform(chunk, _enc, done) { done(null, chunk.toString().toUpperCase()); } }),
      new Writable({ write(chunk, _enc, done) { out += chunk; done(); } }),
    );
    return out;
  },
  'stream.web-ReadableStream': async () => {
    const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode('web')); c.close(); } }).pipeThrough(new TextDecoderStream());
    return readText(stream);
  },
  'messaging.MessageChannel': { covers: ['worker_threads.MessageChannel', 'worker_threads.MessagePort'], run: async () => {
    const { port1, port2 } = new MessageChannel();
    const got = new Promise((resolve) => { port2.onmessage = (event) => resolve(event.data); });
    port1.postMessage({ hello: 'port' });
    try {
      return (await within(got, 2000, 'port message')).hello;
    } finally {
      port1.close();
    }
  } },
  'messaging.BroadcastChannel': { covers: ['worker_threads.BroadcastChannel'], run: async () => {
    const a = new BroadcastChannel('matrix');
    const b = new BroadcastChannel('matrix');
    const got = new Promise((resolve) => { b.onmessage = (event) => resolve(event.data); });
    a.postMessage('broadcast');
    try {
      return await within(got, 2000, 'broadcast');
    } finally {
      a.close();
      b.close();
    }
  } },
  'blob.text-and-File': async () => `${await new Blob(['blob']).text()} ${new File(['x'], 'f.txt').name}`,
  'util.format-inspect-promisify': async () => {
    const wait = util.promisify((ms, cb) => setTimeout(() => cb(null, ms), ms));
    return `${util.format('%s=%d', 'n', 2)} ${util.inspect({ a: 1 })} ${await wait(1)}`;
  },
  'readline.in-memory': async () => {
    const input = new PassThrough();
    input.end('one\ntwo\n');
    const lines = [];
    for await (const line of readline.createInterface({ input })) lines.push(line);
    return lines.join('|');
  },
  'dns.lookup-ip-literal': { covers: ['dns/promises.lookup'], run: async () => {
    const { lookup } = await import('node:dns/promises');
    return (await lookup('127.0.0.1')).address;
  } },
  'net.isIP-BlockList-SocketAddress': async () => {
    const net = await import('node:net');
    const list = new net.BlockList();
    list.addSubnet('10.0.0.0', 8);
    return `${net.isIP('::1')} ${list.check('10.1.2.3')} ${new net.SocketAddress({ address: '127.0.0.1', port: 1 }).port}`;
  },
});

/** os.userInfo() asks the name service (nscd over a unix socket, then /etc/passwd): dns. */
/** process.report lists network interfaces when it can; the refused netlink socket leaves them out. */
const report = define([], {
  'process.report.getReport': async () => typeof process.report.getReport().header,
});

const nameService = define(['dns'], {
  'os.userInfo': {
    covers: ['os.userInfo'],
    inseparable: { dns: 'after the refused nscd attempt glibc reads /etc/passwd, a read-only open in the baseline (errno mode); paths are Landlock\'s, #4' },
    run: async () => os.userInfo().username,
  },
  // initgroups asks the name service for the user's groups, like os.userInfo(); to the groups held.
  'process.initgroups.same-groups': {
    covers: ['process.initgroups'],
    inseparable: { dns: 'after the refused nscd attempt glibc reads /etc/group, a read-only open in the baseline (errno mode); paths are Landlock\'s, #4' },
    run: async () => {
      const before = process.getgroups().join(',');
      process.initgroups(/** @type {number} */ (process.getuid()), /** @type {number} */ (process.getgid()));
      if (process.getgroups().join(',') !== before) throw new Error(`initgroups changed the groups from ${before} to ${process.getgroups()}`);
      return before;
    },
  },
});

/** Reading on a descriptor the baseline lets the process open (/proc/self is in the implicit read set). */
const heldFile = (/** @type {(fd: number) => Promise<string> | string} */ read) => async () => {
  const fd = openSync('/proc/self/status', 'r');
  try {
    return await read(fd);
  } finally {
    closeSync(fd);
  }
};
const parts = () => [Buffer.alloc(2), Buffer.alloc(3)];

const heldDescriptors = define([], {
  // readv(2): without a position these are not preadv (catalog/baseline.ts).
  'fs.readvSync.held': { covers: ['fs.readvSync'], run: heldFile((fd) => {
    const buffers = parts();
    return `${readvSync(fd, buffers)} ${buffers.join('|')}`;
  }) },
  'fs.readv.callback-held': { covers: ['fs.readv'], run: heldFile(async (fd) => {
    const { bytesRead, buffers } = await new Promise((resolve, reject) => readv(fd, parts(), (error, bytesRead, buffers) => (error ? reject(error) : resolve({ bytesRead, buffers }))));
    return `${bytesRead} ${buffers.join('|')}`;
  }) },
  'filehandle.readv.held': { covers: ['fs/promises.open', 'FileHandle.readv', 'FileHandle.close'], run: async () => {
    const handle = await openHandle('/proc/self/status', 'r');
    try {
      const { bytesRead, buffers } = await handle.readv(parts());
      return `${bytesRead} ${buffers.join('|')}`;
    } finally {
      await handle.close();
    }
  } },
});

const ownProcess = define([], {
  // setpriority on the process itself only (catalog/baseline.ts); the same value, so nothing changes.
  'os.setPriority.self': { covers: ['os.setPriority'], run: async () => {
    os.setPriority(os.getPriority());
    return os.getPriority();
  } },
  'os.setPriority.own-pid': async () => {
    os.setPriority(process.pid, os.getPriority(process.pid));
    return os.getPriority(process.pid);
  },
  // Privilege drops are in the baseline (catalog/baseline.ts); to the ids the process has, so the
  // batch's other operations run as before. glibc makes the call on every thread (setxid).
  'process.setuid-setgid.same-ids': { covers: ['process.setuid', 'process.setgid', 'process.seteuid', 'process.setegid'], run: async () => {
    process.setegid(process.getegid());
    process.seteuid(process.geteuid());
    process.setgid(process.getgid());
    process.setuid(process.getuid());
    return [process.getuid(), process.geteuid(), process.getgid(), process.getegid()].join(',');
  } },
  // setgroups to the groups the process holds (needs CAP_SETGID: the reference run skips it otherwise).
  'process.setgroups.same-groups': {
    covers: ['process.setgroups'],
    run: async () => {
      process.setgroups(process.getgroups());
      return process.getgroups().join(',');
    },
  },
});

const deniedByDesign = define([], {
  'os.setPriority.other-pid': {
    deniedAlways: 'setpriority only on the process itself (packages/core/src/catalog/baseline.ts); another process, here the parent, stays denied',
    run: async () => {
      os.setPriority(process.ppid, os.getPriority(process.ppid));
      return os.getPriority(process.ppid);
    },
  },
});

const recent = define([], {
  'process.getBuiltinModule': { covers: ['process.getBuiltinModule'], run: async () => typeof process.getBuiltinModule('node:path').join },
  'navigator.hardwareConcurrency': { minNode: 22, run: async () => navigator.hardwareConcurrency },
  'process.threadCpuUsage': { covers: ['process.threadCpuUsage'], minNode: 22, run: async () => Object.keys(/** @type {any} */ (process).threadCpuUsage()).join(',') },
  'process.availableMemory': { covers: ['process.availableMemory'], run: async () => typeof process.availableMemory() },
});

/** @type {import('../operations.mjs').Operation[]} */
export default [...timers, ...proc, ...osFacts, ...time, ...memory, ...report, ...nameService, ...heldDescriptors, ...ownProcess, ...deniedByDesign, ...recent];
