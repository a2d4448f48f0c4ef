/**
 * The syscage plugin for Vite: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/vite';
 * import { defineConfig } from 'vite';
 * export default defineConfig({ plugins: [syscage()], build: { ssr: 'src/main.ts' } });
 */
import { createVitePlugin, type UnpluginInstance } from 'unplugin';
import type { Options } from './core/options.ts';
import { createSyscagePlugin } from './factory.ts';

// unplugin types this creator's result for factories that may return several plugins; this one
// returns one, which the adapter hands over alone.
export default createVitePlugin(createSyscagePlugin) as UnpluginInstance<Options | undefined, false>['vite'];
