/**
 * `trace --write ENTRY`: the edits that make a program's entry declare `declaration`. Where the
 * entry already calls `sandbox({...})` (or decorates a class with `@sandbox({...})`, or passes a
 * `const` of the same file), that object's capability keys are updated and the rest is left as
 * written; where it binds `sandbox` from `@syscage/runtime` (import, namespace import, or a CommonJS
 * `require`), that binding is called; else the import (or `require`) and the call are added. It
 * works on text and never touches the file system.
 */

import { isBuiltin } from 'node:module';
import type { CallExpression, Node, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import type { Capabilities } from '@syscage/core';
import { CliError } from '../exit-codes.ts';
import { applyEdits, capabilityProperties, detectStyle, formatObject, indentAt, parseSource, updateObject, type Edit, type Style, type TsMorph } from './source.ts';

const RUNTIME = '@syscage/runtime';

/** The result of {@link updateEntry}. */
export interface EntryUpdate {
  readonly text: string;
  /** What was done: `unchanged`, `updated` (an existing declaration) or `added` (a new call). */
  readonly action: 'unchanged' | 'updated' | 'added';
  /** Lines to tell the user (where the declaration must stand). */
  readonly notes: readonly string[];
}

/**
 * The entry `name` (its text `text`) declaring `declaration`. `packageType` is the nearest
 * package.json's `type`, for a `.js`/`.ts` file whose syntax does not say which module system it uses.
 * @throws {CliError} when the entry declares more than once, or in a form that cannot be updated soundly.
 * @example
 * updateEntry(tsMorph, 'app.mjs', "console.log('hi');\n", { dns: true }, 'module').text;
 * // "import { sandbox } from '@syscage/runtime';\nsandbox({\n  dns: true,\n});\n\nconsole.log('hi');\n"
 */
export function updateEntry(tsMorph: TsMorph, name: string, text: string, declaration: Capabilities, packageType: string | undefined): EntryUpdate {
  const file = parseSource(tsMorph, name, text);
  const style = detectStyle(tsMorph, file);
  const callees = sandboxCallees(tsMorph, file);
  const calls = file.getDescendantsOfKind(tsMorph.SyntaxKind.CallExpression).filter((call) => callees.has(call.getExpression().getText()));
  if (calls.length > 1) {
    const lines = calls.map((call) => call.getStartLineNumber()).join(', ');
    throw new CliError(1, `${name}: sandbox() is called ${calls.length} times (lines ${lines}); nothing written.`, 'A program declares its sandbox once: keep one call, then run again.');
  }
  const call = calls[0];
  if (call !== undefined) {
    const edits = updateCall(tsMorph, name, call, declaration, style);
    return { text: applyEdits(text, edits), action: edits.length === 0 ? 'unchanged' : 'updated', notes: [] };
  }
  const esm = isModule(tsMorph, name, file, packageType);
  const edits = esm ? addToModule(tsMorph, name, file, callees, declaration, style) : addToCommonJs(tsMorph, name, file, callees, declaration, style);
  // Node's built-in modules do nothing a sandbox would stop when imported; the others may.
  const others = file.getImportDeclarations().filter((d) => d.getModuleSpecifierValue() !== RUNTIME && !d.isTypeOnly() && !isBuiltin(d.getModuleSpecifierValue()));
  const notes = esm && others.length > 0
    ? [`${name} is an ES module: its imports (${others.map((d) => d.getModuleSpecifierValue()).slice(0, 3).join(', ')}${others.length > 3 ? ', …' : ''}) are evaluated before its own code, so for a program run unbuilt the declaration must come first: move it into a module of its own and make that the first import (\`import './sandbox.mjs';\`), or load it with \`node --import\`. Built with @syscage/plugin, nothing more is needed: the gate runs first.`]
    : [];
  return { text: applyEdits(text, edits), action: 'added', notes };
}

/** How the entry calls sandbox: `sandbox`, an alias, or `ns.sandbox`, from every binding of the runtime. */
function sandboxCallees(tsMorph: TsMorph, file: SourceFile): Set<string> {
  const { Node: N } = tsMorph;
  const callees = new Set<string>();
  for (const declaration of file.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== RUNTIME || declaration.isTypeOnly()) continue;
    for (const named of declaration.getNamedImports()) {
      if (named.getName() === 'sandbox' && !named.isTypeOnly()) callees.add(named.getAliasNode()?.getText() ?? 'sandbox');
    }
    const namespace = declaration.getNamespaceImport();
    if (namespace !== undefined) callees.add(`${namespace.getText()}.sandbox`);
  }
  for (const variable of file.getVariableDeclarations()) {
    const init = variable.getInitializer();
    if (init === undefined || !N.isCallExpression(init) || init.getExpression().getText() !== 'require') continue;
    const [specifier] = init.getArguments();
    if (specifier === undefined || !N.isStringLiteral(specifier) || specifier.getLiteralValue() !== RUNTIME) continue;
    const binding = variable.getNameNode();
    if (N.isIdentifier(binding)) callees.add(`${binding.getText()}.sandbox`);
    else if (N.isObjectBindingPattern(binding)) {
      for (const element of binding.getElements()) {
        if ((element.getPropertyNameNode()?.getText() ?? element.getName()) === 'sandbox') callees.add(element.getName());
      }
    }
  }
  return callees;
}

