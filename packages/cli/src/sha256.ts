/**
 * SHA-256 of filter bytes, as `inspect` and `compile` print them. node:crypto is loaded on first
 * use: the CLI is one bundle, and `syscage exec`, which never hashes, should not pay ~2 ms of
 * start-up for it.
 */

/** The lowercase hex SHA-256 of `bytes`. */
export function sha256(bytes: Uint8Array): string {
  return process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
}
