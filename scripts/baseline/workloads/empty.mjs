// Workload: the empty program (ESM entry). Measures what Node does between the first line of user
// code and exit when user code does nothing: the floor of the runtime baseline.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}