/** Edits to an existing call: its object argument updated, or one written where there is none. */
function updateCall(tsMorph: TsMorph, name: string, call: CallExpression, declaration: Capabilities, style: Style): Edit[] {
  const { SyntaxKind } = tsMorph;
  const [argument] = call.getArguments();
  if (argument === undefined) {
    const open = call.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
    return [{ start: open.getEnd(), end: open.getEnd(), text: formatObject(capabilityProperties(declaration, style), indentAt(call), style) }];
  }
  const object = objectOf(tsMorph, argument);
  if (object !== undefined) return updateObject(tsMorph, object, declaration, style, name);
  const { line, column } = call.getSourceFile().getLineAndColumnAtPos(argument.getStart());
  throw new CliError(1, `${name}:${line}:${column}: sandbox() is given \`${argument.getText()}\`, not an object literal or a const of this file; nothing written.`, 'Write the declaration inline (`sandbox({ ... })`), then run again.');
}

/** The object literal an argument stands for: itself, or the initializer of a top-level const it names. */
function objectOf(tsMorph: TsMorph, node: Node): ObjectLiteralExpression | undefined {
  const { Node: N } = tsMorph;
  if (N.isAsExpression(node) || N.isSatisfiesExpression(node) || N.isParenthesizedExpression(node)) return objectOf(tsMorph, node.getExpression());
  if (N.isObjectLiteralExpression(node)) return node;
  if (!N.isIdentifier(node)) return undefined;
  const variable = node.getSourceFile().getVariableDeclaration(node.getText());
  const init = variable?.getVariableStatement()?.getDeclarationKind() === tsMorph.VariableDeclarationKind.Const ? variable.getInitializer() : undefined;
  return init === undefined || N.isIdentifier(init) ? undefined : objectOf(tsMorph, init);
}

/** Whether the entry is an ES module: by extension, then its syntax, then package.json. */
function isModule(tsMorph: TsMorph, name: string, file: SourceFile, packageType: string | undefined): boolean {
  if (/\.m[jt]sx?$/.test(name)) return true;
  if (/\.c[jt]sx?$/.test(name)) return false;
  if (file.getImportDeclarations().length > 0 || file.getExportDeclarations().length > 0 || file.getExportAssignments().length > 0) return true;
  const requires = file.getDescendantsOfKind(tsMorph.SyntaxKind.CallExpression).some((call) => call.getExpression().getText() === 'require');
  if (requires) return false;
  return packageType === 'module' || /\.tsx?$/.test(name);
}

const callText = (callee: string, declaration: Capabilities, style: Style): string => `${callee}(${formatObject(capabilityProperties(declaration, style), '', style)})${style.semicolon}`;

function refuseName(name: string, file: SourceFile, tsMorph: TsMorph): void {
  const taken = file.getDescendantsOfKind(tsMorph.SyntaxKind.Identifier).find((id) => id.getText() === 'sandbox');
  if (taken === undefined) return;
  throw new CliError(1, `${name}:${taken.getStartLineNumber()}: the name \`sandbox\` is already used; nothing written.`, "Import it under another name (`import { sandbox as cage } from '@syscage/runtime';`), then run again: the binding is reused.");
}

/** ES module: the import first, the call after the last import (or reusing the existing binding). */
function addToModule(tsMorph: TsMorph, name: string, file: SourceFile, callees: ReadonlySet<string>, declaration: Capabilities, style: Style): Edit[] {
  const imports = file.getImportDeclarations();
  const existing = [...callees][0];
  if (existing !== undefined) {
    const after = Math.max(imports.at(-1)?.getEnd() ?? 0, requireOfRuntime(file)?.getEnd() ?? 0);
    return [{ start: after, end: after, text: `\n\n${callText(existing, declaration, style)}` }];
  }
  refuseName(name, file, tsMorph);
  const importText = `import { sandbox } from ${style.quote}${RUNTIME}${style.quote}${style.semicolon}`;
  const call = callText('sandbox', declaration, style);
  const first = file.getStatements()[0];
  const last = imports.at(-1);
  if (first === undefined) return [{ start: file.getEnd(), end: file.getEnd(), text: `${file.getFullText().length > 0 && !file.getFullText().endsWith('\n') ? '\n' : ''}${importText}\n${call}\n` }];
  if (last === undefined) return [{ start: first.getStart(), end: first.getStart(), text: `${importText}\n${call}\n\n` }];
  return [
    { start: first.getStart(), end: first.getStart(), text: `${importText}\n` },
    { start: last.getEnd(), end: last.getEnd(), text: `\n\n${call}` },
  ];
}

/** The statement `const ... = require('@syscage/runtime')`, if any. */
function requireOfRuntime(file: SourceFile): Node | undefined {
  return file.getVariableStatements().find((s) => s.getDeclarations().some((d) => /^require\(\s*['"]@syscage\/runtime['"]\s*\)$/.test(d.getInitializer()?.getText() ?? '')));
}

/** CommonJS: the call right after the runtime's `require`, or both above everything but directives. */
function addToCommonJs(tsMorph: TsMorph, name: string, file: SourceFile, callees: ReadonlySet<string>, declaration: Capabilities, style: Style): Edit[] {
  const { Node: N } = tsMorph;
  const existing = [...callees][0];
  const binding = requireOfRuntime(file);
  if (existing !== undefined && binding !== undefined) return [{ start: binding.getEnd(), end: binding.getEnd(), text: `\n${callText(existing, declaration, style)}` }];
  refuseName(name, file, tsMorph);
  const requireText = `const { sandbox } = require(${style.quote}${RUNTIME}${style.quote})${style.semicolon}`;
  const call = callText('sandbox', declaration, style);
  const statements = file.getStatements();
  const first = statements.find((s) => !(N.isExpressionStatement(s) && N.isStringLiteral(s.getExpression())));
  if (first === undefined) {
    const end = statements.at(-1)?.getEnd() ?? 0;
    return [{ start: end, end, text: `${end > 0 ? '\n\n' : ''}${requireText}\n${call}${end > 0 ? '' : '\n'}` }];
  }
  return [{ start: first.getStart(), end: first.getStart(), text: `${requireText}\n${call}\n\n` }];
}
