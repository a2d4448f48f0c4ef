/**
 * Core's floors, read from the import statements of its modules: the leaves first (errors, name
 * suggestions, the seccomp ABI, the public capability types), then arch → policy → bpf → catalog →
 * landlock, then the pipeline that joins them and the public index. A module may import from its
 * own floor and the floors below, never from a later one; tests may import anything.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/** Each floor's modules, as paths under src/ (a folder ends with `/`), lowest first. */
const FLOORS: readonly (readonly string[])[] = [
  ['errors.ts', 'suggest.ts', 'seccomp-abi.ts', 'dsl/'],
  ['arch/'],
  ['policy/'],
  ['bpf/'],
  ['catalog/'],
  ['landlock/'],
  ['pipeline.ts', 'manifest.ts', 'index.ts'],
];

function floorOf(module: string): number {
  return FLOORS.findIndex((floor) => floor.some((entry) => (entry.endsWith('/') ? module.startsWith(entry) : module === entry)));
}

const modules = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .map((path) => path.split('\\').join('/'))
  .filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts'));

/** The modules of src/ that `module` imports or re-exports (statically or with `import()`). */
function importsOf(module: string): string[] {
  const text = readFileSync(join(SRC, module), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'/gm), ...text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)].map((match) => match[1] as string);
  return specifiers.filter((specifier) => specifier.startsWith('.')).map((specifier) => posix.normalize(posix.join(posix.dirname(module), specifier)));
}

describe("core's floors", () => {
  it('finds the modules', () => {
    expect(modules).toContain('policy/action.ts');
    expect(modules).toContain('bpf/self-pid.ts');
  });

  it.each(modules)('%s sits on a floor', (module) => {
    expect(floorOf(module), `${module} is on no floor: add it to FLOORS in ${relative(process.cwd(), fileURLToPath(import.meta.url))}`).not.toBe(-1);
  });

  it.each(modules)('%s imports nothing from a later floor', (module) => {
    const later = importsOf(module).filter((target) => floorOf(target) > floorOf(module));
    expect(later).toEqual([]);
  });

  it('reads imports the way they are written', () => {
    expect(importsOf('bpf/self-pid.ts')).toEqual(['errors.ts', 'bpf/opcodes.ts']);
  });
});
