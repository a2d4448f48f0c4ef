/**
 * Types of `harness.mjs` for the TypeScript test (the harness is plain JavaScript so that node
 * runs it directly: `matrix.mjs`, and the children's `run-op.mjs` share its modules).
 */

export type Capability = 'fs.read' | 'fs.write' | 'net.connect' | 'net.listen' | 'net.udp' | 'net.unix' | 'dns' | 'spawn' | 'worker' | 'tty' | 'signal';

export interface Operation {
  readonly name: string;
  readonly needs: Capability[];
  readonly minNode?: number;
  /** Exported functions it calls (`fs.readv`, `FileHandle.readv`): see coverage.mjs. */
  readonly covers?: readonly string[];
  readonly tty?: boolean;
  readonly inseparable?: Partial<Record<Capability, string>>;
  readonly deniedAs?: { codes: string[]; why: string };
  readonly deniedAlways?: string;
  /** Needed capabilities whose list form does not grant it (core grants them with `true` only). */
  readonly unscoped?: Partial<Record<Capability, string>>;
}

export type VerdictKind = 'ok' | 'skip' | 'swallowed' | 'translated' | 'false-kill' | 'blocked' | 'changed' | 'unclean-exit' | 'escape' | 'not-stopped' | 'wrong-signal' | 'wrong-error' | 'died' | 'killed-in-errno' | 'early-kill' | 'not-applied' | 'landlock';

export interface Verdict {
  readonly status: 'pass' | 'fail' | 'skip';
  readonly kind: VerdictKind;
  readonly detail: string;
}

export interface OpVerdicts {
  readonly name: string;
  readonly needs: Capability[];
  readonly allowed: Verdict;
  /** Allowed with path and port lists instead of `true`; undefined when no need takes a list. */
  readonly scoped: Verdict | undefined;
  readonly deniedKill: Partial<Record<Capability, Verdict>>;
  readonly deniedErrno: Partial<Record<Capability, Verdict>>;
  /** Informational: errno mode with every capability declared but the missing one. */
  readonly complement: Partial<Record<Capability, Verdict>>;
}

/** Capabilities the scoped case declares as lists, and their (placeholder) lists. */
export declare const SCOPED_LISTS: Readonly<Partial<Record<Capability, readonly string[]>>>;

export interface NodeBinary {
  readonly major: number;
  readonly version: string;
  readonly path: string;
}

export interface VersionResult {
  readonly node: NodeBinary;
  readonly ops: OpVerdicts[];
  readonly children: number;
  readonly ms: number;
}

export interface VersionCounts {
  node: string;
  ops: number;
  skipped: number;
  allowedOk: number;
  falseKills: number;
  allowedOther: number;
  killOk: number;
  killCases: number;
  errnoOk: number;
  errnoCases: number;
  escapes: number;
  complementEscapes: number;
  children: number;
  ms: number;
}

export interface MatrixOptions {
  readonly nodes: readonly NodeBinary[];
  readonly filter?: (op: Operation) => boolean;
  readonly concurrency?: number;
  readonly opTimeoutMs?: number;
  readonly diagnose?: boolean;
  readonly log?: (line: string) => void;
}

/** `scripts/baseline/install-node.mjs`'s installer, re-exported with its type. */
export declare function installNode(options?: { majors?: readonly number[]; cacheDir?: string; log?: (line: string) => void }): Promise<NodeBinary[]>;
export declare function runMatrix(options: MatrixOptions): Promise<{ versions: VersionResult[]; ms: number }>;
export declare function countVersion(version: VersionResult): VersionCounts;
export declare function formatSummary(versions: readonly VersionResult[]): string;
export declare function listFindings(versions: readonly VersionResult[], options?: { complement?: boolean; skips?: boolean }): string[];
export declare const operations: readonly Operation[];

/** Whether the scoped case runs the operation: a need takes a list, and the list grants it. */
export declare function runsScoped(op: Operation): boolean;
