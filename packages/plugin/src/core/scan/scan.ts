/**
 * The scanner: the only module that loads TypeScript, lazily, on the first file that needs it. It
 * parses one file at a time with `ts.createSourceFile` (no program, no lib files, no type checker),
 * finds its declarations (the call form `sandbox({...});` as a top-level statement and the
 * decorator form `@sandbox({...})` on a top-level class, bound by an ES import or a CommonJS
 * `require`), evaluates each statically, and says which source ranges to rewrite so that nothing
 * calls the runtime compiler. It does not decide whether the file is an entry, compile anything, or
 * edit text: the transform does.
 *
 * Why TypeScript's own parser and not ts-morph (which wraps it): loading ts-morph costs 0.5–0.7 s
 * (it carries TypeScript plus its own code and the lib files), loading TypeScript alone through
 * `require` about half of that; the scanner needs nothing ts-morph adds. TypeScript is CommonJS and
 * is loaded with `require`: `import()` of its 9 MB file costs about 3 times as much (Node scans it
 * for named exports).
 */

import { createRequire } from 'node:module';
import type { SourceLocation } from '@syscage/core';
import type * as Ts from 'typescript';
import { bindingEdits, findRuntimeBindings, isBindingSite, type Edit, type RuntimeBindings } from './bindings.ts';
import { evaluate, notStatic, textOf, type EvaluateContext } from './evaluate.ts';
import { locate } from './locate.ts';

export { RUNTIME_MODULE, type Edit } from './bindings.ts';

/** One declaration found in a file. */
export interface FoundDeclaration {
  readonly form: 'call' | 'decorator';
  /** The declaration's value, as evaluated (not yet validated). */
  readonly value: unknown;
  /** Where the `sandbox(` call starts. */
  readonly location: SourceLocation;
}

/** What a file declares and how to rewrite it. */
export interface ScanResult {
  readonly declarations: readonly FoundDeclaration[];
  readonly edits: readonly Edit[];
  /** The file binds the runtime with `require` and has no ES module syntax: inject a `require`. */
  readonly commonjs: boolean;
  /** Where the directive prologue (`'use strict';`) ends, 0 without one: a `require` goes after it. */
  readonly prologueEnd: number;
}

/** Scans files; one per build or watch session. */
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

let typescript: typeof Ts | undefined;
let parses = 0;

/** How many files all scanners of this process have parsed: a debug hook, so tests can tell a reuse from a re-parse. */
export function parseCount(): number {
  return parses;
}
/** TypeScript, loaded on first use. */
function loadTypeScript(): typeof Ts {
  typescript ??= createRequire(import.meta.url)('typescript') as typeof Ts;
  return typescript;
}

/**
 * A scanner. TypeScript is loaded on the first `scan` call, not before.
 * @example
 * const { declarations } = await createScanner().scan(code, '/app/src/main.ts', 'src/main.ts');
 */
export function createScanner(): Scanner {
  return {
    async scan(code, id, file) {
      const ts = loadTypeScript();
      parses++;
      const sourceFile = ts.createSourceFile(id, code, ts.ScriptTarget.Latest, true, scriptKind(ts, id));
      return scanFile({ ts, sourceFile, file });
    },
  };
}

function scriptKind(ts: typeof Ts, id: string): Ts.ScriptKind {
  const ext = /\.([cm]?[jt]sx?)$/.exec(id)?.[1] ?? 'js';
  if (ext.endsWith('tsx')) return ts.ScriptKind.TSX;
  if (ext.endsWith('ts')) return ts.ScriptKind.TS;
  return ext.endsWith('jsx') ? ts.ScriptKind.JSX : ts.ScriptKind.JS;
}

