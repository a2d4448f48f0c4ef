/**
 * The scanner: the only module that loads ts-morph, lazily, on the first file that needs it, into
 * one in-memory project without lib files or a type checker. It finds the declarations of one file
 * (the call form `sandbox({...});` as a top-level statement and the decorator form
 * `@sandbox({...})` on a top-level class), evaluates each statically, and says which source ranges
 * to rewrite so that nothing calls the runtime compiler. It does not decide whether the file is an
 * entry, compile anything, or edit text: the transform does.
 */

import type { SourceLocation } from '@syscage/core';
import type * as TsMorph from 'ts-morph';
import type { CallExpression, Identifier, Node, Project, PropertyAccessExpression } from 'ts-morph';
import { evaluate, notStatic, type EvaluateContext } from './evaluate.ts';
import { locate } from './locate.ts';

/** The module declarations are imported from. */
export const RUNTIME_MODULE = '@syscage/runtime';

/** One declaration found in a file. */
export interface FoundDeclaration {
  readonly form: 'call' | 'decorator';
  /** The declaration's value, as evaluated (not yet validated). */
  readonly value: unknown;
  /** Where the `sandbox(` call starts. */
  readonly location: SourceLocation;
}

/** Replace `[start, end)` of the original code with `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** What a file declares and how to rewrite it. */
export interface ScanResult {
  readonly declarations: readonly FoundDeclaration[];
  readonly edits: readonly Edit[];
}

/** Scans files; one per build, so ts-morph and its project are set up once. */
export interface Scanner {
  /**
   * @param id Absolute path of the module (its extension picks TS, TSX, JS or JSX parsing).
   * @param file The name used in messages.
   * @throws {SyscageError} `DECLARATION_NOT_STATIC` for any declaration the build cannot read.
   */
  scan(code: string, id: string, file: string): Promise<ScanResult>;
}

/** Replaces a decorator call: legacy decorators get `(target)`, standard ones `(value, context)`. */
export const IDENTITY_DECORATOR = '((target) => target)';
/** Replaces a call-form statement; the injected loader does its work. */
export const REMOVED_CALL = '/* syscage: this declaration is applied by the injected loader */';

let tsMorph: Promise<typeof TsMorph> | undefined;

/**
 * A scanner with its own project. ts-morph is imported on the first `scan` call, not before.
 * @example
 * const { declarations } = await createScanner().scan(code, '/app/src/main.ts', 'src/main.ts');
 */
export function createScanner(): Scanner {
  let project: Project | undefined;
  return {
    async scan(code, id, file) {
      const tm = await (tsMorph ??= import('ts-morph'));
      project ??= new tm.Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, skipAddingFilesFromTsConfig: true, compilerOptions: { allowJs: true } });
      const sourceFile = project.createSourceFile(`/scan${id.startsWith('/') ? '' : '/'}${id}`, code, { overwrite: true, scriptKind: scriptKind(tm, id) });
      try {
        return scanFile({ tm, sourceFile, file });
      } finally {
        project.removeSourceFile(sourceFile);
      }
    },
  };
}

function scriptKind(tm: typeof TsMorph, id: string): TsMorph.ScriptKind {
  const ext = /\.([cm]?[jt]sx?)$/.exec(id)?.[1] ?? 'js';
  if (ext.endsWith('tsx')) return tm.ScriptKind.TSX;
  if (ext.endsWith('ts')) return tm.ScriptKind.TS;
  return ext.endsWith('jsx') ? tm.ScriptKind.JSX : tm.ScriptKind.JS;
}

interface RuntimeImports {
  /** Local names bound to `sandbox`, with their import specifier nodes. */
  readonly named: Map<string, TsMorph.ImportSpecifier>;
  /** Local names of `import * as ns from '@syscage/runtime'`. */
  readonly namespaces: Map<string, TsMorph.ImportDeclaration>;
}

function findRuntimeImports(ctx: EvaluateContext): RuntimeImports {
  const named = new Map<string, TsMorph.ImportSpecifier>();
  const namespaces = new Map<string, TsMorph.ImportDeclaration>();
  for (const declaration of ctx.sourceFile.getImportDeclarations()) {
    if (declaration.getModuleSpecifierValue() !== RUNTIME_MODULE || declaration.isTypeOnly()) continue;
    const ns = declaration.getNamespaceImport();
    if (ns) namespaces.set(ns.getText(), declaration);
    for (const specifier of declaration.getNamedImports()) {
      if (specifier.isTypeOnly() || specifier.getName() !== 'sandbox') continue;
      named.set((specifier.getAliasNode() ?? specifier.getNameNode()).getText(), specifier);
    }
  }
  return { named, namespaces };
}

