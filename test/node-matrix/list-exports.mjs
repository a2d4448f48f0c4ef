#!/usr/bin/env node
/**
 * Lists the exported functions of the Node modules the matrix must cover, as the running Node
 * binary has them, one JSON array on stdout: `fs.readv`, `fs/promises.open`, `fs.realpathSync.native`,
 * `process.setuid`, `FileHandle.readv`… `coverage.mjs` runs it once per Node version with that
 * version's binary (never in the test runner's process: the runner's Node is not the one measured).
 *
 * What counts: every own property of the module object (getters included: `fs.ReadStream` is
 * lazy) whose value is a function, classes included; one level of function-valued properties of
 * those functions (`process.hrtime.bigint`); and FileHandle's methods (prototype and instance,
 * `close` is an instance field). Inherited members (EventEmitter's `on`…) and symbol keys are not
 * listed. Judging what is covered is `coverage.mjs`'s job, not this file's.
 */
import { open } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** The modules whose exported functions the matrix covers, by construction (issue 13). */
export const MODULES = Object.freeze([
  'fs', 'fs/promises', 'os', 'process', 'net', 'dgram', 'dns', 'dns/promises', 'child_process', 'worker_threads',
  'crypto', 'zlib', 'timers', 'timers/promises', 'tty', 'http', 'https',
]);

/** Properties every function has. */
const FUNCTION_OWN = new Set(['length', 'name', 'prototype', 'caller', 'arguments']);

/**
 * @param {object} object
 * @param {string} key
 * @returns {unknown} the property's value, or undefined if its getter throws.
 */
function valueOf(object, key) {
  try {
    return /** @type {Record<string, unknown>} */ (object)[key];
  } catch {
    return undefined;
  }
}

/**
 * @param {string} prefix  e.g. `fs`.
 * @param {object} object
 * @returns {string[]}
 */
function functionsOf(prefix, object) {
  const names = [];
  for (const key of Object.getOwnPropertyNames(object)) {
    const value = valueOf(object, key);
    if (typeof value !== 'function') continue;
    names.push(`${prefix}.${key}`);
    for (const inner of Object.getOwnPropertyNames(value)) {
      if (!FUNCTION_OWN.has(inner) && typeof valueOf(value, inner) === 'function') names.push(`${prefix}.${key}.${inner}`);
    }
  }
  return names;
}

/** @returns {Promise<string[]>} FileHandle's methods, from a handle on this file. */
async function fileHandleMethods() {
  const handle = await open(fileURLToPath(import.meta.url));
  try {
    const proto = Object.getPrototypeOf(handle);
    const keys = new Set([...Object.getOwnPropertyNames(proto), ...Object.getOwnPropertyNames(handle)]);
    keys.delete('constructor');
    return [...keys].filter((key) => typeof (Object.getOwnPropertyDescriptor(proto, key) ?? Object.getOwnPropertyDescriptor(handle, key))?.value === 'function').map((key) => `FileHandle.${key}`);
  } finally {
    await handle.close();
  }
}

/**
 * Every exported function of MODULES in this Node, sorted.
 *
 * @returns {Promise<string[]>}
 */
export async function listExports() {
  const names = [];
  for (const name of MODULES) {
    const object = name === 'process' ? process : (await import(`node:${name}`)).default;
    names.push(...functionsOf(name, object));
  }
  names.push(...(await fileHandleMethods()));
  return [...new Set(names)].sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.stdout.write(`${JSON.stringify(await listExports())}\n`);
