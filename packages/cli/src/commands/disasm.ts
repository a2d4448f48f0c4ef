/**
 * `syscage disasm FILE|BUNDLE`: readable disassembly with syscall names. A raw filter file
 * (`compile -o`) is disassembled for the architecture its own arch check names (or `--arch`); a
 * bundle built with the plugin has each embedded filter disassembled with its architecture.
 */

import { ARCHES, SUPPORTED_ARCHES, decodeProgram, disassemble, getArch, type ArchName, type SockFilter } from '@syscage/core';
import { Command } from 'commander';
import { findPayloads, looksLikeBundle, readBundle } from '../bundle.ts';
import { failure, usageError } from '../exit-codes.ts';
import { archOption } from '../native-arch.ts';
import { out, printJson } from '../output.ts';
import { readInput } from '../read-input.ts';

interface DisasmOptions {
  readonly arch?: ArchName;
  readonly stage1?: boolean;
  readonly json?: boolean;
}

interface Listing {
  readonly title: string;
  readonly arch: ArchName | undefined;
  readonly instructions: number;
  readonly text: string;
}

/** The `disasm` command. */
export function disasmCommand(): Command {
  return new Command('disasm')
    .description('disassemble a raw filter file, or every filter embedded in a bundle')
    .argument('<file>', 'raw filter bytes (compile -o) or a bundle built with @syscage/plugin')
    .addOption(archOption().default(undefined, "the filter's own arch check"))
    .option('--stage1', "also show a bundle's first-stage (io_uring) filters")
    .option('--json', 'print the listings as JSON')
    .action((file: string, options: DisasmOptions) => {
      const listings = disasmFile(file, options);
      if (options.json) return printJson(listings.map(({ title, arch, instructions, text }) => ({ title, arch, instructions, listing: text.split('\n') })));
      process.stdout.write(listings.map((l) => `${out('bold', `${l.title}: ${l.arch ?? 'unknown arch'}, ${l.instructions} instructions`)}\n${l.text}\n`).join('\n'));
    });
}

function disasmFile(file: string, options: DisasmOptions): Listing[] {
  const bytes = readInput(file);
  const bundle = looksLikeBundle(bytes.toString('latin1')) ? bytes.toString('utf8') : readBundle(file).text;
  if (looksLikeBundle(bundle)) {
    const payloads = findPayloads(bundle);
    return payloads.flatMap((payload, index) => {
      const label = payloads.length > 1 ? ` #${index + 1}` : '';
      const sets = [['filter', payload.filters] as const, ...(options.stage1 ? [['stage1 filter', payload.stage1] as const] : [])];
      return sets.flatMap(([kind, record]) =>
        Object.entries(record)
          .filter(([arch]) => options.arch === undefined || arch === options.arch)
          .map(([arch, base64]) => listing(`${file}${label} ${kind}`, Buffer.from(base64, 'base64'), knownArch(arch))),
      );
    });
  }
  if (bytes.length === 0 || bytes.length % 8 !== 0) throw failure(`${file} is neither a bundle with a syscage loader nor raw filter bytes (${bytes.length} bytes is not a whole number of 8-byte instructions).`, 'Give a file written by `syscage compile -o` or a bundle built with @syscage/plugin.');
  const program = decodeProgram(new Uint8Array(bytes));
  return [listing(file, bytes, options.arch ?? archOf(program))];
}

function listing(title: string, bytes: Uint8Array, arch: ArchName | undefined): Listing {
  const program = decodeProgram(new Uint8Array(bytes));
  return { title, arch, instructions: program.length, text: disassemble(program, arch === undefined ? undefined : getArch(arch)) };
}

function knownArch(name: string): ArchName {
  if (!(SUPPORTED_ARCHES as readonly string[]).includes(name)) throw usageError(`The bundle embeds a filter for "${name}", an architecture this syscage does not know.`, 'Update syscage.');
  return name as ArchName;
}

/** The architecture whose AUDIT_ARCH value the filter's first comparisons test. */
function archOf(program: readonly SockFilter[]): ArchName | undefined {
  const BPF_JMP_JEQ_K = 0x15;
  for (const insn of program.slice(0, 4)) {
    if (insn.code !== BPF_JMP_JEQ_K) continue;
    const found = Object.values(ARCHES).find((arch) => arch.auditArch >>> 0 === insn.k >>> 0);
    if (found) return found.name;
  }
  return undefined;
}
