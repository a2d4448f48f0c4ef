/**
 * The exit-code table (src/exit-codes.ts) on every command's wrong usage: exit 2, a message on
 * stderr, nothing on stdout, nothing run. Help asked for exits 0; help shown because the command
 * line named nothing to do (no command, `help` of an unknown one) is a usage error.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe('usage errors exit 2', () => {
  it('no arguments: the usage on stderr', async () => {
    const run = await runCli([]);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^Usage: syscage \[options\] \[command\]\n/);
    expect(run.stderr).toContain('2  usage error (nothing ran)');
  });

  it.each([
    [['frobnicate'], "syscage: unknown command 'frobnicate'\n"],
    [['--frobnicate'], "syscage: unknown option '--frobnicate'\n"],
    [['exec'], "syscage: missing required argument 'command'\n(run with --help for usage)\n"],
    [['exec', '--'], "syscage: missing required argument 'command'\n(run with --help for usage)\n"],
    [['exec', '--node', '19', '--', 'true'], "syscage: option '--node <major>' argument '19' is invalid. Allowed choices are 20, 22, 24, 26.\n(run with --help for usage)\n"],
    [['exec', '--on-violation', 'log', '--', 'true'], "syscage: option '--on-violation <mode>' argument 'log' is invalid. Allowed choices are kill, errno.\n(run with --help for usage)\n"],
    [['trace'], "syscage: missing required argument 'command'\n(run with --help for usage)\n"],
    [['inspect'], "syscage: missing required argument 'bundle'\n(run with --help for usage)\n"],
    [['inspect', 'a.js', 'b.js'], "syscage: too many arguments for 'inspect'. Expected 1 argument but got 2.\n(run with --help for usage)\n"],
    [['inspect', '--nope', 'a.js'], "syscage: unknown option '--nope'\n(run with --help for usage)\n"],
    [['compile', '-o'], "syscage: option '-o, --output <file>' argument missing\n(run with --help for usage)\n"],
    [['disasm'], "syscage: missing required argument 'file'\n(run with --help for usage)\n"],
    [['disasm', '--arch', 'mips', 'x.bin'], "syscage: option '--arch <arch>' argument 'mips' is invalid. Allowed choices are x86_64, aarch64.\n(run with --help for usage)\n"],
    [['explain'], "syscage: missing required argument 'name'\n(run with --help for usage)\n"],
    [['explain', 'a', 'b'], "syscage: too many arguments for 'explain'. Expected 1 argument but got 2.\n(run with --help for usage)\n"],
  ])('%j', async (args, message) => {
    const run = await runCli(args);
    expect([run.code, run.stderr, run.stdout]).toEqual([2, message, '']);
  });

  it('help of an unknown command', async () => {
    const run = await runCli(['help', 'frobnicate']);
    expect([run.code, run.stdout]).toEqual([2, '']);
    expect(run.stderr).toMatch(/^Usage: syscage \[options\] \[command\]\n/);
  });
});

describe('help and version exit 0', () => {
  it.each([[['--help']], [['help']], [['help', 'exec']], [['exec', '--help']], [['-V']]])('%j', async (args) => {
    const run = await runCli(args);
    expect([run.code, run.stderr]).toEqual([0, '']);
  });
});
