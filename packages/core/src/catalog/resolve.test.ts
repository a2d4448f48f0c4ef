import { describe, expect, it } from 'vitest';
import { resolveCapabilities } from './resolve.ts';

describe('resolveCapabilities', () => {
  it('resolves the object form, lists and booleans', () => {
    const r = resolveCapabilities({ fs: { read: ['./data', '/etc/ssl'], write: ['./out'] }, net: { connect: [443], listen: [8080], udp: false }, dns: true, spawn: ['/usr/bin/git'], onViolation: 'errno' });
    expect([...r.grants].sort()).toEqual(['dns', 'fs.read', 'fs.write', 'net.connect', 'net.listen', 'spawn']);
    expect(r.scopes).toEqual({ 'fs.read': ['./data', '/etc/ssl'], 'fs.write': ['./out'], 'net.connect': [443], 'net.listen': [8080], spawn: ['/usr/bin/git'] });
    expect(r.onViolation).toBe('errno');
  });

  it('expands a group given as true', () => {
    expect([...resolveCapabilities({ net: true }).grants].sort()).toEqual(['net.connect', 'net.listen', 'net.udp', 'net.unix']);
    expect(resolveCapabilities({ fs: true }).scopes).toEqual({ 'fs.read': 'any', 'fs.write': 'any' });
    expect(resolveCapabilities({}).grants.size).toBe(0);
    expect(resolveCapabilities({}).onViolation).toBe('kill');
  });

  it("reads lateStart: 'warn' unless declared 'error'", () => {
    expect(resolveCapabilities({}).lateStart).toBe('warn');
    expect(resolveCapabilities({ lateStart: 'error' })).toMatchObject({ lateStart: 'error', grants: new Set() });
  });

  it('accepts fs.read: [] (metadata and existence checks anywhere, no readable path beyond the implicit set)', () => {
    const r = resolveCapabilities({ fs: { read: [] } });
    expect([...r.grants]).toEqual(['fs.read']);
    expect(r.scopes).toEqual({ 'fs.read': [] });
  });

  it.each([
    [{ nett: true }, 'UNKNOWN_CAPABILITY', '`nett` is not a capability. Did you mean `net`?'],
    [{ fs: { reed: true } }, 'UNKNOWN_CAPABILITY', '`fs.reed` is not a capability. Did you mean `fs.read`?'],
    [{ network: true }, 'UNKNOWN_CAPABILITY', '`network` is not a capability. Valid keys: fs, net, dns, spawn, worker, tty, signal, onViolation, unsupported, landlock, lateStart.'],
    [{ dns: 'yes' }, 'INVALID_CAPABILITY', '`dns` takes true or false; got "yes". Write `dns: true` to allow it.'],
    [{ net: { connect: 'https' } }, 'INVALID_CAPABILITY', '`net.connect` takes true, false or a list of ports; got "https". Write `net.connect: [443]` or `net.connect: true`.'],
    [{ net: { connect: [0] } }, 'INVALID_CAPABILITY', '`net.connect` lists 0, which is not a TCP port. List port numbers from 1 to 65535.'],
    [{ fs: { write: [] } }, 'INVALID_CAPABILITY', '`fs.write: []` grants nothing. Write `fs.write: false` (or leave it out) to deny it.'],
    [{ net: { connect: [] } }, 'INVALID_CAPABILITY', '`net.connect: []` grants nothing. Write `net.connect: false` (or leave it out) to deny it.'],
    [{ fs: { read: [''] } }, 'INVALID_CAPABILITY', '`fs.read` lists "", which is not a path. List non-empty path strings, relative or absolute.'],
    [{ fs: 'read' }, 'INVALID_CAPABILITY', '`fs` takes true, false or an object with `read`, `write`; got "read". Write `fs: true` or `fs: { read: true }`.'],
    [{ onViolation: 'abort' }, 'INVALID_CAPABILITY', "`onViolation` is 'kill' or 'errno'; got \"abort\". Write `onViolation: 'kill'` (SIGSYS, the default) or `onViolation: 'errno'` (EPERM errors)."],
    [{ lateStart: 'ignore' }, 'INVALID_CAPABILITY', "`lateStart` is 'warn' or 'error'; got \"ignore\". Write `lateStart: 'error'` to stop an unbuilt program whose sandbox() runs after its own modules; leave it out to warn."],
    [['fs'], 'INVALID_CAPABILITY', 'A sandbox declaration is an object of capabilities, not a list. Write for example `{ fs: { read: true } }`; `{}` allows only the Node runtime itself.'],
  ])('refuses %j', (declaration, code, message) => {
    expect(() => resolveCapabilities(declaration)).toThrowError(message);
    expect(() => resolveCapabilities(declaration)).toThrowError(expect.objectContaining({ code }));
  });

  it('puts the location in front of the message when it has one', () => {
    expect(() => resolveCapabilities({ tyy: true }, { file: 'src/cli.ts', line: 3, column: 9 })).toThrowError('src/cli.ts:3:9: `tyy` is not a capability. Did you mean `tty`?');
  });
});
