/** Picks a field out of parsed JSON by a dot path; numeric segments index arrays. Pure. */

/**
 * The value at `path` in `document`, or undefined when some segment is missing.
 * @example
 * pickField({ a: [{ b: 1 }] }, 'a.0.b'); // 1
 */
export function pickField(document: unknown, path: string): unknown {
  let value = document;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}
