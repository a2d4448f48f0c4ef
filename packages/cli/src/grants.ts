/**
 * Capability names back to a declaration: `['fs.read', 'net.connect']` →
 * `{ fs: { read: true }, net: { connect: true } }`. Used where only names are known (a bundle's
 * payload, a trace's inferred grants); scopes are added by the caller.
 */

import type { Capabilities } from '@syscage/core';

/** The declaration granting exactly `grants` (unscoped), with `onViolation`. */
export function declarationFromGrants(grants: readonly string[], onViolation?: 'kill' | 'errno'): Capabilities {
  const declaration: Record<string, unknown> = {};
  for (const name of grants) {
    const [group, key] = name.split('.') as [string, string | undefined];
    if (key === undefined) declaration[group] = true;
    else declaration[group] = { ...(declaration[group] as object | undefined), [key]: true };
  }
  if (onViolation !== undefined) declaration['onViolation'] = onViolation;
  return declaration as Capabilities;
}
