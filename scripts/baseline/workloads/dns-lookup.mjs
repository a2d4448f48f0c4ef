// Workload: dns.lookup (glibc getaddrinfo on the threadpool) of 'localhost' and of IP literals.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const dns = await import('node:dns');
const { promisify } = await import('node:util');

await promisify(dns.lookup)('localhost');
await dns.promises.lookup('localhost', { all: true });
await dns.promises.lookup('localhost', { family: 4 });
await dns.promises.lookup('127.0.0.1');
await dns.promises.lookup('::1');
