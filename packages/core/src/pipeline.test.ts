import { describe, expect, it } from 'vitest';
import { compilePolicy } from './bpf/compile.ts';
import { buildPolicy, buildStage1Policy } from './catalog/build-policy.ts';
import { resolveCapabilities } from './catalog/resolve.ts';
import { planLandlock } from './landlock/plan.ts';
import { prepareDeclaration } from './pipeline.ts';

const DECLARATION = { fs: { read: ['./data'] }, net: { connect: [443] }, dns: true };

describe('prepareDeclaration', () => {
  it('gives what the stages give when assembled by hand', () => {
    const resolved = resolveCapabilities(DECLARATION);
    const prepared = prepareDeclaration(DECLARATION, { node: 22 });
    expect(prepared.resolved).toEqual(resolved);
    expect(prepared.policy).toEqual(buildPolicy(resolved, { node: 22 }));
    expect(prepared.landlock).toEqual(planLandlock(resolved));
    for (const arch of ['x86_64', 'aarch64'] as const) {
      expect(prepared.filter(arch).bytes).toEqual(compilePolicy(buildPolicy(resolved, { node: 22 }), arch).bytes);
      expect(prepared.stage1(arch).bytes).toEqual(compilePolicy(buildStage1Policy(), arch).bytes);
    }
  });

  it('takes the union baseline without a Node version', () => {
    expect(prepareDeclaration({}).policy).toEqual(buildPolicy(resolveCapabilities({})));
  });

  it('builds each part once, on first use, and its methods work detached', () => {
    const prepared = prepareDeclaration(DECLARATION);
    const { filter } = prepared;
    expect(filter('x86_64')).toBe(prepared.filter('x86_64'));
    expect(prepared.policy).toBe(prepared.policy);
    expect(prepared.landlock).toBe(prepared.landlock);
  });

  it('fails at once, located, on a declaration that does not resolve', () => {
    const location = { file: 'src/main.ts', line: 3, column: 9 };
    expect(() => prepareDeclaration({ fs: { raed: true } }, { where: location })).toThrow(expect.objectContaining({ code: 'UNKNOWN_CAPABILITY', location }));
  });
});
