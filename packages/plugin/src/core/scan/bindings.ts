/**
 * How a file binds `@syscage/runtime`'s `sandbox`: ES imports (`import { sandbox }`, aliased, or
 * `import * as rt`) and CommonJS requires (`const { sandbox } = require(...)`, aliased, or
 * `const rt = require(...)`), and the edits that drop those bindings once the declaration is
 * compiled, so the runtime's compiler is not bundled. It reads syntax only; finding the calls is
 * `rules.ts`'s business.
 */

import type { Node, Statement } from 'oxc-parser';
import { unwrapExport, type EvaluateContext } from './evaluate.ts';
import type { Ranged } from './locate.ts';

/** The module declarations are imported from. */
export const RUNTIME_MODULE = '@syscage/runtime';

/** Replace `[start, end)` of the original code with `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** One place the file binds the runtime: an import declaration or a `require` variable statement. */
interface BindingSite {
  /** The whole statement, removed when nothing it binds is kept. */
  readonly statement: Statement;
  /** The `{ ... }` of named imports or of an object pattern, if any. */
  readonly braces: Ranged | undefined;
  /** Its named elements (import specifiers, or properties and rest of an object pattern), in order. */
  readonly elements: readonly Ranged[];
  /** Those of `elements` bound to `sandbox`. */
  readonly sandboxElements: readonly Ranged[];
  /** Whether it binds more than the elements in braces (a default import). */
  readonly bindsOther: boolean;
  /** The name of a namespace binding (`* as rt`, `const rt = require(...)`), if any. */
  readonly namespace: string | undefined;
  readonly commonjs: boolean;
}

/** The runtime bindings of a file. */
export interface RuntimeBindings {
  /** Local names bound to `sandbox`. */
  readonly named: ReadonlySet<string>;
  /** Local names bound to the whole module. */
  readonly namespaces: ReadonlySet<string>;
  /** Whether the file binds the runtime only through `require` and has no ES module syntax. */
  readonly commonjs: boolean;
  readonly sites: readonly BindingSite[];
}

/** `require('@syscage/runtime')`. */
export function isRuntimeRequire(node: Node | null): boolean {
  if (node === null || node.type !== 'CallExpression' || node.callee.type !== 'Identifier' || node.callee.name !== 'require' || node.arguments.length !== 1) return false;
  const [arg] = node.arguments;
  return arg !== undefined && arg.type === 'Literal' && arg.value === RUNTIME_MODULE;
}

/** The name an import or a property key spells, if it is a plain name or a string. */
function nameOf(node: Node, computed = false): string | undefined {
  if (computed) return undefined;
  if (node.type === 'Identifier') return node.name;
  return node.type === 'Literal' && typeof node.value === 'string' ? node.value : undefined;
}

