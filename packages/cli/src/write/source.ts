/**
 * What `trace --write` needs from a parsed source file, on ts-morph nodes: the file's own style
 * (quotes, semicolons, indentation), the static value of a literal, and text edits that update
 * one object literal's capability properties in place. Edits are computed as text ranges and
 * applied at once, so everything outside them stays byte for byte (formatting, comments); ts-morph
 * parses and locates, it never prints. It does not decide which object to update (entry.ts,
 * config.ts) nor read or write files (write.ts).
 */

import type { Node, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import type { Capabilities } from '@syscage/core';
import { CliError, failure } from '../exit-codes.ts';

/** The ts-morph module, loaded by write.ts only. */
export type TsMorph = typeof import('ts-morph');

/** A text replacement: `text` in place of [start, end). */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** How the file writes code: what inserted code should look like. */
export interface Style {
  readonly quote: "'" | '"';
  readonly semicolon: '' | ';';
  /** One level of indentation. */
  readonly unit: string;
}

/** The keys `trace` decides about; every other key of a declaration (onViolation, …) is the user's. */
export const CAPABILITY_KEYS: readonly string[] = ['fs', 'net', 'dns', 'spawn', 'worker', 'tty', 'signal'];

/** Parses `text` as the file `name` (TypeScript or JavaScript by extension); a failure if it does not parse. */
export function parseSource(tsMorph: TsMorph, name: string, text: string): SourceFile {
  const project = new tsMorph.Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, skipAddingFilesFromTsConfig: true, compilerOptions: { allowJs: true } });
  const file = project.createSourceFile(`/${name.replace(/^.*\//, '')}`, text, { overwrite: true });
  const diagnostics = (file.compilerNode as unknown as { parseDiagnostics?: readonly { start?: number; messageText: unknown }[] }).parseDiagnostics ?? [];
  const first = diagnostics[0];
  if (first !== undefined) {
    const { line, column } = file.getLineAndColumnAtPos(first.start ?? 0);
    throw failure(`${name}:${line}:${column}: does not parse (${typeof first.messageText === 'string' ? first.messageText : 'syntax error'}); nothing written.`);
  }
  return file;
}

/** The file's quotes (its first module specifier's), semicolons and indentation unit. */
export function detectStyle(tsMorph: TsMorph, file: SourceFile): Style {
  const { SyntaxKind } = tsMorph;
  const specifier = file.getImportDeclarations()[0]?.getModuleSpecifier() ?? file.getDescendantsOfKind(SyntaxKind.StringLiteral)[0];
  const quote = specifier?.getText().startsWith('"') ? '"' : "'";
  const statements = file.getStatements().filter((s) => s.isKind(SyntaxKind.ImportDeclaration) || s.isKind(SyntaxKind.VariableStatement) || s.isKind(SyntaxKind.ExpressionStatement));
  const semicolon = statements.length > 0 && statements.every((s) => !s.getText().endsWith(';')) ? '' : ';';
  const indented = /^\n?([ \t]+)\S/m.exec(file.getFullText().split('\n').find((line) => /^[ \t]+\S/.test(line) && !/^\s*\*/.test(line)) ?? '');
  return { quote, semicolon, unit: indented?.[1]?.startsWith('\t') ? '\t' : (indented?.[1] ?? '  ').length >= 4 ? '    ' : '  ' };
}

/** A value as a one-line literal in the file's quotes (how `trace` prints a capability group). */
export function formatLiteral(value: unknown, quote: Style['quote']): string {
  if (typeof value === 'string') return `${quote}${value.replaceAll('\\', '\\\\').replaceAll(quote, `\\${quote}`)}${quote}`;
  if (Array.isArray(value)) return `[${value.map((item) => formatLiteral(item, quote)).join(', ')}]`;
  if (typeof value === 'object' && value !== null) return `{ ${Object.entries(value).map(([k, v]) => `${formatKey(k, quote)}: ${formatLiteral(v, quote)}`).join(', ')} }`;
  return String(value);
}

/** A property name: bare when it is an identifier, quoted otherwise. */
export function formatKey(key: string, quote: Style['quote']): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : formatLiteral(key, quote);
}

/** A multi-line object literal of `properties` (each `key: value` text), its closing brace at `indent`. */
export function formatObject(properties: readonly string[], indent: string, style: Style): string {
  if (properties.length === 0) return '{}';
  return `{\n${properties.map((p) => `${indent}${style.unit}${p},`).join('\n')}\n${indent}}`;
}

/** The capability properties of `declaration`, in its order, as `key: value` texts. */
export function capabilityProperties(declaration: Capabilities, style: Style): string[] {
  return Object.entries(declaration).map(([key, value]) => `${formatKey(key, style.quote)}: ${formatLiteral(value, style.quote)}`);
}

const NOT_STATIC = Symbol('not static');

/** The value of a literal expression (through `as const`, `satisfies`, parentheses), or NOT_STATIC. */
function staticValue(tsMorph: TsMorph, node: Node): unknown {
  const { Node: N } = tsMorph;
  if (N.isAsExpression(node) || N.isSatisfiesExpression(node) || N.isParenthesizedExpression(node) || N.isNonNullExpression(node)) return staticValue(tsMorph, node.getExpression());
  if (N.isStringLiteral(node) || N.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (N.isNumericLiteral(node)) return node.getLiteralValue();
  if (N.isTrueLiteral(node)) return true;
  if (N.isFalseLiteral(node)) return false;
  if (N.isArrayLiteralExpression(node)) {
    const items = node.getElements().map((element) => staticValue(tsMorph, element));
    return items.includes(NOT_STATIC) ? NOT_STATIC : items;
  }
  if (N.isObjectLiteralExpression(node)) {
    const value: Record<string, unknown> = {};
    for (const property of node.getProperties()) {
      if (!N.isPropertyAssignment(property)) return NOT_STATIC;
      const key = propertyName(tsMorph, property);
      const item = staticValue(tsMorph, property.getInitializerOrThrow());
      if (key === undefined || item === NOT_STATIC) return NOT_STATIC;
      value[key] = item;
    }
    return value;
  }
  return NOT_STATIC;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameValue(item, b[i]));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
  }
  return a === b;
}

