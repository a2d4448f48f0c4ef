#!/usr/bin/env node
/**
 * Generates `packages/core/src/arch/tables/<arch>.gen.ts`, one syscall table per architecture, from
 * the kernel's uapi headers as Debian installs them, and from the same headers the runtime's few
 * numbers (`packages/runtime/src/syscalls.gen.ts`: the syscalls its loader makes itself). The C preprocessor reads the headers, so
 * asm-generic's `__ARCH_WANT_*` switches and `__NR3264_*` indirections resolve exactly as the
 * kernel means them; this script only collects the resulting `__NR_*` integers and prints them.
 * It does not guess or hand-list numbers, and it never edits anything but the generated files.
 *
 *   node scripts/gen-syscall-tables.mjs          write the tables (`pnpm gen:syscalls`)
 *   node scripts/gen-syscall-tables.mjs --check  exit 1 if a committed table differs (`pnpm check:syscalls`)
 *
 * Exit codes: 0 done or up to date, 1 a table differs (or the headers hold something unexpected),
 * 2 headers or preprocessor missing (the message names the Debian package to install).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TABLES_DIR = 'packages/core/src/arch/tables';
/** The runtime's own few numbers (packages/runtime/src/arch.ts): a built program's loader must not load core's tables. */
const LOADER_FILE = 'packages/runtime/src/syscalls.gen.ts';
/** The syscalls the runtime's loader makes itself, through ffi-rs's `syscall()`. */
const LOADER_SYSCALLS = ['capset', 'execve', 'fcntl', 'ioctl', 'landlock_create_ruleset', 'seccomp'];
const SCRIPT = 'scripts/gen-syscall-tables.mjs';

/** Where each architecture's headers live. Adding an architecture adds one entry here. */
const ARCHES = [
  {
    name: 'x86_64',
    debianPackage: 'linux-libc-dev',
    includeDir: '/usr/include/x86_64-linux-gnu',
    header: 'asm/unistd_64.h',
    versionHeader: '/usr/include/linux/version.h',
  },
  {
    name: 'aarch64',
    debianPackage: 'linux-libc-dev-arm64-cross',
    includeDir: '/usr/aarch64-linux-gnu/include',
    header: 'asm/unistd.h',
    versionHeader: '/usr/aarch64-linux-gnu/include/linux/version.h',
  },
];

/**
 * `__NR_*` macros that are not syscalls: `__NR_syscalls` is the size of asm-generic's table and
 * `__NR_arch_specific_syscall` the first number of a range reserved for architectures. Neither
 * the kernel's syscall tables nor libseccomp list them.
 */
const NOT_SYSCALLS = new Set(['syscalls', 'arch_specific_syscall']);

/** An error that ends the script with `exitCode` and a one-line message, without a stack. */
class ExitError extends Error {
  constructor(exitCode, message) {
    super(message);
    this.exitCode = exitCode;
  }
}

function main(argv) {
  const check = argv.includes('--check');
  requireHeaders();
  const outputs = [];
  const headers = [];
  for (const arch of ARCHES) {
    const table = readSyscalls(arch);
    const version = readLinuxVersion(arch);
    outputs.push({ file: `${TABLES_DIR}/${arch.name}.gen.ts`, text: renderTable(arch, table, version) });
    headers.push({ arch, table, version });
  }
  outputs.push({ file: LOADER_FILE, text: renderLoaderTable(headers) });
  let stale = 0;
  for (const { file, text } of outputs) {
    const target = path.join(ROOT, file);
    const committed = existsSync(target) ? readFileSync(target, 'utf8') : undefined;
    if (check) {
      if (committed !== text) {
        stale += 1;
        const what = committed === undefined ? 'is missing' : 'differs from the installed uapi headers';
        console.error(`${file} ${what}: run \`pnpm gen:syscalls\` and commit the result.`);
      }
    } else if (committed !== text) {
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
      console.log(`wrote ${file}`);
    } else {
      console.log(`${file} is up to date`);
    }
  }
  return stale === 0 ? 0 : 1;
}

/** Fails with exit code 2, naming every missing header and its Debian package at once. */
function requireHeaders() {
  const missing = ARCHES.flatMap((arch) =>
    [path.join(arch.includeDir, arch.header), arch.versionHeader]
      .filter((file) => !existsSync(file))
      .map((file) => ({ file, debianPackage: arch.debianPackage })),
  );
  if (missing.length > 0) {
    const files = missing.map(({ file }) => file).join(', ');
    const packages = [...new Set(missing.map(({ debianPackage }) => debianPackage))].join(' ');
    throw new ExitError(2, `Missing uapi headers (${files}): install them with \`apt-get install ${packages}\`.`);
  }
}

