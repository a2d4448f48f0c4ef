/**
 * Reads a declaration's value from the syntax tree without running anything: literals, arrays,
 * objects, `as const` / `satisfies` / `!` / parentheses, references to top-level `const`s of the
 * same file, and spreads of such values. Anything else throws `DECLARATION_NOT_STATIC` at the
 * offending node, saying what to write instead. It works on TypeScript's syntax tree alone (no
 * program, no type checker), and it never guesses: a value it cannot read is an error, never an
 * omission.
 */

import { SyscageError } from '@syscage/core';
import type * as Ts from 'typescript';
import { locate, snippet } from './locate.ts';

/** What evaluation needs besides the node: the loaded TypeScript module and the file it reads. */
export interface EvaluateContext {
  readonly ts: typeof Ts;
  readonly sourceFile: Ts.SourceFile;
  /** The file name used in messages (relative to the root). */
  readonly file: string;
}

const HINT_LITERAL = 'Write the value as a literal (string, number, boolean, array or object), or as a `const` of this file holding one.';
const HINT_MOVE = 'Move the capabilities into a `const` in this file.';

/** Throws `DECLARATION_NOT_STATIC` located at `node`. */
export function notStatic(ctx: EvaluateContext, node: Ts.Node, message: string, hint: string): never {
  throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', message, hint, location: locate(ctx.sourceFile, node, ctx.file) });
}

/** `node`'s source text. */
export const textOf = (ctx: EvaluateContext, node: Ts.Node): string => node.getText(ctx.sourceFile);

/**
 * The value `node` denotes, if it can be known at build time.
 * @throws {SyscageError} `DECLARATION_NOT_STATIC` otherwise.
 */
export function evaluate(ctx: EvaluateContext, node: Ts.Node, seen: ReadonlySet<string> = new Set()): unknown {
  const { ts } = ctx;
  const K = ts.SyntaxKind;
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isSatisfiesExpression(node) || ts.isTypeAssertionExpression(node) || ts.isNonNullExpression(node)) {
    return evaluate(ctx, node.expression, seen);
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  switch (node.kind) {
    case K.TrueKeyword:
      return true;
    case K.FalseKeyword:
      return false;
    case K.NullKeyword:
      return null;
  }
  if (ts.isPrefixUnaryExpression(node) && ts.isNumericLiteral(node.operand)) {
    const value = Number(node.operand.text);
    if (node.operator === K.MinusToken) return -value;
    if (node.operator === K.PlusToken) return value;
  }
  if (ts.isArrayLiteralExpression(node)) return evaluateArray(ctx, node, seen);
  if (ts.isObjectLiteralExpression(node)) return evaluateObject(ctx, node, seen);
  if (ts.isIdentifier(node)) return evaluateReference(ctx, node, node.text, seen);
  return notStatic(ctx, node, `\`sandbox()\` needs values known at build time; \`${snippet(ctx.sourceFile, node)}\` is ${describeKind(ctx, node)}.`, HINT_LITERAL);
}

function evaluateArray(ctx: EvaluateContext, node: Ts.ArrayLiteralExpression, seen: ReadonlySet<string>): unknown[] {
  const { ts } = ctx;
  const out: unknown[] = [];
  for (const element of node.elements) {
    if (ts.isOmittedExpression(element)) notStatic(ctx, node, 'A list in `sandbox()` has a hole (`[a, , b]`).', 'Remove the extra comma.');
    if (ts.isSpreadElement(element)) {
      const spread = evaluate(ctx, element.expression, seen);
      if (!Array.isArray(spread)) notStatic(ctx, element, `\`${snippet(ctx.sourceFile, element)}\` spreads a value that is not a list.`, 'Spread only a `const` list of this file into a list.');
      out.push(...spread);
    } else {
      out.push(evaluate(ctx, element, seen));
    }
  }
  return out;
}

function evaluateObject(ctx: EvaluateContext, node: Ts.ObjectLiteralExpression, seen: ReadonlySet<string>): Record<string, unknown> {
  const { ts } = ctx;
  const out: Record<string, unknown> = {};
  for (const property of node.properties) {
    if (ts.isPropertyAssignment(property)) {
      const name = property.name;
      if (ts.isComputedPropertyName(name)) {
        notStatic(ctx, name, `\`sandbox()\` needs plain keys; \`${snippet(ctx.sourceFile, name)}\` is a computed key.`, 'Write the key as a name, such as `fs:` or `net:`.');
      }
      out[keyOf(ctx, name)] = evaluate(ctx, property.initializer, seen);
    } else if (ts.isShorthandPropertyAssignment(property)) {
      out[property.name.text] = evaluateReference(ctx, property.name, property.name.text, seen);
    } else if (ts.isSpreadAssignment(property)) {
      const spread = evaluate(ctx, property.expression, seen);
      if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) {
        notStatic(ctx, property, `\`${snippet(ctx.sourceFile, property)}\` spreads a value that is not an object.`, 'Spread only a `const` object of this file into an object.');
      }
      Object.assign(out, spread);
    } else {
      const what = ts.isMethodDeclaration(property) ? 'a method' : ts.isGetAccessorDeclaration(property) ? 'a getter' : 'a setter';
      notStatic(ctx, property, `\`sandbox()\` needs plain values; \`${keyOf(ctx, property.name)}\` is ${what}.`, 'Write `key: value` with a literal value.');
    }
  }
  return out;
}

