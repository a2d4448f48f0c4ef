/**
 * The syscage plugin for Rspack: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rspack';
 * export default { target: 'node', entry: './src/main.ts', plugins: [syscage()] };
 */
import { createRspackPlugin } from 'unplugin';
import { createSyscagePlugin } from './factory.ts';

export default createRspackPlugin(createSyscagePlugin);
