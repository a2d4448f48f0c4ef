/**
 * tty: terminal ioctls for raw mode, window size and job control, as an allowlist. TIOCSTI
 * (pushes input into the terminal) and TIOCLINUX are never on it; `ioctl`'s request is an int, so
 * the filter also kills a request with extra high bits (the CVE-2019-7303 family).
 */

import { TCFLSH, TCGETS, TCSBRK, TCSETS, TCSETSF, TCSETSW, TCXONC, TIOCGPGRP, TIOCGPTN, TIOCGWINSZ, TIOCSPGRP, TIOCSWINSZ } from './constants.ts';
import type { CatalogRule } from './types.ts';

/** Terminal requests a TTY program needs: attributes (raw mode), window size, process group, flush. */
export const TTY_IOCTLS = [TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ, TIOCGPGRP, TIOCSPGRP, TCFLSH, TCXONC, TCSBRK, TIOCGPTN] as const;

export const TTY: readonly CatalogRule[] = [
  { syscall: 'ioctl', when: [{ arg: 1, width: 32, op: 'in', values: TTY_IOCTLS }], why: 'raw mode (setRawMode), window size (columns/rows, SIGWINCH), job control' },
  { syscall: 'dup3', why: 'libuv reopens a tty it was handed' },
  { syscall: 'readlink', why: 'libuv finds the tty device of an inherited descriptor through /proc/self/fd' },
  { syscall: 'readlinkat', why: 'the same, *at form' },
];
