/**
 * `trace --write CONFIG`: the edits that make a bundler config's `syscage({ entries })` option
 * declare `declaration` for one entry. Only what can be updated soundly is: one call of the
 * plugin (its default or named import from `@syscage/plugin…`, or a `require` of it) whose
 * argument, `entries` and the entry's value are object literals written in the config; the entry's
 * other keys (onViolation, …) and the plugin's other options stay as written. Anything else is
 * refused with what to do. Works on text; which entry is the caller's to say (write.ts).
 */

import type { CallExpression, Node, ObjectLiteralExpression, SourceFile } from 'ts-morph';
import type { Capabilities } from '@syscage/core';
import { CliError } from '../exit-codes.ts';
import { applyEdits, capabilityProperties, detectStyle, formatKey, formatObject, indentAt, parseSource, propertyName, updateObject, type Edit, type Style, type TsMorph } from './source.ts';

const PLUGIN = /^@syscage\/plugin(\/[a-z]+)?$/;

/** The result of {@link updateConfig}. */
export interface ConfigUpdate {
  readonly text: string;
  readonly action: 'unchanged' | 'updated' | 'added';
}

/** Whether `text` (a file's) loads `@syscage/plugin`: then it is a bundler config, not an entry. */
export function mentionsPlugin(text: string): boolean {
  return /['"]@syscage\/plugin(\/[a-z]+)?['"]/.test(text);
}

/**
 * The config `name` (text `text`) with `entries[entry]` declaring `declaration`. `entry` is the
 * key as the plugin resolves it (relative to its root); an existing key naming the same path
 * (`./src/cli.ts` for `src/cli.ts`) is updated rather than a second one added. Without `entry`,
 * the one key `entries` already has is updated.
 * @throws {CliError} when there is not exactly one plugin call, or an option is not a literal.
 * @example
 * updateConfig(tsMorph, 'esbuild.config.mjs', text, { dns: true }, 'src/cli.ts').text;
 */
export function updateConfig(tsMorph: TsMorph, name: string, text: string, declaration: Capabilities, entry: string | undefined): ConfigUpdate {
  const file = parseSource(tsMorph, name, text);
  const style = detectStyle(tsMorph, file);
  const call = pluginCall(tsMorph, name, file);
  const edits = entriesEdits(tsMorph, name, call, declaration, entry, style);
  if (edits === 'unchanged') return { text, action: 'unchanged' };
  return { text: applyEdits(text, edits.edits), action: edits.added ? 'added' : 'updated' };
}

/** The one call of the plugin in the config. */
function pluginCall(tsMorph: TsMorph, name: string, file: SourceFile): CallExpression {
  const { Node: N, SyntaxKind } = tsMorph;
  const callees = new Set<string>();
  for (const declaration of file.getImportDeclarations()) {
    if (!PLUGIN.test(declaration.getModuleSpecifierValue()) || declaration.isTypeOnly()) continue;
    const local = declaration.getDefaultImport()?.getText();
    if (local !== undefined) callees.add(local);
    for (const named of declaration.getNamedImports()) if (!named.isTypeOnly()) callees.add(named.getAliasNode()?.getText() ?? named.getName());
    const namespace = declaration.getNamespaceImport()?.getText();
    if (namespace !== undefined) callees.add(namespace).add(`${namespace}.default`);
  }
  for (const variable of file.getVariableDeclarations()) {
    const init = variable.getInitializer();
    const required = init !== undefined && N.isPropertyAccessExpression(init) ? init.getExpression() : init;
    if (required === undefined || !N.isCallExpression(required) || required.getExpression().getText() !== 'require') continue;
    const [specifier] = required.getArguments();
    if (specifier === undefined || !N.isStringLiteral(specifier) || !PLUGIN.test(specifier.getLiteralValue())) continue;
    const binding = variable.getNameNode();
    if (N.isIdentifier(binding)) callees.add(binding.getText()).add(`${binding.getText()}.default`);
    else if (N.isObjectBindingPattern(binding)) for (const element of binding.getElements()) callees.add(element.getName());
  }
  const calls = file.getDescendantsOfKind(SyntaxKind.CallExpression).filter((call) => callees.has(call.getExpression().getText()));
  if (calls.length === 1) return calls[0] as CallExpression;
  if (calls.length === 0) {
    throw new CliError(1, `${name}: no call of the syscage plugin found${callees.size === 0 ? " (nothing is imported from '@syscage/plugin/…')" : ` (imported as ${[...callees].join(', ')})`}; nothing written.`, 'Add the plugin to the config (`plugins: [syscage()]`), or write into the entry instead: --write <entry>.');
  }
  throw new CliError(1, `${name}: the syscage plugin is called ${calls.length} times (lines ${calls.map((c) => c.getStartLineNumber()).join(', ')}); cannot tell which builds the traced program; nothing written.`, 'Write into the entry instead (--write <entry>), or update `entries` by hand.');
}

const samePath = (a: string, b: string): boolean => a.replace(/^\.\//, '') === b.replace(/^\.\//, '');

function refuse(name: string, node: Node, what: string): CliError {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return new CliError(1, `${name}:${line}:${column}: ${what}; nothing written.`, 'Write the option as an object literal in the config (`syscage({ entries: { ... } })`), or write into the entry instead: --write <entry>.');
}

function entriesEdits(tsMorph: TsMorph, name: string, call: CallExpression, declaration: Capabilities, entry: string | undefined, style: Style): { edits: Edit[]; added: boolean } | 'unchanged' {
  const { Node: N, SyntaxKind } = tsMorph;
  const properties = capabilityProperties(declaration, style);
  const [options] = call.getArguments();
  const needEntry = (): string => {
    if (entry !== undefined) return entry;
    throw new CliError(1, `${name}: \`entries\` names no entry yet, and the traced program has no manifest saying which entry it was built from; nothing written.`, 'Build it with the plugin first (its <output>.syscage.json names the entry), or add the entry to `entries` by hand, then run again.');
  };
  const entryProperty = (key: string, indent: string): string => `${formatKey(key, style.quote)}: ${formatObject(properties, indent, style)}`;
  if (options === undefined) {
    const open = call.getFirstChildByKindOrThrow(SyntaxKind.OpenParenToken);
    const indent = indentAt(call);
    const text = formatObject([`entries: ${formatObject([entryProperty(needEntry(), indent + style.unit.repeat(2))], indent + style.unit, style)}`], indent, style);
    return { edits: [{ start: open.getEnd(), end: open.getEnd(), text }], added: true };
  }
  if (!N.isObjectLiteralExpression(options)) throw refuse(name, options, `the plugin's options are \`${options.getText().split('\n')[0]}\`, not an object literal`);
  const entries = options.getProperties().find((p) => propertyName(tsMorph, p) === 'entries');
  if (entries === undefined) {
    // A one-line options object gets a one-line `entries`.
    const key = needEntry();
    const oneLine = !options.getText().includes('\n');
    const property = oneLine ? `entries: { ${formatKey(key, style.quote)}: { ${properties.join(', ')} } }` : `entries: ${formatObject([entryProperty(key, indentAt(options) + style.unit.repeat(2))], indentAt(options) + style.unit, style)}`;
    return { edits: [addProperty(options, property, style)], added: true };
  }
  const value = N.isPropertyAssignment(entries) ? entries.getInitializerOrThrow() : entries;
  if (!N.isObjectLiteralExpression(value)) throw refuse(name, value, `\`entries\` is not written here as an object literal (\`${value.getText().split('\n')[0]}\`)`);
  const keys = value.getProperties();
  const key = entry ?? (keys.length === 1 ? propertyName(tsMorph, keys[0] as Node) : undefined);
  if (key === undefined) throw new CliError(1, `${name}: \`entries\` names ${keys.length} entries and the traced program has no manifest saying which it was built from; nothing written.`, 'Build it with the plugin first (its <output>.syscage.json names the entry), then run again.');
  const existing = keys.find((p) => { const k = propertyName(tsMorph, p); return k !== undefined && samePath(k, key); });
  if (existing === undefined) return { edits: [addProperty(value, entryProperty(key, indentAt(value) + style.unit), style)], added: true };
  const object = N.isPropertyAssignment(existing) ? existing.getInitializerOrThrow() : existing;
  if (!N.isObjectLiteralExpression(object)) throw refuse(name, object, `the declaration of '${key}' is \`${object.getText().split('\n')[0]}\`, not an object literal`);
  const edits = updateObject(tsMorph, object, declaration, style, name);
  return edits.length === 0 ? 'unchanged' : { edits, added: false };
}

/** Adds `property` (text) as the last property of `object`, on its own line. */
function addProperty(object: ObjectLiteralExpression, property: string, style: Style): Edit {
  const last = object.getProperties().at(-1);
  const text = object.getSourceFile().getFullText();
  if (last === undefined) {
    return { start: object.getStart(), end: object.getEnd(), text: formatObject([property], indentAt(object), style) };
  }
  const comma = /^\s*,/.exec(text.slice(last.getEnd()))?.[0];
  const at = comma === undefined ? last.getEnd() : last.getEnd() + comma.length;
  const multiLine = text.slice(object.getStart(), object.getEnd()).includes('\n');
  if (!multiLine) return { start: at, end: at, text: `${comma === undefined ? ',' : ''} ${property}` };
  return { start: at, end: at, text: `${comma === undefined ? ',' : ''}\n${indentAt(last)}${property}${comma === undefined ? '' : ','}` };
}
