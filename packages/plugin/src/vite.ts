/**
 * The syscage plugin for Vite: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and injects the loader that applies it first.
 * @example
 * import syscage from '@syscage/plugin/vite';
 * import { defineConfig } from 'vite';
 * export default defineConfig({ plugins: [syscage()], build: { ssr: 'src/main.ts' } });
 */
import syscage from './index.ts';

export default syscage.vite;
