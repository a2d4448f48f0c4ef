// Bundles src/main.ts into dist/syslog-parse.js with the syscage plugin, which compiles the
// entry's sandbox() declaration into seccomp filters and writes dist/syslog-parse.js.syscage.json.
import { build } from 'esbuild';
import syscage from '@syscage/plugin/esbuild';

await build({
  entryPoints: ['src/main.ts'],
  outfile: 'dist/syslog-parse.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // Dependencies stay in node_modules: @syscage/runtime loads its native ffi-rs binding from there.
  packages: 'external',
  logLevel: 'warning',
  plugins: [syscage()],
});
