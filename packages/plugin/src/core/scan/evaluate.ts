/**
 * Reads a declaration's value from the syntax tree without running anything: literals, arrays,
 * objects, `as const` / `satisfies` / `!` / parentheses, references to top-level `const`s of the
 * same file, and spreads of such values. Anything else throws `DECLARATION_NOT_STATIC` at the
 * offending node, saying what to write instead. It works on oxc-parser's ESTree syntax tree alone
 * (no scopes, no types), and it never guesses: a value it cannot read is an error, never an
 * omission.
 */

import { SyscageError, type SourceLocation } from '@syscage/core';
import type { ArrayExpression, BindingPattern, Node, ObjectExpression, Program, Statement } from 'oxc-parser';
import { locate, snippet, type Ranged, type SourceText } from './locate.ts';

/** What evaluation needs besides the node: the file's text and syntax tree (with `parent` links set). */
export interface EvaluateContext {
  readonly source: SourceText;
  readonly program: Program;
  /** The file name used in messages (relative to the root). */
  readonly file: string;
  /** Where each key of the evaluated object stands, by its dotted path (`fs.read`), filled while evaluating. */
  readonly keys?: Map<string, SourceLocation>;
}

const HINT_LITERAL = 'Write the value as a literal (string, number, boolean, array or object), or as a `const` of this file holding one.';
const HINT_MOVE = 'Move the capabilities into a `const` in this file.';

/** Throws `DECLARATION_NOT_STATIC` located at `node`. */
export function notStatic(ctx: EvaluateContext, node: Ranged, message: string, hint: string): never {
  throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', message, hint, location: locate(ctx.source, node, ctx.file) });
}

/** `node`'s source text. */
export const textOf = (ctx: EvaluateContext, node: Ranged): string => ctx.source.code.slice(node.start, node.end);

/** A top-level statement without its `export` / `export default` wrapper. */
export function unwrapExport(statement: Statement): Node {
  if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration !== null) return statement.declaration;
  return statement;
}

/**
 * The value `node` denotes, if it can be known at build time.
 * @throws {SyscageError} `DECLARATION_NOT_STATIC` otherwise.
 */
export function evaluate(ctx: EvaluateContext, node: Node, seen: ReadonlySet<string> = new Set(), path = ''): unknown {
  switch (node.type) {
    case 'ParenthesizedExpression':
    case 'TSAsExpression':
    case 'TSSatisfiesExpression':
    case 'TSTypeAssertion':
    case 'TSNonNullExpression':
      return evaluate(ctx, node.expression, seen, path);
    case 'Literal':
      if ('regex' in node || 'bigint' in node) break;
      return node.value;
    case 'TemplateLiteral':
      if (node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? '';
      break;
    case 'UnaryExpression':
      if ((node.operator === '-' || node.operator === '+') && node.argument.type === 'Literal' && typeof node.argument.value === 'number') {
        return node.operator === '-' ? -node.argument.value : node.argument.value;
      }
      break;
    case 'ArrayExpression':
      return evaluateArray(ctx, node, seen, path);
    case 'ObjectExpression':
      return evaluateObject(ctx, node, seen, path);
    case 'Identifier':
      return evaluateReference(ctx, node, node.name, seen, path);
  }
  return notStatic(ctx, node, `\`sandbox()\` needs values known at build time; \`${snippet(ctx.source, node)}\` is ${describeKind(node)}.`, HINT_LITERAL);
}

function evaluateArray(ctx: EvaluateContext, node: ArrayExpression, seen: ReadonlySet<string>, path: string): unknown[] {
  const out: unknown[] = [];
  for (const element of node.elements) {
    if (element === null) return notStatic(ctx, node, 'A list in `sandbox()` has a hole (`[a, , b]`).', 'Remove the extra comma.');
    if (element.type === 'SpreadElement') {
      const spread = evaluate(ctx, element.argument, seen, path);
      if (!Array.isArray(spread)) notStatic(ctx, element, `\`${snippet(ctx.source, element)}\` spreads a value that is not a list.`, 'Spread only a `const` list of this file into a list.');
      out.push(...spread);
    } else {
      out.push(evaluate(ctx, element, seen, path));
    }
  }
  return out;
}

function evaluateObject(ctx: EvaluateContext, node: ObjectExpression, seen: ReadonlySet<string>, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const property of node.properties) {
    if (property.type === 'SpreadElement') {
      const spread = evaluate(ctx, property.argument, seen, path);
      if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) {
        notStatic(ctx, property, `\`${snippet(ctx.source, property)}\` spreads a value that is not an object.`, 'Spread only a `const` object of this file into an object.');
      }
      Object.assign(out, spread);
    } else if (property.kind === 'init' && !property.method) {
      if (property.computed) {
        // ESTree has no node for `[key]`: the brackets run from the property's start to the `]` after the key.
        const name = { start: property.start, end: ctx.source.code.indexOf(']', property.key.end) + 1 };
        notStatic(ctx, name, `\`sandbox()\` needs plain keys; \`${snippet(ctx.source, name)}\` is a computed key.`, 'Write the key as a name, such as `fs:` or `net:`.');
      }
      const key = keyOf(ctx, property.key);
      const inner = path === '' ? key : `${path}.${key}`;
      ctx.keys?.set(inner, locate(ctx.source, property.key, ctx.file));
      out[key] = property.shorthand && property.value.type === 'Identifier' ? evaluateReference(ctx, property.value, property.value.name, seen, inner) : evaluate(ctx, property.value, seen, inner);
    } else {
      const what = property.method ? 'a method' : property.kind === 'get' ? 'a getter' : 'a setter';
      notStatic(ctx, property, `\`sandbox()\` needs plain values; \`${keyOf(ctx, property.key)}\` is ${what}.`, 'Write `key: value` with a literal value.');
    }
  }
  return out;
}