/** Every identifier of the file, in source order. */
function identifiers(ts: typeof Ts, root: Ts.Node): Ts.Identifier[] {
  const out: Ts.Identifier[] = [];
  const visit = (node: Ts.Node): void => {
    if (ts.isIdentifier(node)) out.push(node);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return out;
}

function scanFile(ctx: EvaluateContext): ScanResult {
  const { ts } = ctx;
  const bindings = findRuntimeBindings(ctx);
  if (bindings.named.size === 0 && bindings.namespaces.size === 0) return { declarations: [], edits: [], commonjs: false, prologueEnd: 0 };
  const declarations: FoundDeclaration[] = [];
  const edits: Edit[] = [];
  const namespaceOtherUse = new Set<string>();
  for (const identifier of identifiers(ts, ctx.sourceFile)) {
    const callee = calleeAt(ctx, bindings, identifier, namespaceOtherUse);
    if (callee === undefined) continue;
    const found = readDeclaration(ctx, callee);
    const first = declarations[0];
    if (first !== undefined) {
      notStatic(ctx, callee, `This entry declares \`sandbox()\` twice; the first is at ${first.location.file}:${first.location.line}:${first.location.column}.`, 'Merge them into one declaration; to take capabilities away later, call `narrow()`.');
    }
    declarations.push(found.declaration);
    edits.push(found.edit);
  }
  edits.push(...bindingEdits(ctx, bindings, namespaceOtherUse));
  return { declarations, edits, commonjs: bindings.commonjs, prologueEnd: prologueEnd(ts, ctx.sourceFile) };
}

/** The end of the file's leading directives (`'use strict';`), 0 without any. */
function prologueEnd(ts: typeof Ts, sourceFile: Ts.SourceFile): number {
  let end = 0;
  for (const statement of sourceFile.statements) {
    if (!ts.isExpressionStatement(statement) || !ts.isStringLiteral(statement.expression)) break;
    end = statement.getEnd();
  }
  return end;
}

/** The callee `identifier` makes (`sandbox` or `rt.sandbox`), if it refers to the runtime's `sandbox`. */
function calleeAt(ctx: EvaluateContext, bindings: RuntimeBindings, identifier: Ts.Identifier, namespaceOtherUse: Set<string>): Ts.Expression | undefined {
  const { ts } = ctx;
  const name = identifier.text;
  const parent = identifier.parent;
  if (isBindingSite(ts, identifier) || !isReference(ts, identifier)) return undefined;
  if (bindings.named.has(name)) return identifier;
  if (bindings.namespaces.has(name)) {
    if (ts.isPropertyAccessExpression(parent) && parent.expression === identifier && parent.name.text === 'sandbox') return parent;
    namespaceOtherUse.add(name);
  }
  return undefined;
}

/** False for names that only look like the binding: property names, object keys, type positions. */
function isReference(ts: typeof Ts, identifier: Ts.Identifier): boolean {
  const parent = identifier.parent;
  if (ts.isPropertyAccessExpression(parent) && parent.name === identifier) return false;
  if ((ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent) || ts.isPropertyDeclaration(parent)) && parent.name === identifier) return false;
  return !ts.isTypeReferenceNode(parent) && !ts.isTypeQueryNode(parent) && !ts.isQualifiedName(parent);
}

/** Reads the declaration whose callee is `callee`, or throws saying why it is not one. */
function readDeclaration(ctx: EvaluateContext, callee: Ts.Expression): { declaration: FoundDeclaration; edit: Edit } {
  const { ts, sourceFile } = ctx;
  const parent = callee.parent;
  if (ts.isDecorator(parent)) {
    notStatic(ctx, callee, '`@sandbox` needs the capabilities: write `@sandbox({ ... })`.', '`@sandbox({})` allows only the Node runtime itself.');
  }
  if (!ts.isCallExpression(parent) || parent.expression !== callee) {
    notStatic(ctx, callee, `\`${textOf(ctx, callee)}\` is used as a value here; the build reads only direct calls \`sandbox({ ... })\`.`, 'Call it directly at the top level of the entry.');
  }
  const call = parent;
  const holder = call.parent;
  let form: 'call' | 'decorator';
  let edit: Edit;
  if (ts.isDecorator(holder)) {
    checkDecoratedClass(ctx, call, holder);
    form = 'decorator';
    edit = { start: call.getStart(sourceFile), end: call.getEnd(), text: IDENTITY_DECORATOR };
  } else if (ts.isExpressionStatement(holder) && ts.isSourceFile(holder.parent)) {
    form = 'call';
    edit = { start: holder.getStart(sourceFile), end: holder.getEnd(), text: REMOVED_CALL };
  } else {
    const where = enclosing(ctx, call);
    if (where === undefined) notStatic(ctx, call, '`sandbox()` must be a statement of its own; here it is part of a larger expression.', 'Write `sandbox({ ... });` on its own at the top level, or `@sandbox({ ... })` on the main class.');
    notStatic(ctx, call, `\`sandbox()\` must be a top-level statement of the entry; this one is inside a ${where}.`, 'Move it to the top level of the entry file, outside any function, class or block.');
  }
  return { declaration: { form, value: readArgument(ctx, call), location: locate(sourceFile, call, ctx.file) }, edit };
}

