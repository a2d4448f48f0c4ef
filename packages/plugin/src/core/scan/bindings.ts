/**
 * How a file binds `@syscage/runtime`'s `sandbox`: ES imports (`import { sandbox }`, aliased, or
 * `import * as rt`) and CommonJS requires (`const { sandbox } = require(...)`, aliased, or
 * `const rt = require(...)`), and the edits that drop those bindings once the declaration is
 * compiled, so the runtime's compiler is not bundled. It reads syntax only; finding the calls is
 * `scan.ts`'s business.
 */

import type * as Ts from 'typescript';
import type { EvaluateContext } from './evaluate.ts';

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
  readonly statement: Ts.Statement;
  /** The `{ ... }` of named imports or of an object binding pattern, if any. */
  readonly braces: Ts.NamedImports | Ts.ObjectBindingPattern | undefined;
  /** Its named elements (import specifiers or binding elements) bound to `sandbox`. */
  readonly sandboxElements: Ts.Node[];
  /** Whether it binds more than the elements in braces (a default import). */
  readonly bindsOther: boolean;
  /** The name of a namespace binding (`* as rt`, `const rt = require(...)`), if any. */
  readonly namespace: string | undefined;
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
function isRuntimeRequire(ts: typeof Ts, node: Ts.Expression | undefined): boolean {
  return node !== undefined && ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require' && node.arguments.length === 1 && node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0]) && node.arguments[0].text === RUNTIME_MODULE;
}

/** Finds the top-level bindings of `@syscage/runtime` in the file. */
export function findRuntimeBindings(ctx: EvaluateContext): RuntimeBindings {
  const { ts } = ctx;
  const named = new Set<string>();
  const namespaces = new Set<string>();
  const sites: BindingSite[] = [];
  let esm = false;
  for (const statement of ctx.sourceFile.statements) {
    if (isModuleSyntax(ts, statement)) esm = true;
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (!ts.isStringLiteral(statement.moduleSpecifier) || statement.moduleSpecifier.text !== RUNTIME_MODULE || clause === undefined || clause.isTypeOnly) continue;
      const bindings = clause.namedBindings;
      const namespace = bindings && ts.isNamespaceImport(bindings) ? bindings.name.text : undefined;
      const braces = bindings && ts.isNamedImports(bindings) ? bindings : undefined;
      const sandboxElements = (braces?.elements ?? []).filter((s) => !s.isTypeOnly && (s.propertyName ?? s.name).text === 'sandbox');
      for (const s of sandboxElements) named.add(s.name.text);
      if (namespace !== undefined) namespaces.add(namespace);
      sites.push({ statement, braces, sandboxElements, bindsOther: clause.name !== undefined, namespace });
    } else if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        if (!isRuntimeRequire(ts, declaration.initializer)) continue;
        if (statement.declarationList.declarations.length !== 1) continue;
        const name = declaration.name;
        if (ts.isIdentifier(name)) {
          namespaces.add(name.text);
          sites.push({ statement, braces: undefined, sandboxElements: [], bindsOther: false, namespace: name.text });
        } else if (ts.isObjectBindingPattern(name)) {
          const sandboxElements = name.elements.filter((e) => !e.dotDotDotToken && ts.isIdentifier(e.name) && textOfKey(ts, e.propertyName ?? e.name) === 'sandbox');
          for (const e of sandboxElements) named.add((e.name as Ts.Identifier).text);
          sites.push({ statement, braces: name, sandboxElements, bindsOther: false, namespace: undefined });
        }
      }
    }
  }
  const commonjs = !esm && sites.length > 0 && sites.every((site) => ts.isVariableStatement(site.statement));
  return { named, namespaces, commonjs, sites };
}

/** An ES `import` or `export` statement. */
function isModuleSyntax(ts: typeof Ts, statement: Ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) return true;
  return ts.canHaveModifiers(statement) && (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
}

function textOfKey(ts: typeof Ts, name: Ts.PropertyName | Ts.BindingName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
}

/** Whether `identifier` is where a name is bound (an import, a variable or a destructured name), not a use of it. */
export function isBindingSite(ts: typeof Ts, identifier: Ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isImportSpecifier(parent) || ts.isNamespaceImport(parent) || ts.isImportClause(parent)) return true;
  if (ts.isBindingElement(parent)) return parent.name === identifier || parent.propertyName === identifier;
  return ts.isVariableDeclaration(parent) && parent.name === identifier;
}

/**
 * Edits that drop `sandbox` from the runtime bindings, and whole statements that bind nothing
 * else still used.
 * @param namespaceOtherUse Namespace names used for more than `.sandbox(...)`.
 */
export function bindingEdits(ctx: EvaluateContext, bindings: RuntimeBindings, namespaceOtherUse: ReadonlySet<string>): Edit[] {
  const edits: Edit[] = [];
  const { sourceFile } = ctx;
  for (const site of bindings.sites) {
    const keepNs = site.namespace !== undefined && namespaceOtherUse.has(site.namespace);
    const elements: readonly Ts.Node[] = site.braces?.elements ?? [];
    const keep = elements.filter((e) => !site.sandboxElements.includes(e));
    if (keep.length === 0 && !keepNs && !site.bindsOther && (site.sandboxElements.length > 0 || site.namespace !== undefined)) {
      edits.push({ start: site.statement.getStart(sourceFile), end: site.statement.getEnd(), text: '' });
    } else if (site.sandboxElements.length > 0 && site.braces !== undefined) {
      edits.push({ start: site.braces.getStart(sourceFile), end: site.braces.getEnd(), text: keep.length === 0 ? '{}' : `{ ${keep.map((e) => e.getText(sourceFile)).join(', ')} }` });
    }
  }
  return edits;
}
