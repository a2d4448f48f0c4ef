/**
 * The filter check's preload: `node --import <this file> workload.mjs` (see ../check.mjs). It
 * sandboxes the process with the declaration in SYSCAGE_CHECK_CAPS (JSON) through the public
 * `sandbox()` of `@syscage/runtime` as built in packages/runtime/dist. Without SYSCAGE_CHECK_CAPS
 * it does nothing, which is how the reference (unsandboxed) runs use it.
 *
 * Where it installs (SYSCAGE_CHECK_AT):
 * - `marker` (default): inside the workload's first statement, `fs.accessSync(MARKER_PATH)`,
 *   right after that call's `access` syscall and before it returns (or throws its ENOENT) to the
 *   workload. `fs.accessSync` is wrapped here, and the wrapper removes itself on that call, so
 *   the workload never sees a changed `node:fs`. This is exactly where the measurement starts
 *   counting (everything after the marker call), and where `sandbox()` runs in a real program:
 *   the entry's first statement, after its static imports are loaded. (The marker's own `access`
 *   is a probe of the measurement, not something a program does, and needs fs.read.)
 * - `import`: here, while the preload itself is evaluated, before Node has even resolved the
 *   entry module. Stricter than any real program: Node's own loading of the entry then runs under
 *   the filter (it stats the entry path, which needs fs.read).
 * The runtime's modules (and the compiler) are loaded here in both cases, before any filter.
 *
 * On Node ≥ 22 `sandbox()` re-executes the process once (io_uring); the re-executed process gets
 * the same execArgv, so this file runs again there, wraps the marker again, and the second
 * `sandbox()` installs the real filter. Once applied, the variables are removed from the
 * environment: a `fork()`ed child inherits `--import <this file>` through execArgv but runs under
 * the inherited filter only, as it would in a real program.
 *
 * SYSCAGE_CHECK_TRAP=1 selects the diagnosis mode that names a stopped syscall: the very same
 * policy (`buildPolicy` for this Node major, as sandbox() builds it) with SECCOMP_RET_TRAP as the
 * default action instead of KILL_PROCESS, so the SIGSYS carries `si_syscall` and a tracer sees it.
 * It re-executes without io_uring the way the runtime does (first-stage filter, `process.execve`),
 * because sandbox() has no trap mode. SYSCAGE_CHECK_ALLOW (comma-separated syscall names, trap mode
 * only) allows those in addition, unconditionally, so the diagnosis can look past a stopped call
 * for the next one.
 *
 * It lives beside the workloads, and imports nothing outside them but the runtime (and core, in
 * trap mode), because the runtime's Landlock domain lets the restarted process read only the
 * program's own directory and syscage's packages: Node loads this `--import` again there.
 *
 * check.mjs never imports this file: no filter is ever installed in the checking process.
 */

/** workloads.mjs's MARKER_PATH, restated: that module is outside what the restarted process may read (check.test.mjs compares them). */
export const MARKER_PATH = '/__syscage_marker__';

const CAPS_ENV = 'SYSCAGE_CHECK_CAPS';
const TRAP_ENV = 'SYSCAGE_CHECK_TRAP';
const AT_ENV = 'SYSCAGE_CHECK_AT';
const REEXEC_ENV = 'SYSCAGE_CHECK_REEXECUTED';
const ALLOW_ENV = 'SYSCAGE_CHECK_ALLOW';
/** Exit code when the sandbox was never applied (the marker was not reached, or sandbox() did nothing). */
export const NOT_APPLIED_EXIT = 97;

const json = process.env[CAPS_ENV];
if (json !== undefined) {
  const caps = JSON.parse(json);
  const trap = process.env[TRAP_ENV] === '1';
  const at = process.env[AT_ENV] ?? 'marker';
  if (at !== 'marker' && at !== 'import') throw new Error(`syscage check: ${AT_ENV} is 'marker' or 'import', not '${at}'`);
  const runtime = await import(new URL('../../../packages/runtime/dist/index.js', import.meta.url).href);
  const core = trap ? await import(new URL('../../../packages/core/dist/index.js', import.meta.url).href) : undefined;

  const notApplied = () => {
    process.stderr.write(`syscage check: the sandbox was not applied (no ${MARKER_PATH} access seen)\n`);
    process.exitCode = NOT_APPLIED_EXIT;
  };
  const apply = () => {
    process.off('exit', notApplied);
    if (core !== undefined) applyTrap(core, runtime.installFilter, caps);
    else {
      runtime.sandbox(caps);
      if (!runtime.status().applied) {
        process.stderr.write('syscage check: sandbox() returned without applying a filter\n');
        process.exit(NOT_APPLIED_EXIT);
      }
    }
    delete process.env[CAPS_ENV];
    delete process.env[TRAP_ENV];
    delete process.env[AT_ENV];
  };

  if (at === 'import') apply();
  else {
    process.on('exit', notApplied);
    const fs = process.getBuiltinModule('node:fs');
    const { syncBuiltinESMExports } = process.getBuiltinModule('node:module');
    const original = fs.accessSync;
    fs.accessSync = function accessSync(path, ...rest) {
      if (path !== MARKER_PATH) return Reflect.apply(original, this, [path, ...rest]);
      fs.accessSync = original;
      syncBuiltinESMExports();
      try {
        return Reflect.apply(original, this, [path, ...rest]);
      } finally {
        apply();
      }
    };
    syncBuiltinESMExports();
  }
}

/**
 * The diagnosis mode: the policy sandbox(caps) would install, with TRAP as its default action.
 *
 * @param {typeof import('@syscage/core')} core
 * @param {(bytes: Uint8Array, options: { tsync: boolean, arch?: string }) => unknown} installFilter
 * @param {unknown} caps
 */
function applyTrap(core, installFilter, caps) {
  const fs = process.getBuiltinModule('node:fs');
  const arch = core.archFromNodeArch(process.arch);
  if (arch === undefined) throw new Error(`syscage check: no filter for ${process.arch}`);
  const rings = fs.readdirSync('/proc/self/fd').filter((fd) => {
    try { return fs.readlinkSync(`/proc/self/fd/${fd}`) === 'anon_inode:[io_uring]'; } catch { return false; }
  });
  const reexecuted = process.env[REEXEC_ENV] === '1';
  delete process.env[REEXEC_ENV];
  if (rings.length > 0) {
    if (reexecuted) throw new Error(`syscage check: io_uring descriptors ${rings.join(', ')} survived the re-execution`);
    installFilter(core.compilePolicy(core.buildStage1Policy(), arch).bytes, { tsync: true, arch });
    const execve = /** @type {any} */ (process).execve;
    execve.call(process, process.execPath, [process.argv0, ...process.execArgv, ...process.argv.slice(1)], { ...process.env, [REEXEC_ENV]: '1' });
  }
  const major = Number(process.versions.node.split('.')[0]);
  const policy = core.buildPolicy(core.resolveCapabilities(caps), /** @type {readonly number[]} */ (core.NODE_MAJORS).includes(major) ? { node: /** @type {any} */ (major) } : {});
  const extra = (process.env[ALLOW_ENV] ?? '').split(',').filter((name) => name !== '');
  delete process.env[ALLOW_ENV];
  const trapping = core.createPolicy({ defaultAction: core.TRAP(0), rules: [...policy.rules, ...extra.map((syscall) => ({ syscall, action: core.ALLOW }))] });
  installFilter(core.bindSelfPid(core.compilePolicy(trapping, arch).bytes, process.pid), { tsync: true, arch });
}
