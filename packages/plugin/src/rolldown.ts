/**
 * The syscage plugin for Rolldown: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/rolldown';
 * export default { input: 'src/main.ts', platform: 'node', output: { dir: 'dist' }, plugins: [syscage()] };
 */
import { createRolldownPlugin, type UnpluginInstance } from 'unplugin';
import type { Options } from './core/options.ts';
import { createSyscagePlugin } from './factory.ts';

// unplugin types this creator's result for factories that may return several plugins; this one
// returns one, which the adapter hands over alone.
export default createRolldownPlugin(createSyscagePlugin) as UnpluginInstance<Options | undefined, false>['rolldown'];