/** Finds the top-level bindings of `@syscage/runtime` in the file. */
export function findRuntimeBindings(ctx: EvaluateContext): RuntimeBindings {
  const { code } = ctx.source;
  const named = new Set<string>();
  const namespaces = new Set<string>();
  const sites: BindingSite[] = [];
  let esm = false;
  for (const statement of ctx.program.body) {
    if (isModuleSyntax(statement)) esm = true;
    const node = unwrapExport(statement);
    if (node.type === 'ImportDeclaration') {
      if (node.source.value !== RUNTIME_MODULE || node.specifiers.length === 0 || node.importKind === 'type') continue;
      let namespace: string | undefined;
      let bindsOther = false;
      const elements: Ranged[] = [];
      const sandboxElements: Ranged[] = [];
      for (const s of node.specifiers) {
        if (s.type === 'ImportNamespaceSpecifier') namespace = s.local.name;
        else if (s.type === 'ImportDefaultSpecifier') bindsOther = true;
        else {
          elements.push(s);
          if (s.importKind !== 'type' && nameOf(s.imported) === 'sandbox') {
            sandboxElements.push(s);
            named.add(s.local.name);
          }
        }
      }
      if (namespace !== undefined) namespaces.add(namespace);
      // ESTree has no node for the braces of named imports: they enclose the first and last specifiers.
      const first = elements[0];
      const last = elements.at(-1);
      const braces = first && last ? { start: code.lastIndexOf('{', first.start), end: code.indexOf('}', last.end) + 1 } : undefined;
      sites.push({ statement, braces, elements, sandboxElements, bindsOther, namespace, commonjs: false });
    } else if (node.type === 'VariableDeclaration') {
      if (node.declarations.length !== 1) continue;
      const [declaration] = node.declarations;
      if (declaration === undefined || !isRuntimeRequire(declaration.init)) continue;
      const id = declaration.id;
      if (id.type === 'Identifier') {
        namespaces.add(id.name);
        sites.push({ statement, braces: undefined, elements: [], sandboxElements: [], bindsOther: false, namespace: id.name, commonjs: true });
      } else if (id.type === 'ObjectPattern') {
        const sandboxElements: Ranged[] = [];
        for (const p of id.properties) {
          if (p.type === 'RestElement') continue;
          const local = p.value.type === 'AssignmentPattern' ? p.value.left : p.value;
          if (local.type !== 'Identifier' || nameOf(p.key, p.computed) !== 'sandbox') continue;
          sandboxElements.push(p);
          named.add(local.name);
        }
        sites.push({ statement, braces: { start: id.start, end: code.indexOf('}', Math.max(id.start, ...id.properties.map((p) => p.end))) + 1 }, elements: id.properties, sandboxElements, bindsOther: false, namespace: undefined, commonjs: true });
      }
    }
  }
  const commonjs = !esm && sites.length > 0 && sites.every((site) => site.commonjs);
  return { named, namespaces, commonjs, sites };
}

/** An ES `import` or `export` statement. */
function isModuleSyntax(statement: Statement): boolean {
  switch (statement.type) {
    case 'ImportDeclaration':
    case 'ExportNamedDeclaration':
    case 'ExportDefaultDeclaration':
    case 'ExportAllDeclaration':
    case 'TSExportAssignment':
      return true;
    default:
      return false;
  }
}

/** Whether `identifier` (whose parent is `parent`) is where a name is bound (an import, a variable or a destructured name), not a use of it. */
export function isBindingSite(identifier: Node, parent: Node | undefined): boolean {
  if (parent === undefined) return false;
  switch (parent.type) {
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'ArrayPattern':
    case 'RestElement':
      return true;
    case 'AssignmentPattern':
      return parent.left === identifier;
    case 'VariableDeclarator':
      return parent.id === identifier;
    case 'Property':
      return parent.parent?.type === 'ObjectPattern';
    default:
      return false;
  }
}

/**
 * Edits that drop `sandbox` from the runtime bindings, and whole statements that bind nothing
 * else still used.
 * @param namespaceOtherUse Namespace names used for more than `.sandbox(...)`.
 */
export function bindingEdits(ctx: EvaluateContext, bindings: RuntimeBindings, namespaceOtherUse: ReadonlySet<string>): Edit[] {
  const edits: Edit[] = [];
  const { code } = ctx.source;
  for (const site of bindings.sites) {
    const keepNs = site.namespace !== undefined && namespaceOtherUse.has(site.namespace);
    const keep = site.elements.filter((e) => !site.sandboxElements.includes(e));
    if (keep.length === 0 && !keepNs && !site.bindsOther && (site.sandboxElements.length > 0 || site.namespace !== undefined)) {
      edits.push({ start: site.statement.start, end: site.statement.end, text: '' });
    } else if (site.sandboxElements.length > 0 && site.braces !== undefined) {
      edits.push({ start: site.braces.start, end: site.braces.end, text: keep.length === 0 ? '{}' : `{ ${keep.map((e) => code.slice(e.start, e.end)).join(', ')} }` });
    }
  }
  return edits;
}