function checkDecoratedClass(ctx: EvaluateContext, call: Ts.CallExpression, decorator: Ts.Decorator): void {
  const { ts } = ctx;
  const target = decorator.parent;
  if (!ts.isClassDeclaration(target) && !ts.isClassExpression(target)) {
    const what = ts.isMethodDeclaration(target) ? 'method' : ts.isParameter(target) ? 'parameter' : ts.isPropertyDeclaration(target) ? 'property' : 'class member';
    notStatic(ctx, call, `\`@sandbox()\` decorates a class; here it decorates a ${what}.`, 'Put `@sandbox({ ... })` on a top-level class, or call `sandbox({ ... });` at the top level.');
  }
  if (!ts.isClassDeclaration(target) || !ts.isSourceFile(target.parent)) {
    const where = ts.isClassExpression(target) ? 'a class expression' : `a class inside a ${enclosing(ctx, target) ?? 'block'}`;
    notStatic(ctx, call, `\`@sandbox()\` must decorate a top-level class declaration; this is ${where}.`, 'Decorate a class declared at the top level of the entry file.');
  }
}

function readArgument(ctx: EvaluateContext, call: Ts.CallExpression): unknown {
  const args = call.arguments;
  const [arg] = args;
  if (arg === undefined) notStatic(ctx, call, '`sandbox()` needs one argument, the capabilities object.', 'Write `sandbox({ fs: { read: true } })`; `sandbox({})` allows only the Node runtime itself.');
  if (ctx.ts.isSpreadElement(arg)) notStatic(ctx, arg, `\`sandbox()\` needs the capabilities object itself; \`${textOf(ctx, arg)}\` spreads an argument list.`, 'Write `sandbox(caps)` with `caps` a `const` object of this file.');
  if (args.length > 1) notStatic(ctx, args[1] ?? call, `\`sandbox()\` takes one argument; this call passes ${args.length}.`, 'Put every capability in the one object.');
  return evaluate(ctx, arg);
}

/** What the nearest enclosing function, class or block is, or undefined when an expression holds `node`. */
function enclosing(ctx: EvaluateContext, node: Ts.Node): string | undefined {
  const { ts } = ctx;
  for (let at: Ts.Node | undefined = node.parent; at !== undefined && !ts.isSourceFile(at); at = at.parent) {
    if (isFunction(ts, at)) return 'function';
    if (ts.isClassDeclaration(at) || ts.isClassExpression(at) || ts.isClassStaticBlockDeclaration(at)) return 'class';
    const body = ts.isBlock(at) && (isFunction(ts, at.parent) || ts.isClassStaticBlockDeclaration(at.parent));
    if (!body && (ts.isBlock(at) || ts.isModuleBlock(at) || ts.isIfStatement(at) || ts.isIterationStatement(at, false) || ts.isTryStatement(at) || ts.isCaseClause(at) || ts.isDefaultClause(at))) return 'block';
  }
  return undefined;
}

function isFunction(ts: typeof Ts, node: Ts.Node): boolean {
  return ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isConstructorDeclaration(node) || ts.isGetAccessorDeclaration(node) || ts.isSetAccessorDeclaration(node) || ts.isArrowFunction(node) || ts.isFunctionExpression(node);
}
