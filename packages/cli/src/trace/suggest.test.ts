/** trace's suggestion as text: the sandbox() call to paste and the equivalent `syscage exec` line. */

import { describe, expect, it } from 'vitest';
import { toCapabilities } from '../declaration.ts';
import { formatExecLine, formatSandboxCall } from './suggest.ts';

describe('formatSandboxCall', () => {
  it('writes one capability group per line', () => {
    expect(formatSandboxCall({ fs: { read: ['./data'], write: true }, net: { connect: [443] }, dns: true })).toBe("sandbox({\n  fs: { read: ['./data'], write: true },\n  net: { connect: [443] },\n  dns: true,\n});");
  });

  it('writes the empty declaration on one line', () => {
    expect(formatSandboxCall({})).toBe('sandbox({});');
  });

  it('escapes quotes and backslashes in paths', () => {
    expect(formatSandboxCall({ fs: { read: ["./it's", 'C:\\x'] } })).toBe("sandbox({\n  fs: { read: ['./it\\'s', 'C:\\\\x'] },\n});");
  });
});

describe('formatExecLine', () => {
  it('grants lists with their options and the rest with --allow', () => {
    expect(formatExecLine({ fs: { read: ['./data.txt'] }, net: { connect: [8080] } }, ['node', 'app.js', '8080'])).toBe('syscage exec --read ./data.txt --connect 8080 -- node app.js 8080');
    expect(formatExecLine({ fs: { read: true, write: ['./out'] }, net: { udp: true }, tty: true, spawn: ['/usr/bin/git'] }, ['node', 'x.js'])).toBe('syscage exec --allow fs.read,net.udp,tty --write ./out --exec /usr/bin/git -- node x.js');
  });

  it('expands a group given as true', () => {
    expect(formatExecLine({ fs: true, net: true }, ['cat'])).toBe('syscage exec --allow fs.read,fs.write,net.connect,net.listen,net.udp,net.unix -- cat');
  });

  it('leaves out what is false, and --allow when nothing is granted outright', () => {
    expect(formatExecLine({ fs: { read: false }, net: { unix: false }, dns: false }, ['true'])).toBe('syscage exec -- true');
  });

  it('quotes words the shell would split or expand', () => {
    expect(formatExecLine({ fs: { read: ['./my data'] } }, ['node', "it's.js", '$HOME'])).toBe("syscage exec --read './my data' -- node 'it'\\''s.js' '$HOME'");
  });

  it('prints a line whose options give back the declaration', () => {
    const declaration = { fs: { read: ['./a', './b'], write: true }, net: { listen: [80, 443], unix: true }, dns: true, worker: true, signal: true };
    const words = formatExecLine(declaration, ['node']).split(' ').slice(2, -2);
    const options: Record<string, (string | number)[]> = {};
    for (let i = 0; i < words.length; i += 2) {
      const [flag, value] = [(words[i] as string).slice(2), words[i + 1] as string];
      options[flag] = [...(options[flag] ?? []), ...(flag === 'allow' ? value.split(',') : [flag === 'listen' ? Number(value) : value])];
    }
    expect(toCapabilities(options)).toEqual(declaration);
  });
});