function keyOf(ctx: EvaluateContext, name: Ts.PropertyName): string {
  const { ts } = ctx;
  return ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isIdentifier(name) || ts.isPrivateIdentifier(name) ? name.text : textOf(ctx, name);
}

/** `const`, `let`, `var`, `using` or `await using`: how a variable statement declares. */
function declarationKind(ts: typeof Ts, list: Ts.VariableDeclarationList): string {
  const scoped = list.flags & ts.NodeFlags.BlockScoped;
  if (scoped === ts.NodeFlags.Const) return 'const';
  if (scoped === ts.NodeFlags.Let) return 'let';
  if (scoped === ts.NodeFlags.AwaitUsing) return 'await using';
  return scoped === ts.NodeFlags.Using ? 'using' : 'var';
}

/** The value of the top-level binding `name` of this file. */
function evaluateReference(ctx: EvaluateContext, at: Ts.Node, name: string, seen: ReadonlySet<string>): unknown {
  const { ts, sourceFile } = ctx;
  if (name === 'undefined') return undefined;
  if (seen.has(name)) notStatic(ctx, at, `\`${name}\` refers to itself.`, 'Write its value without referring back to it.');
  for (const statement of sourceFile.statements) {
    if (ts.isVariableStatement(statement)) {
      for (const declaration of statement.declarationList.declarations) {
        const nameNode = declaration.name;
        if (!ts.isIdentifier(nameNode)) {
          if (bindsName(ts, nameNode, name)) {
            notStatic(ctx, at, `\`${name}\` comes from a destructuring pattern; the build reads only \`const ${name} = <literal>\`.`, `Declare \`const ${name} = ...\` with a literal value.`);
          }
          continue;
        }
        if (nameNode.text !== name) continue;
        const kind = declarationKind(ts, statement.declarationList);
        if (kind !== 'const') {
          const line = locate(sourceFile, declaration, ctx.file).line;
          notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is declared with \`${kind}\` at line ${line}, and could change.`, `Declare it with \`const\`, or write the value inline.`);
        }
        if (declaration.initializer === undefined) notStatic(ctx, at, `\`${name}\` has no value in this file.`, HINT_LITERAL);
        return evaluate(ctx, declaration.initializer, new Set([...seen, name]));
      }
    }
    if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
      const clause = statement.importClause;
      const bindings = clause?.namedBindings;
      const bound = [clause?.name, bindings && ts.isNamespaceImport(bindings) ? bindings.name : undefined, ...(bindings && ts.isNamedImports(bindings) ? bindings.elements.map((s) => s.name) : [])];
      if (bound.some((b) => b?.text === name)) {
        notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is imported from '${statement.moduleSpecifier.text}', and the build reads only this file.`, HINT_MOVE);
      }
    }
    if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name?.text === name) {
      notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is a ${ts.isFunctionDeclaration(statement) ? 'function' : ts.isClassDeclaration(statement) ? 'class' : 'enum'}.`, HINT_LITERAL);
    }
  }
  return notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is not a top-level \`const\` of this file.`, HINT_MOVE);
}

/** Whether a destructuring pattern binds `name` anywhere inside it. */
function bindsName(ts: typeof Ts, pattern: Ts.BindingName, name: string): boolean {
  if (ts.isIdentifier(pattern)) return pattern.text === name;
  return pattern.elements.some((element) => !ts.isOmittedExpression(element) && bindsName(ts, element.name, name));
}

function describeKind(ctx: EvaluateContext, node: Ts.Node): string {
  const { ts } = ctx;
  if (ts.isCallExpression(node)) return 'a function call, known only at run time';
  if (ts.isNewExpression(node)) return 'a `new` expression, known only at run time';
  if (ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) return 'a property access, known only at run time';
  if (ts.isConditionalExpression(node)) return 'a conditional expression';
  if (ts.isBinaryExpression(node)) return 'an operation';
  if (ts.isTemplateExpression(node)) return 'a template with substitutions';
  if (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) return 'a function';
  if (ts.isAwaitExpression(node)) return 'an `await`';
  if (ts.isRegularExpressionLiteral(node)) return 'a regular expression';
  if (ts.isBigIntLiteral(node)) return 'a bigint';
  if (ts.isTaggedTemplateExpression(node)) return 'a tagged template';
  return 'an expression the build cannot evaluate';
}