/** A property's name when it is written literally (`fs`, `'fs'`), else undefined. */
export function propertyName(tsMorph: TsMorph, property: Node): string | undefined {
  const { Node: N } = tsMorph;
  if (!N.isPropertyAssignment(property) && !N.isShorthandPropertyAssignment(property) && !N.isMethodDeclaration(property)) return undefined;
  const name = property.getNameNode();
  if (N.isIdentifier(name)) return name.getText();
  if (N.isStringLiteral(name) || N.isNoSubstitutionTemplateLiteral(name)) return name.getLiteralValue();
  if (N.isNumericLiteral(name)) return String(name.getLiteralValue());
  return undefined;
}

/** The indentation of the line `node` starts on. */
export function indentAt(node: Node): string {
  const text = node.getSourceFile().getFullText();
  const start = text.lastIndexOf('\n', node.getStart() - 1) + 1;
  return /^[ \t]*/.exec(text.slice(start))?.[0] ?? '';
}

/**
 * Edits that make `object`'s capability properties say `declaration` (the user's other keys, and
 * capabilities whose value already equals the new one, are left as written). `where` names the
 * object in messages. A multi-line object is edited property by property; a one-line one is
 * written out again on several lines, keeping the other properties' text.
 */
export function updateObject(tsMorph: TsMorph, object: ObjectLiteralExpression, declaration: Capabilities, style: Style, where: string): Edit[] {
  const { Node: N } = tsMorph;
  const wanted = new Map(Object.entries(declaration));
  const present = new Map<string, Node>();
  for (const property of object.getProperties()) {
    const name = propertyName(tsMorph, property);
    if (name === undefined || !N.isPropertyAssignment(property)) {
      if (name !== undefined && !CAPABILITY_KEYS.includes(name)) continue;
      const { line, column } = object.getSourceFile().getLineAndColumnAtPos(property.getStart());
      throw new CliError(1, `${where}:${line}:${column}: cannot update \`${property.getText().split('\n')[0]}\` soundly: the declaration's capabilities must be written as \`key: value\`.`, 'Write them out literally (or remove this property), then run again.');
    }
    if (CAPABILITY_KEYS.includes(name)) present.set(name, property);
  }
  const unchanged = (name: string): boolean => {
    const property = present.get(name);
    return property !== undefined && N.isPropertyAssignment(property) && sameValue(staticValue(tsMorph, property.getInitializerOrThrow()), wanted.get(name));
  };
  const changes = [...new Set([...present.keys(), ...wanted.keys()])].filter((name) => !unchanged(name));
  if (changes.length === 0) return [];
  const text = object.getSourceFile().getFullText();
  const multiLine = text.slice(object.getStart(), object.getEnd()).includes('\n') && object.getProperties().length > 0;
  if (!multiLine) {
    const kept = object.getProperties().filter((p) => !present.has(propertyName(tsMorph, p) ?? '')).map((p) => p.getText());
    const properties = [...capabilityProperties(declaration, style), ...kept];
    return [{ start: object.getStart(), end: object.getEnd(), text: formatObject(properties, indentAt(object), style) }];
  }
  const edits: Edit[] = [];
  for (const [name, property] of present) {
    if (unchanged(name)) continue;
    const value = wanted.get(name);
    if (value !== undefined && N.isPropertyAssignment(property)) {
      const initializer = property.getInitializerOrThrow();
      edits.push({ start: initializer.getStart(), end: initializer.getEnd(), text: formatLiteral(value, style.quote) });
    } else edits.push(removal(property, text));
  }
  const added = [...wanted.entries()].filter(([name]) => !present.has(name));
  if (added.length > 0) {
    const last = object.getProperties().at(-1) as Node;
    const indent = indentAt(last);
    const comma = text.slice(last.getEnd()).match(/^\s*,/)?.[0];
    const at = comma === undefined ? last.getEnd() : last.getEnd() + comma.length;
    const lines = added.map(([name, value]) => `\n${indent}${formatKey(name, style.quote)}: ${formatLiteral(value, style.quote)},`).join('');
    edits.push({ start: at, end: at, text: `${comma === undefined ? ',' : ''}${lines}` });
  }
  return edits;
}

/** Removes a property of a multi-line object: its lines, with the comments above it and its comma. */
function removal(property: Node, text: string): Edit {
  const comments = property.getLeadingCommentRanges();
  const first = comments[0]?.getPos() ?? property.getStart();
  const lineStart = text.lastIndexOf('\n', first - 1) + 1;
  const start = /^[ \t]*$/.test(text.slice(lineStart, first)) ? lineStart : first;
  let end = property.getEnd();
  const comma = /^[ \t]*,/.exec(text.slice(end));
  if (comma !== null) end += comma[0].length;
  const rest = /^[ \t]*(\/\/[^\n]*)?\n/.exec(text.slice(end));
  if (rest !== null && start === lineStart) end += rest[0].length;
  return { start, end, text: '' };
}

/** `text` with `edits` (non-overlapping) applied. */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  let result = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}