function keyOf(ctx: EvaluateContext, key: Node): string {
  if (key.type === 'Identifier' || key.type === 'PrivateIdentifier') return key.name;
  if (key.type === 'Literal' && (typeof key.value === 'string' || typeof key.value === 'number')) return String(key.value);
  if (key.type === 'TemplateLiteral' && key.expressions.length === 0) return key.quasis[0]?.value.cooked ?? '';
  return textOf(ctx, key);
}

/** The value of the top-level binding `name` of this file. */
function evaluateReference(ctx: EvaluateContext, at: Ranged, name: string, seen: ReadonlySet<string>, path: string): unknown {
  if (name === 'undefined') return undefined;
  if (seen.has(name)) notStatic(ctx, at, `\`${name}\` refers to itself.`, 'Write its value without referring back to it.');
  for (const statement of ctx.program.body) {
    const node = unwrapExport(statement);
    if (node.type === 'VariableDeclaration') {
      for (const declaration of node.declarations) {
        const id = declaration.id;
        if (id.type !== 'Identifier') {
          if (bindsName(id, name)) {
            notStatic(ctx, at, `\`${name}\` comes from a destructuring pattern; the build reads only \`const ${name} = <literal>\`.`, `Declare \`const ${name} = ...\` with a literal value.`);
          }
          continue;
        }
        if (id.name !== name) continue;
        if (node.kind !== 'const') {
          const line = locate(ctx.source, declaration, ctx.file).line;
          notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is declared with \`${node.kind}\` at line ${line}, and could change.`, `Declare it with \`const\`, or write the value inline.`);
        }
        if (declaration.init === null) return notStatic(ctx, at, `\`${name}\` has no value in this file.`, HINT_LITERAL);
        return evaluate(ctx, declaration.init, new Set([...seen, name]), path);
      }
    }
    if (node.type === 'ImportDeclaration' && node.specifiers.some((s) => s.local.name === name)) {
      notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is imported from '${node.source.value}', and the build reads only this file.`, HINT_MOVE);
    }
    if ((node.type === 'FunctionDeclaration' || node.type === 'TSDeclareFunction' || node.type === 'ClassDeclaration' || node.type === 'TSEnumDeclaration') && node.id?.name === name) {
      const kind = node.type === 'ClassDeclaration' ? 'class' : node.type === 'TSEnumDeclaration' ? 'enum' : 'function';
      notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is a ${kind}.`, HINT_LITERAL);
    }
  }
  return notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is not a top-level \`const\` of this file.`, HINT_MOVE);
}

/** Whether a destructuring pattern binds `name` anywhere inside it. */
function bindsName(pattern: BindingPattern | Node, name: string): boolean {
  switch (pattern.type) {
    case 'Identifier':
      return pattern.name === name;
    case 'ObjectPattern':
      return pattern.properties.some((p) => bindsName(p.type === 'RestElement' ? p.argument : p.value, name));
    case 'ArrayPattern':
      return pattern.elements.some((e) => e !== null && bindsName(e, name));
    case 'AssignmentPattern':
      return bindsName(pattern.left, name);
    case 'RestElement':
      return bindsName(pattern.argument, name);
    default:
      return false;
  }
}

function describeKind(node: Node): string {
  const inner = node.type === 'ChainExpression' ? node.expression : node;
  switch (inner.type) {
    case 'CallExpression':
      return 'a function call, known only at run time';
    case 'NewExpression':
      return 'a `new` expression, known only at run time';
    case 'MemberExpression':
      return 'a property access, known only at run time';
    case 'ConditionalExpression':
      return 'a conditional expression';
    case 'BinaryExpression':
    case 'LogicalExpression':
    case 'AssignmentExpression':
    case 'SequenceExpression':
      return 'an operation';
    case 'TemplateLiteral':
      return 'a template with substitutions';
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return 'a function';
    case 'AwaitExpression':
      return 'an `await`';
    case 'TaggedTemplateExpression':
      return 'a tagged template';
    case 'Literal':
      if ('regex' in inner) return 'a regular expression';
      if ('bigint' in inner) return 'a bigint';
  }
  return 'an expression the build cannot evaluate';
}
