// One Node entry, ESM. @syscage/runtime stays external: it loads its native ffi-rs binding from
// node_modules. The syscage plugin compiles the entry's sandbox() declaration and writes
// dist/fetch-json.js.syscage.json.
import syscage from '@syscage/plugin/rolldown';
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'src/main.ts',
  platform: 'node',
  external: [/^node:/, /^@syscage\/runtime(\/|$)/],
  plugins: [syscage()],
  output: { dir: 'dist', format: 'esm', entryFileNames: 'fetch-json.js' },
});
