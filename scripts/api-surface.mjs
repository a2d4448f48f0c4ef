// The public API of each package, as one sorted text per package: for every subpath in its
// `exports` map, every exported name with its kind and its type as TypeScript prints it. The
// files live at packages/<name>/api.txt, so a change of surface shows in review; the test
// (test/api/api-surface.test.ts) fails when they are stale.
//   node scripts/api-surface.mjs           print every package's surface
//   node scripts/api-surface.mjs --write   rewrite packages/*/api.txt
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = ['core', 'runtime', 'plugin', 'cli'];

/** The `source` entry of each subpath export of package `name`. */
function entries(name) {
  const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', name, 'package.json'), 'utf8'));
  return Object.entries(manifest.exports ?? {})
    .filter(([, target]) => typeof target === 'object' && typeof target.source === 'string')
    .map(([subpath, target]) => ({ subpath, file: join(ROOT, 'packages', name, target.source) }));
}

/** Every package's surface text, by package name. */
export function apiSurfaces() {
  const all = PACKAGES.flatMap((name) => entries(name).map((entry) => ({ name, ...entry })));
  const config = ts.getParsedCommandLineOfConfigFile(join(ROOT, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
  const program = ts.createProgram(all.map((e) => e.file), { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const flags = ts.TypeFormatFlags.NoTruncation;
  const out = {};
  for (const { name, subpath, file } of all) {
    const source = program.getSourceFile(file);
    const module = source && checker.getSymbolAtLocation(source);
    const lines = (module ? checker.getExportsOfModule(module) : []).map((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target.declarations?.[0];
      const kind = declaration ? ts.SyntaxKind[declaration.kind].replace(/Declaration$/, '').replace(/Statement$/, '') : 'unknown';
      const isType = (target.flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) !== 0 && (target.flags & ts.SymbolFlags.Value) === 0;
      const type = isType ? checker.typeToString(checker.getDeclaredTypeOfSymbol(target), undefined, flags) : checker.typeToString(checker.getTypeOfSymbol(target), undefined, flags);
      // Types of other modules print as `import("<path>", …).Name`: the name is what matters, not where it lives.
      return `${subpath} ${symbol.getName()}: ${kind} ${type.replace(/\s+/g, ' ').replace(/import\("[^"]*"(?:, \{ with: \{[^}]*\} \})?\)\./g, '')}`;
    });
    out[name] = [...(out[name] ?? []), ...lines.sort()];
  }
  return Object.fromEntries(Object.entries(out).map(([name, lines]) => [name, `${lines.join('\n')}\n`]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const surfaces = apiSurfaces();
  for (const [name, text] of Object.entries(surfaces)) {
    if (process.argv.includes('--write')) writeFileSync(join(ROOT, 'packages', name, 'api.txt'), text);
    else process.stdout.write(`# ${name}\n${text}`);
  }
}
