/**
 * `syscage trace --write`: the declaration written into TypeScript and JavaScript entries (ES and
 * CommonJS) and into a bundler config's `entries`, with the exact text that results, keeping the
 * file's formatting, comments and other keys; a second run leaves the file unchanged; what cannot
 * be updated soundly is refused with what to do. The edit functions are called directly (from
 * source, with ts-morph) on fixture texts; the command itself runs on files in a temp directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tsMorph from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import { updateConfig } from '../src/write/config.ts';
import { updateEntry } from '../src/write/entry.ts';
import { runCli } from './run-cli.ts';

const declaration = { fs: { read: ['./data.txt'] }, net: { connect: [8080] } };

/** Updates `text` as the entry `name`, checks a second run changes nothing, returns the first result. */
function entry(name: string, text: string, packageType?: string) {
  const first = updateEntry(tsMorph, name, text, declaration, packageType);
  const second = updateEntry(tsMorph, name, first.text, declaration, packageType);
  expect([second.action, second.text]).toEqual(['unchanged', first.text]);
  return first;
}

describe('trace --write on an entry', () => {
  it('TypeScript with a declaration: updates the capabilities, keeps comments, other keys and the file\'s style', () => {
    const text = 'import { sandbox } from "@syscage/runtime"\nimport { run } from "./run"\n\nsandbox({\n  // errno while we try it out\n  onViolation: "errno",\n  fs: { read: true }, // too wide\n  // gone once traced\n  dns: true,\n  net: { connect: [8080] },\n})\n\nrun()\n';
    expect(entry('src/cli.ts', text)).toEqual({
      action: 'updated',
      notes: [],
      text: 'import { sandbox } from "@syscage/runtime"\nimport { run } from "./run"\n\nsandbox({\n  // errno while we try it out\n  onViolation: "errno",\n  fs: { read: ["./data.txt"] }, // too wide\n  net: { connect: [8080] },\n})\n\nrun()\n',
    });
  });

  it('TypeScript with a class decorator and an alias: the decorator\'s object is written out', () => {
    const text = "import { sandbox as cage } from '@syscage/runtime';\n\n@cage({ fs: true, onViolation: 'errno' })\nexport class App {}\n";
    expect(entry('src/app.ts', text).text).toBe("import { sandbox as cage } from '@syscage/runtime';\n\n@cage({\n  fs: { read: ['./data.txt'] },\n  net: { connect: [8080] },\n  onViolation: 'errno',\n})\nexport class App {}\n");
  });

  it('TypeScript passing a const: the const is updated', () => {
    const text = "import * as runtime from '@syscage/runtime';\n\nconst caps = {\n    fs: { read: ['./data.txt'] },\n} as const;\nruntime.sandbox(caps);\n";
    expect(entry('src/main.ts', text).text).toBe("import * as runtime from '@syscage/runtime';\n\nconst caps = {\n    fs: { read: ['./data.txt'] },\n    net: { connect: [8080] },\n} as const;\nruntime.sandbox(caps);\n");
  });

  it('an ES module without one: the import first, the call after the imports, and a note on ordering', () => {
    const text = "#!/usr/bin/env node\n// The app.\nimport { readFileSync } from 'node:fs';\nimport { db } from './db.mjs';\n\nconsole.log(readFileSync('./data.txt', 'utf8'), db);\n";
    const result = entry('app.mjs', text);
    expect(result.text).toBe("#!/usr/bin/env node\n// The app.\nimport { sandbox } from '@syscage/runtime';\nimport { readFileSync } from 'node:fs';\nimport { db } from './db.mjs';\n\nsandbox({\n  fs: { read: ['./data.txt'] },\n  net: { connect: [8080] },\n});\n\nconsole.log(readFileSync('./data.txt', 'utf8'), db);\n");
    expect(result.notes).toEqual([
      "app.mjs is an ES module: its imports (./db.mjs) are evaluated before its own code, so for a program run unbuilt the declaration must come first: move it into a module of its own and make that the first import (`import './sandbox.mjs';`), or load it with `node --import`. Built with @syscage/plugin, nothing more is needed: the gate runs first.",
    ]);
  });

  it('an ES module that imports sandbox but does not call it: the binding is called', () => {
    const text = "import { sandbox } from '@syscage/runtime';\nimport http from 'node:http';\n\nhttp.get('http://localhost:8080');\n";
    expect(entry('main.js', text, 'module')).toEqual({ action: 'added', notes: [], text: "import { sandbox } from '@syscage/runtime';\nimport http from 'node:http';\n\nsandbox({\n  fs: { read: ['./data.txt'] },\n  net: { connect: [8080] },\n});\n\nhttp.get('http://localhost:8080');\n" });
  });

  it('CommonJS without one: require and call above everything but directives', () => {
    const text = "'use strict';\n/* A CLI. */\nconst fs = require('node:fs');\nfs.readFileSync('./data.txt');\n";
    expect(entry('cli.js', text, 'commonjs')).toEqual({ action: 'added', notes: [], text: "'use strict';\n/* A CLI. */\nconst { sandbox } = require('@syscage/runtime');\nsandbox({\n  fs: { read: ['./data.txt'] },\n  net: { connect: [8080] },\n});\n\nconst fs = require('node:fs');\nfs.readFileSync('./data.txt');\n" });
  });

  it('CommonJS that requires the runtime: the call goes right after the require', () => {
    const text = 'const { sandbox } = require("@syscage/runtime")\nconst fs = require("node:fs")\n';
    expect(entry('cli.cjs', text).text).toBe('const { sandbox } = require("@syscage/runtime")\nsandbox({\n  fs: { read: ["./data.txt"] },\n  net: { connect: [8080] },\n})\nconst fs = require("node:fs")\n');
  });

  it('refuses two declarations, and a declaration it cannot update soundly', () => {
    const twice = "import { sandbox } from '@syscage/runtime';\nsandbox({});\nsandbox({});\n";
    expect(() => updateEntry(tsMorph, 'app.mjs', twice, declaration, undefined)).toThrow('app.mjs: sandbox() is called 2 times (lines 2, 3); nothing written.');
    const spread = "import { sandbox } from '@syscage/runtime';\nsandbox({ ...base, dns: true });\n";
    expect(() => updateEntry(tsMorph, 'app.mjs', spread, declaration, undefined)).toThrow("app.mjs:2:11: cannot update `...base` soundly: the declaration's capabilities must be written as `key: value`.");
    const opaque = "import { sandbox } from '@syscage/runtime';\nsandbox(loadCaps());\n";
    expect(() => updateEntry(tsMorph, 'app.mjs', opaque, declaration, undefined)).toThrow('app.mjs:2:9: sandbox() is given `loadCaps()`, not an object literal or a const of this file; nothing written.');
  });
});