/** Runs the C preprocessor over `input` with only the architecture's headers on the include path. */
function preprocess(arch, flags, input) {
  try {
    return execFileSync('gcc', ['-E', ...flags, '-undef', '-nostdinc', '-I', arch.includeDir, '-x', 'c', '-'], {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  } catch (error) {
    if (error.code === 'ENOENT') {
      throw new ExitError(2, 'gcc not found: install it with `apt-get install gcc` (only its preprocessor is used).');
    }
    throw new ExitError(1, `gcc failed on ${arch.header}: ${String(error.stderr ?? error.message).trim()}`);
  }
}

/** Returns `[name, number]` pairs for every syscall the architecture's header defines, by number. */
function readSyscalls(arch) {
  const include = `#include <${arch.header}>\n`;
  const names = [...preprocess(arch, ['-dM'], include).matchAll(/^#define __NR_(\w+)\s/gm)]
    .map((match) => match[1])
    .filter((name) => !NOT_SYSCALLS.has(name));
  // Second pass: let the preprocessor expand each macro (e.g. `__NR_fstat` → `__NR3264_fstat` → 80).
  const probes = names.map((name) => `syscage_nr ${name} __NR_${name}`).join('\n');
  const expanded = preprocess(arch, ['-P'], `${include}${probes}\n`);
  const table = [...expanded.matchAll(/^syscage_nr (\w+) (.+)$/gm)].map(([, name, value]) => {
    const literal = value.trim().replace(/^\((.*)\)$/, '$1').trim();
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(literal)) {
      throw new ExitError(1, `__NR_${name} in ${arch.header} expands to \`${value.trim()}\`, not an integer.`);
    }
    return [name, Number(literal)];
  });
  if (table.length !== names.length) {
    throw new ExitError(1, `Expanded ${table.length} of ${names.length} __NR_* macros from ${arch.header}.`);
  }
  return table.sort(([nameA, a], [nameB, b]) => a - b || (nameA < nameB ? -1 : 1));
}

/** `MAJOR.MINOR` only: Debian's patch level differs between machines, the table must not. */
function readLinuxVersion(arch) {
  const match = /^#define LINUX_VERSION_CODE (\d+)$/m.exec(readFileSync(arch.versionHeader, 'utf8'));
  if (!match) throw new ExitError(1, `No LINUX_VERSION_CODE in ${arch.versionHeader}.`);
  const code = Number(match[1]);
  return `${code >> 16}.${(code >> 8) & 0xff}`;
}

function renderTable(arch, table, version) {
  const source = `Debian ${arch.debianPackage}, Linux ${version} uapi headers, <${arch.header}>`;
  const key = (name) => (/^[A-Za-z_$][\w$]*$/.test(name) ? name : `'${name}'`);
  return [
    `// Generated by ${SCRIPT} from Debian's ${arch.debianPackage} (Linux ${version} uapi headers,`,
    `// <${arch.header}>). Do not edit: regenerate with \`pnpm gen:syscalls\`; CI runs \`pnpm check:syscalls\`.`,
    '',
    "import type { SyscallTable } from '../types.ts';",
    '',
    `/** Every ${arch.name} syscall the uapi headers define: name → number, ordered by number. */`,
    'export const syscalls = {',
    ...table.map(([name, nr]) => `  ${key(name)}: ${nr},`),
    '} as const satisfies SyscallTable;',
    '',
    '/** Where {@link syscalls} came from. */',
    `export const source = '${source}';`,
    '',
  ].join('\n');
}

/** The loader's syscalls, per architecture, from the same headers as the tables. */
function renderLoaderTable(headers) {
  const sources = headers.map(({ arch, version }) => `//   ${arch.name}: Debian's ${arch.debianPackage} (Linux ${version} uapi headers, <${arch.header}>)`);
  const rows = headers.map(({ arch, table }) => {
    const numbers = new Map(table);
    const fields = LOADER_SYSCALLS.map((name) => {
      if (!numbers.has(name)) throw new ExitError(1, `${arch.header} defines no __NR_${name}, which the runtime's loader calls.`);
      return `${name}: ${numbers.get(name)}`;
    });
    return `  ${arch.name}: { ${fields.join(', ')} },`;
  });
  return [
    `// Generated by ${SCRIPT} from the headers of core's tables:`,
    ...sources,
    '// Do not edit: regenerate with `pnpm gen:syscalls`; CI runs `pnpm check:syscalls`.',
    '',
    "/** The syscalls the runtime's loader makes itself, per architecture: name → number. */",
    'export const LOADER_SYSCALLS = {',
    ...rows,
    '} as const;',
    '',
  ].join('\n');
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof ExitError)) throw error;
  console.error(`${SCRIPT}: ${error.message}`);
  process.exitCode = error.exitCode;
}
