/**
 * The syscage plugin for Rollup: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rollup';
 * export default { input: 'src/main.js', output: { dir: 'dist', format: 'esm' }, external: [/^node:/, /^@syscage\/runtime/], plugins: [syscage()] };
 */
import { createRollupPlugin, type UnpluginInstance } from 'unplugin';
import type { Options } from './core/options.ts';
import { createSyscagePlugin } from './factory.ts';

// unplugin types this creator's result for factories that may return several plugins; this one
// returns one, which the adapter hands over alone.
export default createRollupPlugin(createSyscagePlugin) as UnpluginInstance<Options | undefined, false>['rollup'];
