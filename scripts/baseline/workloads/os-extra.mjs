// Workload: the heavier process/os calls: network interfaces (netlink), user info (NSS, passwd),
// setting the process title (prctl), priority, chdir, and process.report (which napi-rs
// loaders, ffi-rs's among them, call to tell glibc from musl).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const os = await import('node:os');

os.networkInterfaces();
os.userInfo();
process.title = 'syscage-workload';
os.setPriority(os.getPriority());
process.chdir(process.env.SYSCAGE_WORK_DIR ?? os.tmpdir());
process.report.getReport();
