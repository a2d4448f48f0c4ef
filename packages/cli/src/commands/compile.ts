/**
 * `syscage compile`: a declaration given as options → core's policy → the raw filter bytes
 * (`struct sock_filter[]`, little-endian), or with `--json` the resolved policy and its Landlock
 * plan. The same pipeline the plugin runs at build time (core's `prepareDeclaration`); no kernel involved.
 */

import { writeFileSync } from 'node:fs';
import { describeAction, prepareDeclaration, type ArchName } from '@syscage/core';
import { Command } from 'commander';
import { addDeclarationOptions, resolveOptions, type DeclarationOptions } from '../declaration.ts';
import { policyRules } from '../describe.ts';
import { usageError } from '../exit-codes.ts';
import { archOption, nativeArch, nodeMajor, nodeOption } from '../native-arch.ts';
import { printJson } from '../output.ts';
import { sha256 } from '../sha256.ts';

interface CompileOptions extends DeclarationOptions {
  readonly output?: string;
  readonly arch?: ArchName;
  readonly node?: string;
  readonly json?: boolean;
}

/** The `compile` command. */
export function compileCommand(): Command {
  const command = new Command('compile')
    .description('compile a declaration into seccomp filter bytes (or print its policy with --json)')
    .option('-o, --output <file>', 'where to write the raw filter bytes ("-" for stdout)')
    .addOption(archOption())
    .addOption(nodeOption('Node major the program runs on (default: the union baseline of 20, 22, 24 and 26, as the plugin builds)'))
    .option('--json', 'print the resolved policy (rules with conditions) and Landlock plan instead of bytes');
  addDeclarationOptions(command)
    .addHelpText('after', '\nExamples:\n  syscage compile --allow fs.read,net.connect --connect 443 -o filter.bin\n  syscage compile --read ./data --json')
    .action((options: CompileOptions) => runCompile(options));
  return command;
}

function runCompile(options: CompileOptions): void {
  if (options.output === undefined && !options.json) throw usageError('compile needs -o FILE for the filter bytes, or --json for the policy.', 'e.g. syscage compile --allow fs.read -o filter.bin');
  const { declaration } = resolveOptions(options);
  const arch = options.arch ?? nativeArch();
  const node = nodeMajor(options.node);
  const prepared = prepareDeclaration(declaration, { node });
  const { resolved, policy } = prepared;
  const { bytes } = prepared.filter(arch);
  const digest = sha256(bytes);
  if (options.output !== undefined) writeBytes(options.output, arch, bytes, digest);
  if (options.json) {
    printJson({
      declaration,
      grants: [...resolved.grants].sort(),
      scopes: resolved.scopes,
      onViolation: resolved.onViolation,
      arch,
      node: node ?? 'any',
      instructions: bytes.length / 8,
      sha256: digest,
      defaultAction: describeAction(policy.defaultAction),
      rules: policyRules(policy, arch),
      landlock: prepared.landlock,
    });
  }
}

function writeBytes(output: string, arch: ArchName, bytes: Uint8Array, sha256: string): void {
  if (output === '-') process.stdout.write(bytes);
  else writeFileSync(output, bytes);
  process.stderr.write(`syscage: ${arch} filter, ${bytes.length / 8} instructions (${bytes.length} bytes, sha256 ${sha256.slice(0, 16)}…) → ${output === '-' ? 'stdout' : output}\n`);
}