describe('trace --write on a bundler config', () => {
  const config = (name: string, text: string, key: string | undefined) => {
    const first = updateConfig(tsMorph, name, text, declaration, key);
    expect(updateConfig(tsMorph, name, first.text, declaration, key)).toEqual({ action: 'unchanged', text: first.text });
    return first;
  };

  it('adds `entries` to a plugin called without options', () => {
    const text = "import { build } from 'esbuild';\nimport syscage from '@syscage/plugin/esbuild';\n\nawait build({\n  entryPoints: ['src/cli.ts'],\n  plugins: [syscage()],\n});\n";
    expect(config('esbuild.config.mjs', text, 'src/cli.ts')).toEqual({ action: 'added', text: "import { build } from 'esbuild';\nimport syscage from '@syscage/plugin/esbuild';\n\nawait build({\n  entryPoints: ['src/cli.ts'],\n  plugins: [syscage({\n    entries: {\n      'src/cli.ts': {\n        fs: { read: ['./data.txt'] },\n        net: { connect: [8080] },\n      },\n    },\n  })],\n});\n" });
  });

  it('updates the entry\'s key (written as ./path), keeping its other keys and the plugin\'s other options', () => {
    const text = "import syscage from '@syscage/plugin/vite';\n\nexport default {\n  plugins: [\n    syscage({\n      arches: ['x86_64'],\n      entries: {\n        './src/cli.ts': { fs: true, onViolation: 'errno' }, // the CLI\n      },\n    }),\n  ],\n};\n";
    expect(config('vite.config.ts', text, 'src/cli.ts')).toEqual({ action: 'updated', text: "import syscage from '@syscage/plugin/vite';\n\nexport default {\n  plugins: [\n    syscage({\n      arches: ['x86_64'],\n      entries: {\n        './src/cli.ts': {\n          fs: { read: ['./data.txt'] },\n          net: { connect: [8080] },\n          onViolation: 'errno',\n        }, // the CLI\n      },\n    }),\n  ],\n};\n" });
  });

  it('refuses a config whose entries it cannot see', () => {
    const text = "import syscage from '@syscage/plugin/rollup';\nimport entries from './entries.js';\nexport default { plugins: [syscage({ entries })] };\n";
    expect(() => updateConfig(tsMorph, 'rollup.config.mjs', text, declaration, 'src/cli.ts')).toThrow('rollup.config.mjs:3:38: `entries` is not written here as an object literal (`entries`); nothing written.');
  });
});

