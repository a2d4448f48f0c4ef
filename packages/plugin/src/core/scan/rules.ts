/**
 * What a declaration must be, and where: the rules the scanner applies to a parsed file. A
 * declaration is a top-level `sandbox({...});` statement or `@sandbox({...})` on a top-level class,
 * once per entry, with one statically evaluable argument; a `sandbox` re-exported, taken from an
 * inline `require`/`import()`, or used as a value is refused with a message that says what to
 * write. It finds the runtime's bindings through `bindings.ts` and evaluates the argument through
 * `evaluate.ts`; it neither parses nor edits text.
 */

import type { SourceLocation } from '@syscage/core';
import type { CallExpression, Decorator, Node } from 'oxc-parser';
import { isBindingSite, isRuntimeRequire, RUNTIME_MODULE, type Edit, type RuntimeBindings } from './bindings.ts';
import { evaluate, notStatic, textOf, type EvaluateContext } from './evaluate.ts';
import { locate } from './locate.ts';
import { walk } from './tree.ts';

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

/** Replaces a call-form statement; the gate in front of the entry's output does its work. */
export const REMOVED_CALL = '/* syscage: this declaration is applied by the gate before the program loads */';

/**
 * Refuses `export { sandbox } from '@syscage/runtime'` (renamed or not) and `export * from
 * '@syscage/runtime'`: a call through such a re-export is invisible to the build, so it would be
 * applied late, at run time, after other modules.
 */
export function refuseReexport(ctx: EvaluateContext): void {
  for (const statement of ctx.program.body) {
    if ((statement.type !== 'ExportNamedDeclaration' && statement.type !== 'ExportAllDeclaration') || statement.source?.value !== RUNTIME_MODULE || statement.exportKind === 'type') continue;
    const passes = statement.type === 'ExportAllDeclaration' || statement.specifiers.some((s) => s.exportKind !== 'type' && (s.local.type === 'Identifier' ? s.local.name : s.local.value) === 'sandbox');
    if (passes) {
      notStatic(ctx, statement, `This module re-exports \`sandbox\` from '${RUNTIME_MODULE}', so a call through it is invisible to the build and would apply the sandbox late, after other modules.`, `Call \`sandbox({ ... })\` imported from '${RUNTIME_MODULE}' directly in the entry; re-export only what else you need (\`export { status, narrow } from '${RUNTIME_MODULE}'\`).`);
    }
  }
}

/**
 * Refuses `require('@syscage/runtime').sandbox(...)`, `(await import('@syscage/runtime')).sandbox(...)`
 * and `const { sandbox } = await import('@syscage/runtime')`:
 * the build reads only a `sandbox` bound at the top of the file, and a declaration it did not
 * read would run unbuilt, after the modules imported before it, instead of first.
 */
export function refuseInlineRuntime(ctx: EvaluateContext): void {
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
export function calleeAt(bindings: RuntimeBindings, identifier: Node, namespaceOtherUse: Set<string>): Node | undefined {
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
export function readDeclaration(ctx: EvaluateContext, callee: Node): { declaration: FoundDeclaration; edit: Edit } {
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