function scanFile(ctx: EvaluateContext): ScanResult {
  const { tm } = ctx;
  const imports = findRuntimeImports(ctx);
  if (imports.named.size === 0 && imports.namespaces.size === 0) return { declarations: [], edits: [] };
  const declarations: FoundDeclaration[] = [];
  const edits: Edit[] = [];
  const namespaceOtherUse = new Set<string>();
  for (const identifier of ctx.sourceFile.getDescendantsOfKind(tm.SyntaxKind.Identifier)) {
    const name = identifier.getText();
    const parent = identifier.getParentOrThrow();
    if (tm.Node.isImportSpecifier(parent) || tm.Node.isNamespaceImport(parent) || tm.Node.isImportClause(parent)) continue;
    let callee: Identifier | PropertyAccessExpression | undefined;
    if (imports.named.has(name) && isReference(tm, identifier)) callee = identifier;
    if (imports.namespaces.has(name) && isReference(tm, identifier)) {
      if (tm.Node.isPropertyAccessExpression(parent) && parent.getName() === 'sandbox') callee = parent;
      else namespaceOtherUse.add(name);
    }
    if (callee === undefined) continue;
    const found = readDeclaration(ctx, callee);
    const first = declarations[0];
    if (first !== undefined) {
      notStatic(ctx, callee, `This entry declares \`sandbox()\` twice; the first is at ${first.location.file}:${first.location.line}:${first.location.column}.`, 'Merge them into one declaration; to take capabilities away later, call `narrow()`.');
    }
    declarations.push(found.declaration);
    edits.push(found.edit);
  }
  edits.push(...importEdits(imports, namespaceOtherUse));
  return { declarations, edits };
}

/** False for names that only look like the binding: property names, object keys, type positions. */
function isReference(tm: typeof TsMorph, identifier: Identifier): boolean {
  const parent = identifier.getParentOrThrow();
  if (tm.Node.isPropertyAccessExpression(parent) && parent.getNameNode() === identifier) return false;
  if ((tm.Node.isPropertyAssignment(parent) || tm.Node.isMethodDeclaration(parent) || tm.Node.isPropertyDeclaration(parent)) && parent.getNameNode() === identifier) return false;
  return !tm.Node.isTypeReference(parent) && !tm.Node.isTypeQuery(parent) && !tm.Node.isQualifiedName(parent);
}

/** Reads the declaration whose callee is `callee`, or throws saying why it is not one. */
function readDeclaration(ctx: EvaluateContext, callee: Node): { declaration: FoundDeclaration; edit: Edit } {
  const { Node: N } = ctx.tm;
  const parent = callee.getParentOrThrow();
  if (N.isDecorator(parent)) {
    notStatic(ctx, callee, '`@sandbox` needs the capabilities: write `@sandbox({ ... })`.', '`@sandbox({})` allows only the Node runtime itself.');
  }
  if (!N.isCallExpression(parent) || parent.getExpression() !== callee) {
    notStatic(ctx, callee, `\`${callee.getText()}\` is used as a value here; the build reads only direct calls \`sandbox({ ... })\`.`, 'Call it directly at the top level of the entry.');
  }
  const call = parent;
  const holder = call.getParentOrThrow();
  let form: 'call' | 'decorator';
  let edit: Edit;
  if (N.isDecorator(holder)) {
    checkDecoratedClass(ctx, call, holder);
    form = 'decorator';
    edit = { start: call.getStart(), end: call.getEnd(), text: IDENTITY_DECORATOR };
  } else if (N.isExpressionStatement(holder) && N.isSourceFile(holder.getParent())) {
    form = 'call';
    edit = { start: holder.getStart(), end: holder.getEnd(), text: REMOVED_CALL };
  } else {
    const where = enclosing(ctx, call);
    if (where === undefined) notStatic(ctx, call, '`sandbox()` must be a statement of its own; here it is part of a larger expression.', 'Write `sandbox({ ... });` on its own at the top level, or `@sandbox({ ... })` on the main class.');
    notStatic(ctx, call, `\`sandbox()\` must be a top-level statement of the entry; this one is inside a ${where}.`, 'Move it to the top level of the entry file, outside any function, class or block.');
  }
  return { declaration: { form, value: readArgument(ctx, call), location: locate(ctx.sourceFile, call, ctx.file) }, edit };
}

