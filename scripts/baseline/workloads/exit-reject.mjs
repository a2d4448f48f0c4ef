// Workload: an unhandled promise rejection (exit code 1 under the default --unhandled-rejections=throw).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

await new Promise((done) => setTimeout(done, 10));
Promise.reject(new Error('syscage baseline: deliberate unhandled rejection'));
