/**
 * @syscage/core: syscall tables, the policy model, and the classic-BPF compiler, simulator,
 * disassembler and cache analyzer. Pure TypeScript with no I/O, usable at build time and at run
 * time. Explicit named exports only: this list is the package's public surface.
 */

export { ERROR_CODES, SyscageError, isSyscageError } from './errors.ts';
export type { ErrorCode, SourceLocation, SyscageErrorInit } from './errors.ts';
export { suggestName } from './suggest.ts';

export { ARCHES, SUPPORTED_ARCHES, archFromNodeArch, getArch, isKnownSyscall, syscallName, syscallNumber } from './arch/index.ts';
export type { ArchDescriptor, ArchName, SyscallTable } from './arch/index.ts';

export { ALLOW, ENOSYS, EPERM, ERRNO, KILL_PROCESS, LOG, TRAP, describeAction, describeReturn, encodeAction } from './policy/action.ts';
export type { Action } from './policy/action.ts';
export { createPolicy } from './policy/create-policy.ts';
export { checkCondition, evaluatePolicy } from './policy/evaluate.ts';
export { describeCondition } from './policy/describe.ts';
export type { SeccompData } from './policy/evaluate.ts';
export type { ArgWidth, Condition, ConditionOp, ConditionSpec, Numeric, Policy, PolicySpec, Rule, RuleSpec } from './policy/types.ts';

export { CAPABILITIES, CAPABILITY_NAMES, LANDLOCK_MODES, LATE_START_MODES, UNSUPPORTED_MODES, VIOLATION_MODES } from './dsl/capabilities.ts';
export type { Capabilities, CapabilityInfo, CapabilityName, CapabilityShape, CapabilitySpec, LandlockMode, LateStartMode, PathGrant, PortGrant, ScopedCapability, UnsupportedMode, ViolationMode } from './dsl/capabilities.ts';
export { resolveCapabilities } from './catalog/resolve.ts';
export type { DeclarationPlace, ResolvedCapabilities } from './catalog/resolve.ts';
export { CAPABILITY_RULES, UNSCOPED_ONLY_RULES, assemblePolicy, buildPolicy, buildStage1Policy, mergeRules, violationAction } from './catalog/build-policy.ts';
export type { BuildPolicyOptions, PolicyParts } from './catalog/build-policy.ts';
export { NODE_MAJORS, nodeBaseline } from './catalog/baseline.ts';
export type { NodeMajor } from './catalog/baseline.ts';
export { ALWAYS_DENIED, ENOSYS_SYSCALLS, SOFT_DENIALS } from './catalog/deny.ts';
export type { SoftDenial } from './catalog/deny.ts';
export type { CatalogRule } from './catalog/types.ts';

export { ABI_KERNELS, FILE_RIGHTS, FS_RIGHTS, NET_RIGHTS, SCOPE_RIGHTS, TSYNC_ABI, rightAbi, rightsMask } from './landlock/rights.ts';
export type { FsRight, LandlockRight, NetRight, ScopeRight } from './landlock/rights.ts';
export { isEmptyPlan, mergePaths, planLandlock, requiredAbi } from './landlock/plan.ts';
export { dirsAbove, expandPlaceholder, fillPlaceholders, placeholderName } from './landlock/placeholders.ts';
export type { LandlockPlaceholders, PlaceholderFacts } from './landlock/placeholders.ts';
export type { LandlockPathRule, LandlockPlan, LandlockPortRule, LandlockRequirement, PlanLandlockOptions } from './landlock/plan.ts';
export { DNS_PATHS, EXEC_START_PATHS, NODE_IMPLICIT_PATHS, PROGRAM_DIRS } from './landlock/implicit.ts';
export type { ImplicitPath } from './landlock/implicit.ts';

export type { ArchManifest, Manifest } from './manifest.ts';

export { compilePolicy } from './bpf/compile.ts';
export type { CompileOptions, CompiledFilter, Layout } from './bpf/compile.ts';
export { findProgramError, simulate, validateProgram } from './bpf/simulate.ts';
export type { SimulationResult } from './bpf/simulate.ts';
export { disassemble } from './bpf/disasm.ts';
export { analyzeCache, isConstAllow } from './bpf/cache.ts';
export type { CacheReport } from './bpf/cache.ts';
export { BPF_MAXINSNS, decodeProgram, encodeProgram } from './bpf/opcodes.ts';
export { SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO, SECCOMP_RET_KILL_PROCESS, SECCOMP_RET_LOG, SECCOMP_RET_TRAP } from './seccomp-abi.ts';
export type { SockFilter } from './bpf/opcodes.ts';
export { SELF_PID, bindSelfPid } from './bpf/self-pid.ts';

export { prepareDeclaration } from './pipeline.ts';
export type { PrepareOptions, PreparedDeclaration } from './pipeline.ts';
