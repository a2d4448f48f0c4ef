/**
 * The gate's text edits without a bundler: where the statement goes in ES and CommonJS outputs,
 * that source maps still point every original segment at the same source position, and the gate
 * module's code.
 */
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { describe, expect, it } from 'vitest';
import { createGateModule, gateFileName, insertGate, insertionPoint, isGated } from './gate.ts';

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

  it('writes a gate module that applies the payload and does nothing else', () => {
    const json = JSON.stringify(payload);
    expect(createGateModule(payload, 'esm').split('\n').slice(1)).toEqual(["import { applyPrecompiled } from '@syscage/runtime/loader';", `applyPrecompiled(${json});`, '']);
    expect(createGateModule(payload, 'cjs').split('\n').slice(1)).toEqual(["'use strict';", `require('@syscage/runtime/loader').applyPrecompiled(${json});`, '']);
  });
});
