/**
 * The scanner's locations: oxc-parser's offsets index the source string (UTF-16 units), so lines
 * and columns stay right after non-ASCII text, and every line break ECMAScript knows ends a line.
 */
import { isSyscageError } from '@syscage/core';
import { describe, expect, it } from 'vitest';
import { createScanner } from './scan.ts';

const I = "import { sandbox } from '@syscage/runtime';\n";
const failure = (code: string) => createScanner().scan(code, '/app/src/main.ts', 'src/main.ts').then(() => undefined, (e: unknown) => e);

describe('scanner locations', () => {
  it('counts columns in UTF-16 units after non-ASCII text (é is 2 bytes in UTF-8, 😀 is 4)', async () => {
    const error = await failure(`${I}const é = '😀'; sandbox(é2);`);
    expect(isSyscageError(error, 'DECLARATION_NOT_STATIC')).toBe(true);
    expect((error as Error).message).toBe('src/main.ts:2:25: `sandbox()` needs values known at build time; `é2` is not a top-level `const` of this file. Move the capabilities into a `const` in this file.');
  });

  it('counts lines after CRLF, CR and U+2028 line breaks, and non-ASCII lines', async () => {
    const error = await failure(`${I}// ünïcödé 😀\r\nconst a = 1;\rconst b = 2;\u2028sandbox(c);`);
    expect((error as Error).message).toMatch(/^src\/main\.ts:5:9: /);
  });

  it('reads a declaration whose strings hold non-ASCII text, and locates it', async () => {
    const { declarations } = await createScanner().scan(`// 😀\n${I}sandbox({ fs: { read: ['./données'] } });`, '/app/src/main.ts', 'src/main.ts');
    const at = (column: number) => ({ file: 'src/main.ts', line: 3, column });
    expect(declarations).toEqual([{ form: 'call', value: { fs: { read: ['./données'] } }, location: at(1), keys: new Map([['fs', at(11)], ['fs.read', at(17)]]) }]);
  });
});
