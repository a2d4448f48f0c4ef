/**
 * The syscage plugin for esbuild: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/esbuild';
 * import { build } from 'esbuild';
 * await build({ entryPoints: ['src/main.ts'], bundle: true, platform: 'node', format: 'esm', outfile: 'dist/main.js', plugins: [syscage()] });
 */
import { createEsbuildPlugin } from 'unplugin';
import { createSyscagePlugin } from './factory.ts';

export default createEsbuildPlugin(createSyscagePlugin);
