/**
 * Capability names back to a declaration: `['fs.read', 'net.connect']` →
 * `{ fs: { read: true }, net: { connect: true } }`, each name placed where core's capability table
 * writes it. Used where only names are known (a bundle's payload, a trace's inferred grants, the
 * command line's options); a caller that knows scopes passes them as lists.
 */

import { CAPABILITIES, type Capabilities, type CapabilityName, type ViolationMode } from '@syscage/core';

const PLACES = new Map(CAPABILITIES.map((capability) => [capability.name as string, capability.path]));

/**
 * The declaration granting exactly `grants` (unscoped, or scoped to the list `scopes` gives), with `onViolation`.
 * @example
 * declarationFromGrants(['fs.read', 'dns'], 'errno'); // { fs: { read: true }, dns: true, onViolation: 'errno' }
 */
export function declarationFromGrants(grants: readonly string[], onViolation?: ViolationMode, scopes?: ReadonlyMap<CapabilityName, readonly (string | number)[]>): Capabilities {
  const declaration: Record<string, unknown> = {};
  for (const name of grants) {
    const value = scopes?.get(name as CapabilityName) ?? true;
    const [group, key] = PLACES.get(name) ?? (name.split('.') as [string, string | undefined]);
    if (key === undefined) declaration[group] = value;
    else declaration[group] = { ...(declaration[group] as object | undefined), [key]: value };
  }
  if (onViolation !== undefined) declaration['onViolation'] = onViolation;
  return declaration as Capabilities;
}
