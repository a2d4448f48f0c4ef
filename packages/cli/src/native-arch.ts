/**
 * The architecture `syscage` runs on, as the kernel spells it, and the `--arch` / `--node`
 * options shared by the commands that compile.
 */

import { archFromNodeArch, NODE_MAJORS, SUPPORTED_ARCHES, type ArchName, type NodeMajor } from '@syscage/core';
import { Option } from 'commander';
import { failure } from './exit-codes.ts';

/** This machine's architecture; a failure on one syscage has no table for. */
export function nativeArch(): ArchName {
  const arch = archFromNodeArch(process.arch);
  if (arch === undefined) throw failure(`syscage has no syscall table for ${process.arch}.`, `Supported: ${SUPPORTED_ARCHES.join(', ')}; pass --arch to compile for one of them.`);
  return arch;
}

/** `--arch x86_64|aarch64`. */
export const archOption = (): Option => new Option('--arch <arch>', 'target architecture (default: this machine\'s)').choices([...SUPPORTED_ARCHES]);

/** `--node 20|22|24|26` (the measured majors). */
export const nodeOption = (what: string): Option => new Option('--node <major>', what).choices(NODE_MAJORS.map(String));

/** The `--node` value as a major, if given. */
export function nodeMajor(value: string | undefined): NodeMajor | undefined {
  return value === undefined ? undefined : (Number(value) as NodeMajor);
}
