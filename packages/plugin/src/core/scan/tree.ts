/**
 * Walking an oxc-parser (ESTree) tree: every node with its parent, and the file's identifiers in
 * source order. Tree mechanics only; what the nodes mean is `rules.ts`'s and `bindings.ts`'s.
 */

import type { Node, Program } from 'oxc-parser';

/** Calls `visit` on every node under `root` (itself included) with its parent, in property order. */
export function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
  const step = (node: Node, parent: Node | undefined): void => {
    visit(node, parent);
    for (const key in node) {
      if (key === 'parent') continue;
      const value: unknown = (node as unknown as Record<string, unknown>)[key];
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) step(item, node);
      } else if (isNode(value)) {
        step(value, node);
      }
    }
  };
  step(root, undefined);
}

/** Every identifier of the file, in source order, with each node's `parent` set on the way. */
export function identifiers(root: Program): Node[] {
  const out: Node[] = [];
  walk(root, (node, parent) => {
    if (parent !== undefined) node.parent = parent;
    if (node.type === 'Identifier') out.push(node);
  });
  // The walk follows each node's property order, which is not always source order; "the first declaration" must be.
  return out.sort((a, b) => a.start - b.start);
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
