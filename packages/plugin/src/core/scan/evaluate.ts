/**
 * Reads a declaration's value from the syntax tree without running anything: literals, arrays,
 * objects, `as const` / `satisfies` / `!` / parentheses, references to top-level `const`s of the
 * same file, and spreads of such values. Anything else throws `DECLARATION_NOT_STATIC` at the
 * offending node, saying what to write instead. It never consults the type checker, and it never
 * guesses: a value it cannot read is an error, never an omission.
 */

import { SyscageError } from '@syscage/core';
import type * as TsMorph from 'ts-morph';
import type { Node, SourceFile } from 'ts-morph';
import { locate, snippet } from './locate.ts';

/** What evaluation needs besides the node: the loaded ts-morph module and the file it reads. */
export interface EvaluateContext {
  readonly tm: typeof TsMorph;
  readonly sourceFile: SourceFile;
  /** The file name used in messages (relative to the root). */
  readonly file: string;
}

const HINT_LITERAL = 'Write the value as a literal (string, number, boolean, array or object), or as a `const` of this file holding one.';
const HINT_MOVE = 'Move the capabilities into a `const` in this file.';

/** Throws `DECLARATION_NOT_STATIC` located at `node`. */
export function notStatic(ctx: EvaluateContext, node: Node, message: string, hint: string): never {
  throw new SyscageError({ code: 'DECLARATION_NOT_STATIC', message, hint, location: locate(ctx.sourceFile, node, ctx.file) });
}

/**
 * The value `node` denotes, if it can be known at build time.
 * @throws {SyscageError} `DECLARATION_NOT_STATIC` otherwise.
 */
