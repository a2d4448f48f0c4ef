/**
 * The syscage plugin for webpack: compiles each entry's `sandbox()` declaration (or `entries` option)
 * at build time and puts a gate in front of the entry's output that applies it first.
 * @example
 * import syscage from '@syscage/plugin/webpack';
 * module.exports = { target: 'node', entry: './src/main.js', plugins: [syscage()] };
 */
import { createWebpackPlugin } from 'unplugin';
import { createSyscagePlugin } from './factory.ts';

export default createWebpackPlugin(createSyscagePlugin);
