// Workload: the empty program with a CommonJS entry (Node's CJS loader, threadpool started lazily).
try { require('node:fs').accessSync('/__syscage_marker__'); } catch {}