export function evaluate(ctx: EvaluateContext, node: Node, seen: ReadonlySet<string> = new Set()): unknown {
  const { SyntaxKind: K, Node: N } = ctx.tm;
  if (N.isParenthesizedExpression(node) || N.isAsExpression(node) || N.isSatisfiesExpression(node) || N.isTypeAssertion(node) || N.isNonNullExpression(node)) {
    return evaluate(ctx, node.getExpression(), seen);
  }
  if (N.isStringLiteral(node) || N.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (N.isNumericLiteral(node)) return node.getLiteralValue();
  switch (node.getKind()) {
    case K.TrueKeyword:
      return true;
    case K.FalseKeyword:
      return false;
    case K.NullKeyword:
      return null;
  }
  if (N.isPrefixUnaryExpression(node) && N.isNumericLiteral(node.getOperand())) {
    const operator = node.getOperatorToken();
    const value = (node.getOperand() as TsMorph.NumericLiteral).getLiteralValue();
    if (operator === K.MinusToken) return -value;
    if (operator === K.PlusToken) return value;
  }
  if (N.isArrayLiteralExpression(node)) return evaluateArray(ctx, node, seen);
  if (N.isObjectLiteralExpression(node)) return evaluateObject(ctx, node, seen);
  if (N.isIdentifier(node)) return evaluateReference(ctx, node, node.getText(), seen);
  return notStatic(ctx, node, `\`sandbox()\` needs values known at build time; \`${snippet(node)}\` is ${describeKind(ctx, node)}.`, HINT_LITERAL);
}

function evaluateArray(ctx: EvaluateContext, node: TsMorph.ArrayLiteralExpression, seen: ReadonlySet<string>): unknown[] {
  const { Node: N } = ctx.tm;
  const out: unknown[] = [];
  for (const element of node.getElements()) {
    if (N.isOmittedExpression(element)) notStatic(ctx, node, 'A list in `sandbox()` has a hole (`[a, , b]`).', 'Remove the extra comma.');
    if (N.isSpreadElement(element)) {
      const spread = evaluate(ctx, element.getExpression(), seen);
      if (!Array.isArray(spread)) notStatic(ctx, element, `\`${snippet(element)}\` spreads a value that is not a list.`, 'Spread only a `const` list of this file into a list.');
      out.push(...spread);
    } else {
      out.push(evaluate(ctx, element, seen));
    }
  }
  return out;
}

function evaluateObject(ctx: EvaluateContext, node: TsMorph.ObjectLiteralExpression, seen: ReadonlySet<string>): Record<string, unknown> {
  const { Node: N } = ctx.tm;
  const out: Record<string, unknown> = {};
  for (const property of node.getProperties()) {
    if (N.isPropertyAssignment(property)) {
      const name = property.getNameNode();
      if (N.isComputedPropertyName(name)) {
        notStatic(ctx, name, `\`sandbox()\` needs plain keys; \`${snippet(name)}\` is a computed key.`, 'Write the key as a name, such as `fs:` or `net:`.');
      }
      const key = N.isStringLiteral(name) || N.isNumericLiteral(name) || N.isNoSubstitutionTemplateLiteral(name) ? String(name.getLiteralValue()) : name.getText();
      out[key] = evaluate(ctx, property.getInitializerOrThrow(), seen);
    } else if (N.isShorthandPropertyAssignment(property)) {
      const name = property.getNameNode();
      out[name.getText()] = evaluateReference(ctx, name, name.getText(), seen);
    } else if (N.isSpreadAssignment(property)) {
      const spread = evaluate(ctx, property.getExpression(), seen);
      if (typeof spread !== 'object' || spread === null || Array.isArray(spread)) {
        notStatic(ctx, property, `\`${snippet(property)}\` spreads a value that is not an object.`, 'Spread only a `const` object of this file into an object.');
      }
      Object.assign(out, spread);
    } else {
      const what = N.isMethodDeclaration(property) ? 'a method' : N.isGetAccessorDeclaration(property) ? 'a getter' : 'a setter';
      notStatic(ctx, property, `\`sandbox()\` needs plain values; \`${property.getSymbol()?.getName() ?? snippet(property)}\` is ${what}.`, 'Write `key: value` with a literal value.');
    }
  }
  return out;
}

/** The value of the top-level binding `name` of this file. */
function evaluateReference(ctx: EvaluateContext, at: Node, name: string, seen: ReadonlySet<string>): unknown {
  const { Node: N, VariableDeclarationKind } = ctx.tm;
  if (name === 'undefined') return undefined;
  if (seen.has(name)) notStatic(ctx, at, `\`${name}\` refers to itself.`, 'Write its value without referring back to it.');
  for (const statement of ctx.sourceFile.getStatements()) {
    if (N.isVariableStatement(statement)) {
      for (const declaration of statement.getDeclarations()) {
        const nameNode = declaration.getNameNode();
        if (!N.isIdentifier(nameNode)) {
          if (nameNode.getDescendants().some((d) => N.isIdentifier(d) && d.getText() === name)) {
            notStatic(ctx, at, `\`${name}\` comes from a destructuring pattern; the build reads only \`const ${name} = <literal>\`.`, `Declare \`const ${name} = ...\` with a literal value.`);
          }
          continue;
        }
        if (nameNode.getText() !== name) continue;
        const kind = statement.getDeclarationKind();
        if (kind !== VariableDeclarationKind.Const) {
          notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is declared with \`${kind}\` at line ${declaration.getStartLineNumber()}, and could change.`, `Declare it with \`const\`, or write the value inline.`);
        }
        const initializer = declaration.getInitializer();
        if (initializer === undefined) notStatic(ctx, at, `\`${name}\` has no value in this file.`, HINT_LITERAL);
        return evaluate(ctx, initializer, new Set([...seen, name]));
      }
    }
    if (N.isImportDeclaration(statement)) {
      const bound = [statement.getDefaultImport(), statement.getNamespaceImport(), ...statement.getNamedImports().map((s) => s.getAliasNode() ?? s.getNameNode())];
      if (bound.some((b) => b?.getText() === name)) {
        notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is imported from '${statement.getModuleSpecifierValue()}', and the build reads only this file.`, HINT_MOVE);
      }
    }
    if ((N.isFunctionDeclaration(statement) || N.isClassDeclaration(statement) || N.isEnumDeclaration(statement)) && statement.getName() === name) {
      notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is a ${N.isFunctionDeclaration(statement) ? 'function' : N.isClassDeclaration(statement) ? 'class' : 'enum'}.`, HINT_LITERAL);
    }
  }
  return notStatic(ctx, at, `\`sandbox()\` needs values known at build time; \`${name}\` is not a top-level \`const\` of this file.`, HINT_MOVE);
}

function describeKind(ctx: EvaluateContext, node: Node): string {
  const { Node: N } = ctx.tm;
  if (N.isCallExpression(node)) return 'a function call, known only at run time';
  if (N.isNewExpression(node)) return 'a `new` expression, known only at run time';
  if (N.isPropertyAccessExpression(node) || N.isElementAccessExpression(node)) return 'a property access, known only at run time';
  if (N.isConditionalExpression(node)) return 'a conditional expression';
  if (N.isBinaryExpression(node)) return 'an operation';
  if (N.isTemplateExpression(node)) return 'a template with substitutions';
  if (N.isArrowFunction(node) || N.isFunctionExpression(node)) return 'a function';
  if (N.isAwaitExpression(node)) return 'an `await`';
  if (N.isRegularExpressionLiteral(node)) return 'a regular expression';
  if (N.isBigIntLiteral(node)) return 'a bigint';
  if (N.isTaggedTemplateExpression(node)) return 'a tagged template';
  return 'an expression the build cannot evaluate';
}
