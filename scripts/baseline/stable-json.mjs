/**
 * Deterministic JSON for generated files: object keys sorted at every level, short arrays of
 * scalars on one line, two-space indentation. Array order is the caller's (sort before writing).
 */

/**
 * JSON with object keys sorted at every level and short arrays of scalars on one line, so that
 * regenerating gives the same bytes whenever the measured facts are the same.
 *
 * @param {unknown} value
 * @param {string} [indent]
 * @returns {string}
 */
export function stableStringify(value, indent = '') {
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => typeof v !== 'object' || v === null)) {
      const flat = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (flat.length + indent.length <= 100) return flat;
    }
    return `[\n${value.map((v) => inner + stableStringify(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (typeof value === 'object' && value !== null) {
    const keys = Object.keys(value).sort();
    if (keys.length === 0) return '{}';
    const body = keys.map((k) => `${inner}${JSON.stringify(k)}: ${stableStringify(/** @type {Record<string, unknown>} */ (value)[k], inner)}`);
    return `{\n${body.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}
