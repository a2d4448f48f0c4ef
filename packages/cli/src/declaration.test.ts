/** Command-line options to a declaration: names and ports parsed with exact messages, each option granting what core's table says. */

import { CAPABILITIES } from '@syscage/core';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addDeclarationOptions, parseCapabilityList, parsePorts, resolveOptions, toCapabilities, type DeclarationOptions } from './declaration.ts';
import { CliError } from './exit-codes.ts';

const parse = (args: readonly string[]): DeclarationOptions => addDeclarationOptions(new Command().exitOverride()).parse(args, { from: 'user' }).opts<DeclarationOptions>();

/** The usage error `run` throws: [exit code, message, hint]. */
function usage(run: () => unknown): [number, string, string | undefined] {
  try {
    run();
  } catch (error) {
    if (error instanceof CliError) return [error.exitCode, error.message, error.hint];
    throw error;
  }
  throw new Error('no error');
}

describe('parsePorts', () => {
  it('reads one port or a comma-separated list', () => {
    expect(parsePorts('443')).toEqual([443]);
    expect(parsePorts('80, 443')).toEqual([80, 443]);
  });

  it.each(['0', '65536', 'https', '4.5', ''])('refuses %j with what to write', (text) => {
    expect(usage(() => parsePorts(text))).toEqual([2, `"${text}" is not a TCP port.`, 'Give port numbers from 1 to 65535, e.g. --connect 443 or --connect 80,443.']);
  });
});

describe('parseCapabilityList', () => {
  it('reads names, ignoring blanks', () => {
    expect(parseCapabilityList('fs.read, net.connect,,dns')).toEqual(['fs.read', 'net.connect', 'dns']);
  });

  it('names the nearest capability and lists them all', () => {
    const all = 'fs.read, fs.write, net.connect, net.listen, net.udp, net.unix, dns, spawn, worker, tty, signal';
    expect(usage(() => parseCapabilityList('fs.raed'))).toEqual([2, '"fs.raed" is not a capability.', `Did you mean "fs.read"? Capabilities: ${all}.`]);
    expect(usage(() => parseCapabilityList('everything'))).toEqual([2, '"everything" is not a capability.', `Capabilities: ${all}.`]);
  });
});

describe('toCapabilities', () => {
  it('grants nothing but the default mode without options', () => {
    expect(toCapabilities(parse([]))).toEqual({ onViolation: 'kill' });
  });

  it('scopes a capability to its option list; --allow of the same name changes nothing', () => {
    expect(toCapabilities(parse(['--read', './data', '--read', './etc', '--connect', '80,443', '--allow', 'fs.read,dns']))).toEqual({ fs: { read: ['./data', './etc'] }, net: { connect: [80, 443] }, dns: true, onViolation: 'kill' });
  });

  it('grants every table capability outright with --allow, in table order', () => {
    const declaration = toCapabilities(parse(['--allow', 'signal,tty,worker,spawn,dns,net.unix,net.udp,net.listen,net.connect,fs.write,fs.read', '--on-violation', 'errno', '--best-effort']));
    expect(JSON.stringify(declaration)).toBe('{"fs":{"read":true,"write":true},"net":{"connect":true,"listen":true,"udp":true,"unix":true},"dns":true,"spawn":true,"worker":true,"tty":true,"signal":true,"onViolation":"errno","landlock":"best-effort"}');
  });

  it('has one list option per scoped capability of the table', () => {
    const options = parse(['--read', 'r', '--write', 'w', '--connect', '1', '--listen', '2', '--exec', '/bin/x']);
    expect(CAPABILITIES.filter((c) => c.option !== undefined).map((c) => [c.name, options[c.option as keyof DeclarationOptions]])).toEqual([
      ['fs.read', ['r']],
      ['fs.write', ['w']],
      ['net.connect', [1]],
      ['net.listen', [2]],
      ['spawn', ['/bin/x']],
    ]);
  });
});

describe('resolveOptions', () => {
  it("returns the declaration and core's resolution of it", () => {
    const { declaration, resolved } = resolveOptions({ exec: ['/usr/bin/git'], onViolation: 'errno' });
    expect(declaration).toEqual({ spawn: ['/usr/bin/git'], onViolation: 'errno' });
    expect([...resolved.grants]).toEqual(['spawn']);
    expect(resolved.scopes).toEqual({ spawn: ['/usr/bin/git'] });
  });

  it("turns core's refusal into a usage error with its hint", () => {
    expect(usage(() => resolveOptions({ read: [''] }))).toEqual([2, '`fs.read` lists "", which is not a path.', 'List non-empty path strings, relative or absolute.']);
  });
});
