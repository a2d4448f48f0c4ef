/**
 * The scanner: it parses one file at a time into an ESTree syntax tree (no scopes, no types;
 * `parse.ts`, the only module that loads oxc-parser, lazily), finds its declarations (the call
 * form `sandbox({...});` as a top-level statement and the decorator form `@sandbox({...})` on a
 * top-level class, bound by an ES import or a CommonJS `require`; the rules are `rules.ts`'s),
 * evaluates each statically, and says which source ranges to rewrite so that nothing calls the
 * runtime compiler. It does not decide whether the file is an entry, compile anything, or edit
 * text: the transform does.
 */

import { bindingEdits, findRuntimeBindings, type Edit } from './bindings.ts';
import { notStatic, type EvaluateContext } from './evaluate.ts';
import { parseFile, type HostParse } from './parse.ts';
import { calleeAt, readDeclaration, refuseInlineRuntime, refuseReexport, type FoundDeclaration } from './rules.ts';
import { identifiers } from './tree.ts';

export { RUNTIME_MODULE, type Edit } from './bindings.ts';
export type { HostParse } from './parse.ts';
export { REMOVED_CALL, type FoundDeclaration } from './rules.ts';

/** What a file declares and how to rewrite it. */
export interface ScanResult {
  readonly declarations: readonly FoundDeclaration[];
  readonly edits: readonly Edit[];
}

/** Scans files; one per build or watch session. */
export interface Scanner {
  /**
   * @param id Absolute path of the module (its extension picks TS, TSX, JS or JSX parsing).
   * @param file The name used in messages.
   * @throws {SyscageError} `DECLARATION_NOT_STATIC` for any declaration the build cannot read.
   */
  scan(code: string, id: string, file: string, hostParse?: HostParse): Promise<ScanResult>;
}

/**
 * A scanner. oxc-parser is loaded on the first `scan` call, not before.
 * @example
 * const { declarations } = await createScanner().scan(code, '/app/src/main.ts', 'src/main.ts');
 */
export function createScanner(): Scanner {
  return {
    async scan(code, id, file, hostParse) {
      return scanFile({ source: { code }, program: await parseFile(code, id, hostParse), file });
    },
  };
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
