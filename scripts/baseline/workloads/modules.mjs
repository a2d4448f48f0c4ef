// Workload: module loading after start-up: import() of ESM, JSON, a package's "#imports" entry,
// CommonJS through createRequire, builtins, and a bare specifier that does not resolve (the
// node_modules walk up to the root).
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const { createRequire } = await import('node:module');
await import('node:util');
await import('node:stream/promises');
const fixture = await import('./fixtures/index.mjs');
await import('./fixtures/data.json', { with: { type: 'json' } });
const require = createRequire(import.meta.url);
require('./fixtures/legacy.cjs');
require('./fixtures/data.json');
require.resolve('./fixtures/index.mjs');
await import('syscage-fixture-missing-package').catch(() => {});
if (fixture.answer() !== 42) throw new Error('fixture did not load');
