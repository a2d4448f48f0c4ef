// An SSR build: one Node entry. @syscage/runtime stays in node_modules, where it finds its native
// ffi-rs binding; Vite leaves installed dependencies external in SSR builds, but bundles linked
// (workspace) ones, hence `ssr.external`. The syscage plugin compiles the
// entry's sandbox() declaration and writes dist/static-server.js.syscage.json.
import syscage from '@syscage/plugin/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  // ./public is what the server serves at run time, not a directory of assets for Vite to copy.
  publicDir: false,
  plugins: [syscage()],
  ssr: { external: ['@syscage/runtime'] },
  build: {
    ssr: 'src/main.ts',
    target: 'node20',
    outDir: 'dist',
    rolldownOptions: { output: { entryFileNames: 'static-server.js' } },
  },
});