function checkDecoratedClass(ctx: EvaluateContext, call: CallExpression, decorator: Node): void {
  const { Node: N } = ctx.tm;
  const target = decorator.getParentOrThrow();
  if (!N.isClassDeclaration(target) && !N.isClassExpression(target)) {
    const what = N.isMethodDeclaration(target) ? 'method' : N.isParameterDeclaration(target) ? 'parameter' : N.isPropertyDeclaration(target) ? 'property' : 'class member';
    notStatic(ctx, call, `\`@sandbox()\` decorates a class; here it decorates a ${what}.`, 'Put `@sandbox({ ... })` on a top-level class, or call `sandbox({ ... });` at the top level.');
  }
  if (!N.isClassDeclaration(target) || !N.isSourceFile(target.getParent())) {
    const where = N.isClassExpression(target) ? 'a class expression' : `a class inside a ${enclosing(ctx, target) ?? 'block'}`;
    notStatic(ctx, call, `\`@sandbox()\` must decorate a top-level class declaration; this is ${where}.`, 'Decorate a class declared at the top level of the entry file.');
  }
}

function readArgument(ctx: EvaluateContext, call: CallExpression): unknown {
  const args = call.getArguments();
  const [arg] = args;
  if (arg === undefined) notStatic(ctx, call, '`sandbox()` needs one argument, the capabilities object.', 'Write `sandbox({ fs: { read: true } })`; `sandbox({})` allows only the Node runtime itself.');
  if (ctx.tm.Node.isSpreadElement(arg)) notStatic(ctx, arg, `\`sandbox()\` needs the capabilities object itself; \`${arg.getText()}\` spreads an argument list.`, 'Write `sandbox(caps)` with `caps` a `const` object of this file.');
  if (args.length > 1) notStatic(ctx, args[1] ?? call, `\`sandbox()\` takes one argument; this call passes ${args.length}.`, 'Put every capability in the one object.');
  return evaluate(ctx, arg);
}

/** What the nearest enclosing function, class or block is, or undefined when an expression holds `node`. */
function enclosing(ctx: EvaluateContext, node: Node): string | undefined {
  const { Node: N } = ctx.tm;
  for (let at = node.getParent(); at !== undefined && !N.isSourceFile(at); at = at.getParent()) {
    if (N.isFunctionLikeDeclaration(at) || N.isArrowFunction(at) || N.isFunctionExpression(at)) return 'function';
    if (N.isClassDeclaration(at) || N.isClassExpression(at) || N.isClassStaticBlockDeclaration(at)) return 'class';
    const body = N.isBlock(at) && isFunctionBody(ctx, at);
    if (!body && (N.isBlock(at) || N.isModuleBlock(at) || N.isIfStatement(at) || N.isIterationStatement(at) || N.isTryStatement(at) || N.isCaseClause(at) || N.isDefaultClause(at))) return 'block';
  }
  return undefined;
}

function isFunctionBody(ctx: EvaluateContext, block: Node): boolean {
  const parent = block.getParent();
  const { Node: N } = ctx.tm;
  return parent !== undefined && (N.isFunctionLikeDeclaration(parent) || N.isArrowFunction(parent) || N.isFunctionExpression(parent) || N.isClassStaticBlockDeclaration(parent));
}

/** Edits that drop `sandbox` from the runtime imports, so the runtime's compiler is not bundled. */
function importEdits(imports: RuntimeImports, namespaceOtherUse: ReadonlySet<string>): Edit[] {
  const edits: Edit[] = [];
  const byDeclaration = new Map<TsMorph.ImportDeclaration, TsMorph.ImportSpecifier[]>();
  for (const specifier of imports.named.values()) {
    const declaration = specifier.getImportDeclaration();
    byDeclaration.set(declaration, [...(byDeclaration.get(declaration) ?? []), specifier]);
  }
  for (const [name, declaration] of imports.namespaces) {
    if (!namespaceOtherUse.has(name) && !byDeclaration.has(declaration)) byDeclaration.set(declaration, []);
  }
  for (const [declaration, dropped] of byDeclaration) {
    const keep = declaration.getNamedImports().filter((s) => !dropped.includes(s));
    const ns = declaration.getNamespaceImport();
    const keepNs = ns !== undefined && namespaceOtherUse.has(ns.getText());
    if (keep.length === 0 && !keepNs && declaration.getDefaultImport() === undefined) {
      edits.push({ start: declaration.getStart(), end: declaration.getEnd(), text: '' });
    } else if (dropped.length > 0) {
      const braces = declaration.getImportClauseOrThrow().getNamedBindingsOrThrow();
      edits.push({ start: braces.getStart(), end: braces.getEnd(), text: keep.length === 0 ? '{}' : `{ ${keep.map((s) => s.getText()).join(', ')} }` });
    }
  }
  return edits;
}
