/**
 * The scanner: the only module that loads oxc-parser, lazily, on the first file that needs it. It
 * parses one file at a time into an ESTree syntax tree (no scopes, no types), finds its
 * declarations (the call form `sandbox({...});` as a top-level statement and the decorator form
 * `@sandbox({...})` on a top-level class, bound by an ES import or a CommonJS `require`), evaluates
 * each statically, and says which source ranges to rewrite so that nothing calls the runtime
 * compiler. It does not decide whether the file is an entry, compile anything, or edit text: the
 * transform does.
 *
 * Why oxc-parser and not TypeScript's own parser (or ts-morph, which wraps it): loading TypeScript
 * costs 250–450 ms, most of a cold build's added cost; oxc-parser is native (prebuilt per platform)
 * and loads and parses a file in about 20 ms. It parses TS, JSX and both decorator syntaxes; the
 * scanner needs nothing a type checker adds. Where the bundler has a parser loaded already
 * (Rollup's and Rolldown's `this.parse`), a JavaScript entry is read with that one instead.
 */

import type { SourceLocation } from '@syscage/core';
import type { CallExpression, Decorator, Node, ParserOptions, Program } from 'oxc-parser';
import { bindingEdits, findRuntimeBindings, isBindingSite, isRuntimeRequire, RUNTIME_MODULE, type Edit, type RuntimeBindings } from './bindings.ts';
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
  /** Where each key of the declaration stands, by its dotted path (`fs.read`): messages about a key point at it. */
  readonly keys: ReadonlyMap<string, SourceLocation>;
}

/** What a file declares and how to rewrite it. */
export interface ScanResult {
  readonly declarations: readonly FoundDeclaration[];
  readonly edits: readonly Edit[];
}

/**
 * A bundler's own parser (Rollup's and Rolldown's `this.parse`), already loaded: an ESTree
 * `Program` for plain JavaScript, with `start`/`end` offsets into the string as oxc-parser gives.
 * Using it for a `.js` entry spares loading oxc-parser (≈ 12 ms of a cold build); anything it
 * cannot parse goes to oxc-parser.
 */
export type HostParse = (code: string) => unknown;

/** Scans files; one per build or watch session. */
export interface Scanner {
  /**
   * @param id Absolute path of the module (its extension picks TS, TSX, JS or JSX parsing).
   * @param file The name used in messages.
   * @throws {SyscageError} `DECLARATION_NOT_STATIC` for any declaration the build cannot read.
   */
  scan(code: string, id: string, file: string, hostParse?: HostParse): Promise<ScanResult>;
}

/** Replaces a call-form statement; the gate in front of the entry's output does its work. */
export const REMOVED_CALL = '/* syscage: this declaration is applied by the gate before the program loads */';

type Parser = typeof import('oxc-parser');
let parser: Promise<Parser> | undefined;

/**
 * A scanner. oxc-parser is loaded on the first `scan` call, not before.
 * @example
 * const { declarations } = await createScanner().scan(code, '/app/src/main.ts', 'src/main.ts');
 */
export function createScanner(): Scanner {
  return {
    async scan(code, id, file, hostParse) {
      // A file with syntax errors still yields a tree from oxc-parser (as TypeScript's parser did);
      // the bundler reports the errors.
      const program = (hostParse && /\.[cm]?js$/.test(id) ? parseWithHost(hostParse, code) : undefined) ?? (await parse(id, code)).program;
      return scanFile({ source: { code }, program, file });
    },
  };
}

/** The host's tree of `code`, or undefined when it cannot parse it (or gives no ESTree program). */
function parseWithHost(hostParse: HostParse, code: string): Program | undefined {
  let tree: unknown;
  try {
    tree = hostParse(code);
  } catch {
    return undefined;
  }
  const program = tree as Partial<Program> | null;
  if (program?.type !== 'Program' || !Array.isArray(program.body) || typeof program.end !== 'number') return undefined;
  return program as Program;
}

async function parse(id: string, code: string): Promise<ReturnType<Parser['parseSync']>> {
  parser ??= import('oxc-parser');
  const { parseSync } = await parser;
  return parseSync(id, code, parserOptions(id));
}

