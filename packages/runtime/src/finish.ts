/**
 * The last step of applying a sandbox, the same in a first image (apply.ts) and a restarted one
 * (restarted.ts): binds the self-pid, installs the final filter on every thread (TSYNC), adds the
 * violation hints and records the state. Nothing here decides whether to restart.
 */

import { bindSelfPid } from '@syscage/core/self-pid';
import type { LoaderArchName } from './arch.ts';
import { loaderError } from './errors.ts';
import type { PreparedSandbox } from './prepared.ts';
import { installFilter } from './seccomp.ts';
import { box, type LandlockStatus } from './state.ts';
import { softDenialHint, violationHint } from './violation.ts';

/** Installs `prepared`'s filter and records the sandbox as applied; `reexecuted`: this image is the restarted one. */
export function finishSandbox(prepared: PreparedSandbox, arch: LoaderArchName, landlock: LandlockStatus | undefined, reexecuted: boolean): void {
  const filter = prepared.filter(arch);
  if (filter === undefined) throw loaderError({ code: 'UNSUPPORTED_ARCH', message: `This build has no filter for ${arch}.`, hint: `Rebuild with ${arch} among the plugin's arches.` });
  installFilter(bindSelfPid(filter, process.pid), { tsync: true, arch });
  // An EPERM is the sandbox's only in errno mode; the EACCES of a soft denial in either mode.
  const errno = prepared.onViolation === 'errno';
  process.on('uncaughtExceptionMonitor', (error) => {
    const hint = (errno ? violationHint(error) : undefined) ?? softDenialHint(error);
    if (hint) process.stderr.write(`${hint}\n`);
  });
  box().current = { grants: [...prepared.grants], onViolation: prepared.onViolation, arch, reexecuted, landlock, layers: 1 };
}
