/**
 * The gate's text edits without a bundler: where the statement goes in ES and CommonJS outputs,
 * that source maps still point every original segment at the same source position, and the gate
 * module's code.
 */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { createGateModule, createLauncher, gateFileName, insertGate, insertionPoint, isGated, isLauncher, keepInPlace, programFileName, readGateCode, readLoaderFile, shebangOf } from './gate.ts';

const payload = { grants: ['fs.read'], onViolation: 'kill', unsupported: 'error', filters: { x86_64: 'AA==' }, stage1: { x86_64: 'AA==' } } as const;

describe('the gate', () => {
  it.each([
    ['an ES module', 'esm', "import a from 'a';\nconsole.log(a);\n", "import \"./main.js.syscage.mjs\";\nimport a from 'a';\nconsole.log(a);\n"],
    ['an ES module with a #! line', 'esm', "#!/usr/bin/env node\nimport a from 'a';\n", "#!/usr/bin/env node\nimport \"./main.js.syscage.mjs\";\nimport a from 'a';\n"],
    ['CommonJS with directives and comments', 'cjs', "#!/usr/bin/env node\n/* banner */\n'use strict';\n\"use asm\"\nrequire('a');\n", "#!/usr/bin/env node\n/* banner */\n'use strict';\n\"use asm\"\nrequire(\"./main.js.syscage.cjs\");\nrequire('a');\n"],
    ['minified CommonJS on one line', 'cjs', '"use strict";var a=require("a");', '"use strict";\nrequire("./main.js.syscage.cjs");\nvar a=require("a");'],
    ['CommonJS whose first statement is a string expression, not a directive', 'cjs', "'a'.length;\n", "require(\"./main.js.syscage.cjs\");\n'a'.length;\n"],
  ] as const)('goes first in %s', (_, format, code, expected) => {
    const gateFile = gateFileName('main.js', format);
    const gated = insertGate(code, gateFile, format);
    expect(gated.code).toBe(expected);
    expect(isGated(gated.code, gateFile, format)).toBe(true);
    expect(isGated(code, gateFile, format)).toBe(false);
  });

  it('keeps every mapped segment on the same generated text, on a new line or mid-line', () => {
    const code = '"use strict";var a=require("a");\nconsole.log(a);';
    // Segments: line 0 at columns 0 and 13 (`var`), line 1 at column 0.
    const mappings = encode([[[0, 0, 0, 0], [13, 0, 1, 0]], [[0, 0, 2, 0]]]);
    const gated = insertGate(code, 'x.cjs', 'cjs');
    const lines = gated.code.split('\n');
    const shifted = decode(gated.shiftMappings(mappings));
    const at = (line: number, column: number): string => (lines[line] as string).slice(column, column + 3);
    const found = shifted.flatMap((segments, line) => segments.map((segment) => [at(line, segment[0]), segment[2]]));
    expect(found).toEqual([['"us', 0], ['var', 1], ['con', 2]]);
  });

  it('moves an inline source map along', () => {
    const map = { version: 3, sources: ['a.ts'], names: [], mappings: encode([[[0, 0, 0, 0]]]) };
    const code = `console.log(1);\n//# sourceMappingURL=data:application/json;base64,${Buffer.from(JSON.stringify(map)).toString('base64')}\n`;
    const gated = insertGate(code, 'x.mjs', 'esm');
    const inline = /base64,(.*)\n$/.exec(gated.code)?.[1] ?? '';
    expect(decode(JSON.parse(Buffer.from(inline, 'base64').toString()).mappings)).toEqual([[], [[0, 0, 0, 0]]]);
  });

  it('puts nothing before a #! line and nothing between directives', () => {
    expect(insertionPoint("#!/bin/node\n'use strict';\nx();", 'cjs')).toBe("#!/bin/node\n'use strict';\n".length);
    expect(insertionPoint("#!/bin/node\n'use strict';\nx();", 'esm')).toBe('#!/bin/node\n'.length);
  });

  it('writes a gate module that carries the runtime\'s gate code, applies the payload and does nothing else', () => {
    const json = JSON.stringify(payload);
    const code = 'var syscageGate=(()=>{})();';
    expect(createGateModule(payload, 'esm', code).split('\n').slice(1)).toEqual([code, `syscageGate.applyPrecompiledGate(${json}, import.meta.url);`, '']);
    expect(createGateModule(payload, 'cjs', code).split('\n').slice(1)).toEqual(["'use strict';", code, `syscageGate.applyPrecompiledGate(${json}, __filename);`, '']);
  });

  it('reads the gate code of the runtime the output will load: one statement defining syscageGate, importing nothing', () => {
    const code = readGateCode(fileURLToPath(import.meta.url));
    expect(code).toMatch(/^(?:"use strict";)?var syscageGate=\(\(\)=>\{/);
    expect(code).not.toMatch(/\bimport\s*[("'{*]|\bimport\.meta\b|(?<![\w.])require\(/);
    expect(code).toContain('applyPrecompiledGate');
  });
});

describe('the launcher', () => {
  /** The launcher's loader-finding expression, run as the launcher at `self` would run it. */
  const locate = (format: 'esm' | 'cjs', self: string): string => {
    const launcher = createLauncher(payload as never, format, 'main.program.mjs', undefined, 'dist/loader.js');
    const expression = /(\(\(self\) => \{.*\}\))\((?:import\.meta\.url|__filename)\)/.exec(launcher)?.[1] ?? '';
    return (new Function(`return ${expression};`)() as (self: string) => string)(format === 'esm' ? pathToFileURL(self).href : self);
  };

  it('finds the loader where Node would: the nearest node_modules/@syscage/runtime above it, by its real path', () => {
    const root = mkdtempSync(join(tmpdir(), 'syscage-locate-'));
    try {
      const runtime = (dir: string, file = true): string => {
        mkdirSync(join(dir, 'node_modules/@syscage/runtime/dist'), { recursive: true });
        writeFileSync(join(dir, 'node_modules/@syscage/runtime/package.json'), '{}');
        if (!file) return '';
        writeFileSync(join(dir, 'node_modules/@syscage/runtime/dist/loader.js'), '');
        return realpathSync(join(dir, 'node_modules/@syscage/runtime/dist/loader.js'));
      };
      mkdirSync(join(root, 'app/dist'), { recursive: true });
      expect(locate('cjs', join(root, 'app/dist/main.cjs'))).toBe('@syscage/runtime/loader'); // none at all
      const outer = runtime(root);
      expect(locate('cjs', join(root, 'app/dist/main.cjs'))).toBe(outer);
      expect(locate('esm', join(root, 'app/dist/main.mjs'))).toBe(pathToFileURL(outer).href);
      const inner = runtime(join(root, 'app'));
      expect(locate('cjs', join(root, 'app/dist/main.cjs'))).toBe(inner); // the nearest wins
      runtime(join(root, 'app/dist'), false);
      expect(locate('cjs', join(root, 'app/dist/main.cjs'))).toBe('@syscage/runtime/loader'); // the nearest lacks the file: Node decides
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("reads the loader's file from the runtime's exports", () => {
    expect(readLoaderFile(fileURLToPath(import.meta.url))).toBe('dist/loader.js');
  });

  it.each([
    ['main.mjs', 'main.program.mjs'],
    ['server.cjs', 'server.program.cjs'],
    ['cli.min.js', 'cli.min.program.js'],
    ['bin', 'bin.program'],
  ])('moves %s to %s', (output, program) => {
    expect(programFileName(output)).toBe(program);
  });

  it('keeps the #! line and names its program; an ES launcher awaits the program only when it is imported', () => {
    const launcher = createLauncher(payload as never, 'esm', 'main.program.mjs', shebangOf('#!/usr/bin/env node\nimport a from "a";'));
    expect(launcher.split('\n').slice(0, 2)).toEqual(['#!/usr/bin/env node', '// Written by @syscage/plugin: starts main.program.mjs inside the sandbox it declared, before any of its code is read.']);
    expect(launcher).toContain(`launchPrecompiled(${JSON.stringify(payload)}, { self: import.meta.url, program: "./main.program.mjs", main: import.meta.main })) await import("./main.program.mjs");`);
    expect(isLauncher(launcher)).toBe(true);
    expect(isLauncher('#!/usr/bin/env node\nconsole.log(1);\n')).toBe(false);
  });

  it('in CommonJS, passes the program\'s exports on to whoever requires it', () => {
    const launcher = createLauncher(payload as never, 'cjs', 'main.program.cjs', undefined);
    expect(launcher).toContain("'use strict';\nif (require('@syscage/runtime/loader').launchPrecompiled(");
    expect(launcher).toContain('{ self: __filename, program: "./main.program.cjs", main: require.main === module })) module.exports = require("./main.program.cjs");');
    expect(shebangOf("'use strict';")).toBeUndefined();
  });

  it.each([
    ['an ES module with exports', 'esm', { exportsBindings: true, importedByOthers: false }, 'it exports bindings'],
    ['an output another imports', 'cjs', { exportsBindings: false, importedByOthers: true }, 'another output imports it'],
    ['CommonJS exports (the launcher passes them on)', 'cjs', { exportsBindings: true, importedByOthers: false }, undefined],
    ['a plain program', 'esm', { exportsBindings: false, importedByOthers: false }, undefined],
  ] as const)('keeps %s in place: %s', (_, format, facts, reason) => {
    expect(keepInPlace(format, facts)).toBe(reason);
  });
});