describe('syscage trace --write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'syscage-cli-trace-write-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'data.txt'), 'payload\n');
  const program = mkdtempSync(join(tmpdir(), 'syscage-cli-trace-write-app-'));
  afterAll(() => rmSync(program, { recursive: true, force: true }));
  const app = join(program, 'app.mjs');
  writeFileSync(app, "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync('./data.txt', 'utf8').trim());\n");

  it('writes the traced declaration into a JavaScript entry, then leaves it unchanged', async () => {
    const entryFile = join(dir, 'app.mjs');
    writeFileSync(entryFile, readFileSync(app, 'utf8'));
    const first = await runCli(['trace', '--write', 'app.mjs', '--', process.execPath, app], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('\nAdded the declaration in app.mjs.\n');
    expect(readFileSync(entryFile, 'utf8')).toBe("import { sandbox } from '@syscage/runtime';\nimport { readFileSync } from 'node:fs';\n\nsandbox({\n  fs: { read: ['./data.txt'] },\n});\nconsole.log(readFileSync('./data.txt', 'utf8').trim());\n");
    const second = await runCli(['trace', '--write', 'app.mjs', '--', process.execPath, app], { cwd: dir });
    expect(second.stdout).toContain('\napp.mjs already says this; left unchanged.\n');
    expect(readFileSync(entryFile, 'utf8')).toContain("sandbox({\n  fs: { read: ['./data.txt'] },\n});\n");
  }, 60_000);

  it('writes into a TypeScript entry (the source of the traced program), reported in --json', async () => {
    const source = join(dir, 'cli.ts');
    writeFileSync(source, "import { sandbox } from '@syscage/runtime';\n\nsandbox({ onViolation: 'errno' });\n\nconsole.log('hi');\n");
    const run = await runCli(['trace', '--json', '--write', 'cli.ts', '--', process.execPath, app], { cwd: dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).written).toEqual({ file: 'cli.ts', kind: 'entry', action: 'updated', notes: [] });
    expect(readFileSync(source, 'utf8')).toBe("import { sandbox } from '@syscage/runtime';\n\nsandbox({\n  fs: { read: ['./data.txt'] },\n  onViolation: 'errno',\n});\n\nconsole.log('hi');\n");
  }, 60_000);

  it('refuses before tracing: a missing file, a command that is not node', async () => {
    const missing = await runCli(['trace', '--write', 'nope.ts', '--', process.execPath, app], { cwd: dir });
    expect([missing.code, missing.stderr]).toEqual([1, "syscage: --write: nope.ts does not exist.\nPass the program's entry (its source file) or the bundler config that builds it.\n"]);
    const cat = await runCli(['trace', '--write', 'app.mjs', '--', 'cat', 'data.txt'], { cwd: dir });
    expect([cat.code, cat.stderr]).toEqual([2, 'syscage: --write writes a sandbox() declaration for a Node program; cat is not node.\nUse the `syscage exec` line trace prints instead.\n']);
  });
});
