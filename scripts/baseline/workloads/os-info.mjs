// Workload: process and os information that programs and libraries read casually (the lazy
// readers: /proc and cgroup files behind memoryUsage, availableParallelism, cpus, loadavg...).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const os = await import('node:os');
const v8 = await import('node:v8');

process.memoryUsage();
process.memoryUsage.rss();
process.resourceUsage();
process.cpuUsage();
process.hrtime();
process.uptime();
process.cwd();
process.umask();
process.getuid(); process.geteuid(); process.getgid(); process.getegid(); process.getgroups();
process.constrainedMemory?.();
process.availableMemory?.();
process.title;
process.ppid;
os.availableParallelism();
os.cpus();
os.loadavg();
os.totalmem();
os.freemem();
os.uptime();
os.hostname();
os.homedir();
os.tmpdir();
os.release();
os.version();
os.machine();
os.type();
os.platform();
os.arch();
os.endianness();
os.getPriority();
v8.getHeapStatistics();
v8.getHeapSpaceStatistics();
v8.getHeapCodeStatistics();
performance.eventLoopUtilization();
performance.timeOrigin;