/** The language from the extension; CommonJS files may `return` at the top level, plain `.js` may be either. */
function parserOptions(id: string): ParserOptions {
  const ext = /\.([cm]?)([jt]sx?)$/.exec(id);
  const kind = ext?.[1] ?? '';
  const lang = (ext?.[2] ?? 'js') as 'js' | 'jsx' | 'ts' | 'tsx';
  const sourceType = kind === 'c' ? 'commonjs' : kind === 'm' || lang.startsWith('ts') ? 'module' : 'unambiguous';
  return { lang, sourceType, preserveParens: true };
}

/** Calls `visit` on every node under `root` (itself included) with its parent, in property order. */
function walk(root: Node, visit: (node: Node, parent: Node | undefined) => void): void {
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
function identifiers(root: Program): Node[] {
  const out: Node[] = [];
  walk(root, (node, parent) => {
    if (parent !== undefined) node.parent = parent;
    if (node.type === 'Identifier') out.push(node);
  });
  // The walk follows each node's property order, which is not always source order; "the first declaration" must be.
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Refuses `export { sandbox } from '@syscage/runtime'` (renamed or not) and `export * from
 * '@syscage/runtime'`: a call through such a re-export is invisible to the build, so it would be
 * applied late, at run time, after other modules.
 */
function refuseReexport(ctx: EvaluateContext): void {
  for (const statement of ctx.program.body) {
    if ((statement.type !== 'ExportNamedDeclaration' && statement.type !== 'ExportAllDeclaration') || statement.source?.value !== RUNTIME_MODULE || statement.exportKind === 'type') continue;
    const passes = statement.type === 'ExportAllDeclaration' || statement.specifiers.some((s) => s.exportKind !== 'type' && (s.local.type === 'Identifier' ? s.local.name : s.local.value) === 'sandbox');
    if (passes) {
      notStatic(ctx, statement, `This module re-exports \`sandbox\` from '${RUNTIME_MODULE}', so a call through it is invisible to the build and would apply the sandbox late, after other modules.`, `Call \`sandbox({ ... })\` imported from '${RUNTIME_MODULE}' directly in the entry; re-export only what else you need (\`export { status, narrow } from '${RUNTIME_MODULE}'\`).`);
    }
  }
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function scanFile(ctx: EvaluateContext): ScanResult {
  refuseInlineRuntime(ctx);
  refuseReexport(ctx);
  const bindings = findRuntimeBindings(ctx);
  if (bindings.named.size === 0 && bindings.namespaces.size === 0) return { declarations: [], edits: [] };
  const declarations: FoundDeclaration[] = [];
  const edits: Edit[] = [];
  const namespaceOtherUse = new Set<string>();
  for (const identifier of identifiers(ctx.program)) {
    const callee = calleeAt(bindings, identifier, namespaceOtherUse);
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
  return { declarations, edits };
}

/**
 * Refuses `require('@syscage/runtime').sandbox(...)`, `(await import('@syscage/runtime')).sandbox(...)`
 * and `const { sandbox } = await import('@syscage/runtime')`:
 * the build reads only a `sandbox` bound at the top of the file, and a declaration it did not
 * read would run unbuilt, after the modules imported before it, instead of first.
 */
function refuseInlineRuntime(ctx: EvaluateContext): void {
  const unwrap = (node: Node): Node => (node.type === 'ParenthesizedExpression' ? unwrap(node.expression) : node);
  const isRuntimeImport = (node: Node): boolean => {
    const awaited = node.type === 'AwaitExpression' ? unwrap(node.argument) : undefined;
    return awaited?.type === 'ImportExpression' && awaited.source.type === 'Literal' && awaited.source.value === RUNTIME_MODULE;
  };
  const importHint = `Write \`import { sandbox } from '${RUNTIME_MODULE}';\` and then \`sandbox({ ... });\` at the top level.`;
  walk(ctx.program, (node) => {
    if (node.type === 'VariableDeclarator' && node.init !== null && isRuntimeImport(unwrap(node.init)) && node.id.type === 'ObjectPattern') {
      const bound = node.id.properties.find((p) => p.type === 'Property' && !p.computed && p.key.type === 'Identifier' && p.key.name === 'sandbox');
      if (bound !== undefined) notStatic(ctx, bound, `\`sandbox\` taken from \`${textOf(ctx, node.init)}\` is not read at build time: the build reads a \`sandbox\` imported at the top of the entry.`, importHint);
    }
    if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier' && node.property.name === 'sandbox') {
      const object = unwrap(node.object);
      if (isRuntimeRequire(object)) {
        notStatic(ctx, node, `\`${textOf(ctx, node)}\` is not read at build time: the build reads a \`sandbox\` bound at the top of the entry.`, `Write \`const { sandbox } = require('${RUNTIME_MODULE}');\` and then \`sandbox({ ... });\` at the top level.`);
      }
      if (isRuntimeImport(object)) notStatic(ctx, node, `\`${textOf(ctx, node)}\` is not read at build time: the build reads a \`sandbox\` bound at the top of the entry.`, importHint);
    }
  });
}

/** The callee `identifier` makes (`sandbox` or `rt.sandbox`), if it refers to the runtime's `sandbox`. */
function calleeAt(bindings: RuntimeBindings, identifier: Node, namespaceOtherUse: Set<string>): Node | undefined {
  if (identifier.type !== 'Identifier') return undefined;
  const name = identifier.name;
  const parent = identifier.parent;
  if (isBindingSite(identifier, parent) || !isReference(identifier, parent)) return undefined;
  if (bindings.named.has(name)) return identifier;
  if (bindings.namespaces.has(name)) {
    if (parent?.type === 'MemberExpression' && parent.object === identifier && !parent.computed && parent.property.type === 'Identifier' && parent.property.name === 'sandbox') return parent;
    namespaceOtherUse.add(name);
  }
  return undefined;
}

/** False for names that only look like the binding: property names, object keys, type positions. */
function isReference(identifier: Node, parent: Node | undefined): boolean {
  switch (parent?.type) {
    case 'MemberExpression':
      return parent.computed || parent.property !== identifier;
    case 'Property':
      return parent.computed || parent.key !== identifier || parent.shorthand;
    case 'MethodDefinition':
    case 'PropertyDefinition':
    case 'AccessorProperty':
    case 'TSAbstractMethodDefinition':
    case 'TSAbstractPropertyDefinition':
      return parent.computed || parent.key !== identifier;
    case 'TSTypeReference':
    case 'TSTypeQuery':
    case 'TSQualifiedName':
      return false;
    default:
      return true;
  }
}

/** Reads the declaration whose callee is `callee`, or throws saying why it is not one. */
function readDeclaration(ctx: EvaluateContext, callee: Node): { declaration: FoundDeclaration; edit: Edit } {
  const parent = callee.parent;
  if (parent?.type === 'Decorator') {
    notStatic(ctx, callee, '`@sandbox` needs the capabilities: write `@sandbox({ ... })`.', '`@sandbox({})` allows only the Node runtime itself.');
  }
  if (parent?.type !== 'CallExpression' || parent.callee !== callee) {
    return notStatic(ctx, callee, `\`${textOf(ctx, callee)}\` is used as a value here; the build reads only direct calls \`sandbox({ ... })\`.`, 'Call it directly at the top level of the entry.');
  }
  const call = parent;
  const holder = call.parent;
  let form: 'call' | 'decorator';
  let edit: Edit;
  if (holder?.type === 'Decorator') {
    checkDecoratedClass(ctx, call, holder);
    form = 'decorator';
    // Removed whole, `@` included: a class left with no decorator is plain JavaScript, which every
    // supported Node runs even when the bundler was not asked to lower decorators.
    edit = { start: holder.start, end: holder.end, text: '' };
  } else if (holder?.type === 'ExpressionStatement' && holder.parent?.type === 'Program') {
    form = 'call';
    edit = { start: holder.start, end: holder.end, text: REMOVED_CALL };
  } else {
    const where = enclosing(call);
    if (where === undefined) notStatic(ctx, call, '`sandbox()` must be a statement of its own; here it is part of a larger expression.', 'Write `sandbox({ ... });` on its own at the top level, or `@sandbox({ ... })` on the main class.');
    return notStatic(ctx, call, `\`sandbox()\` must be a top-level statement of the entry; this one is inside a ${where}.`, 'Move it to the top level of the entry file, outside any function, class or block.');
  }
  const keys = new Map<string, SourceLocation>();
  return { declaration: { form, value: readArgument({ ...ctx, keys }, call), location: locate(ctx.source, call, ctx.file), keys }, edit };
}

function checkDecoratedClass(ctx: EvaluateContext, call: CallExpression, decorator: Decorator): void {
  const target = decorator.parent;
  if (target?.type !== 'ClassDeclaration' && target?.type !== 'ClassExpression') {
    notStatic(ctx, call, `\`@sandbox()\` decorates a class; here it decorates a ${decoratedMember(target)}.`, 'Put `@sandbox({ ... })` on a top-level class, or call `sandbox({ ... });` at the top level.');
  }
  if (target.type !== 'ClassDeclaration' || !isTopLevel(target)) {
    const where = target.type === 'ClassExpression' ? 'a class expression' : `a class inside a ${enclosing(target) ?? 'block'}`;
    notStatic(ctx, call, `\`@sandbox()\` must decorate a top-level class declaration; this is ${where}.`, 'Decorate a class declared at the top level of the entry file.');
  }
}

/** What a decorator that is not on a class decorates. */
function decoratedMember(target: Node | undefined): string {
  switch (target?.type) {
    case 'MethodDefinition':
    case 'TSAbstractMethodDefinition':
      return target.kind === 'method' ? 'method' : 'class member';
    case 'PropertyDefinition':
    case 'TSAbstractPropertyDefinition':
    case 'AccessorProperty':
      return 'property';
    default:
      return 'parameter';
  }
}

/** A statement of the file itself, or one that `export` / `export default` wraps. */
function isTopLevel(node: Node): boolean {
  const parent = node.parent;
  if (parent?.type === 'ExportNamedDeclaration' || parent?.type === 'ExportDefaultDeclaration') return parent.parent?.type === 'Program';
  return parent?.type === 'Program';
}

function readArgument(ctx: EvaluateContext, call: CallExpression): unknown {
  const args = call.arguments;
  const [arg] = args;
  if (arg === undefined) return notStatic(ctx, call, '`sandbox()` needs one argument, the capabilities object.', 'Write `sandbox({ fs: { read: true } })`; `sandbox({})` allows only the Node runtime itself.');
  if (arg.type === 'SpreadElement') notStatic(ctx, arg, `\`sandbox()\` needs the capabilities object itself; \`${textOf(ctx, arg)}\` spreads an argument list.`, 'Write `sandbox(caps)` with `caps` a `const` object of this file.');
  if (args.length > 1) notStatic(ctx, args[1] ?? call, `\`sandbox()\` takes one argument; this call passes ${args.length}.`, 'Put every capability in the one object.');
  return evaluate(ctx, arg);
}

/** What the nearest enclosing function, class or block is, or undefined when an expression holds `node`. */
function enclosing(node: Node): string | undefined {
  for (let at: Node | null | undefined = node.parent; at != null && at.type !== 'Program'; at = at.parent) {
    if (isFunction(at)) return 'function';
    if (at.type === 'ClassDeclaration' || at.type === 'ClassExpression' || at.type === 'StaticBlock') return 'class';
    switch (at.type) {
      case 'BlockStatement':
        if (at.parent != null && isFunction(at.parent)) break;
        return 'block';
      case 'TSModuleBlock':
      case 'IfStatement':
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
      case 'WhileStatement':
      case 'DoWhileStatement':
      case 'TryStatement':
      case 'SwitchCase':
        return 'block';
    }
  }
  return undefined;
}

function isFunction(node: Node): boolean {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}
