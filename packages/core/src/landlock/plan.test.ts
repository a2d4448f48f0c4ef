import { describe, expect, it } from 'vitest';
import { resolveCapabilities } from '../catalog/resolve.ts';
import { isEmptyPlan, planLandlock, requiredAbi } from './plan.ts';
import { FS_RIGHTS, NET_RIGHTS, rightAbi, rightsMask } from './rights.ts';

const plan = (declaration: object) => planLandlock(resolveCapabilities(declaration));
const rule = (p: ReturnType<typeof plan>, path: string) => p.paths.find((r) => r.path === path);

describe('planLandlock', () => {
  it('handles reads, writes and execution unless the declaration grants them for any path', () => {
    expect(plan({}).handledFs).toEqual(expect.arrayContaining(['read_file', 'read_dir', 'write_file', 'make_reg', 'execute', 'truncate', 'refer', 'make_char']));
    // Reading every file stays handled: everything is readable but other processes' /proc/<pid>.
    expect(rule(plan({ fs: { read: true } }), '{all-but-processes}')).toMatchObject({ access: ['read_file', 'read_dir'], from: 'fs.read' });
    expect(rule(plan({ fs: { write: true } }), '{all-but-processes}')).toMatchObject({ from: 'fs.write' }); // fs.write includes reading
    expect(rule(plan({ fs: { read: true } }), '/')).toMatchObject({ access: ['read_dir'] });
    expect(plan({ fs: { write: true } }).handledFs).not.toContain('write_file');
    expect(plan({ spawn: true }).handledFs).not.toContain('execute');
    // Never empty: device nodes are always handled, so every declaration enters a domain (ptrace scoping).
    const everything = plan({ fs: true, spawn: true, net: true, signal: true });
    expect(isEmptyPlan(everything)).toBe(false);
    expect(everything.handledFs).toEqual(['make_block', 'make_char', 'read_dir', 'read_file']);
    expect(everything.required.map((r) => r.right)).toEqual(['read_file', 'read_dir', 'make_char']);
  });

  it('keeps listed paths relative, grants them what their capability means, and merges overlaps', () => {
    const p = plan({ fs: { read: ['./data', './out'], write: ['./out'] }, spawn: ['/usr/bin/git'] });
    expect(rule(p, './data')).toEqual({ path: './data', access: ['read_file', 'read_dir'], from: 'fs.read', ifMissing: 'skip' });
    expect(rule(p, './out')).toMatchObject({ from: 'fs.read, fs.write', ifMissing: 'refuse' });
    expect(rule(p, './out')?.access).toEqual(expect.arrayContaining(['read_file', 'write_file', 'make_dir', 'remove_file', 'truncate', 'refer']));
    expect(rule(p, './out')?.access).not.toContain('make_char');
    expect(rule(p, '/usr/bin/git')).toMatchObject({ access: ['execute', 'read_file'], from: 'spawn' });
    expect(rule(p, '{interpreter}')?.access).toContain('execute');
  });

  it('adds the implicit read set, and only what dns or spawn need when they are declared', () => {
    const bare = plan({});
    expect(bare.paths.map((r) => r.path)).toEqual(expect.arrayContaining(['{program}', '{loader}', '{node}', '/proc/self', '/usr/share/zoneinfo', '/dev/null']));
    expect(rule(bare, '/etc/resolv.conf')).toBeUndefined();
    expect(rule(bare, '/usr/bin')).toBeUndefined();
    expect(rule(plan({ dns: true }), '/etc/resolv.conf')).toMatchObject({ from: 'dns' });
    expect(rule(plan({ net: { connect: [443] } }), '/etc/hosts')).toMatchObject({ from: 'net.connect' }); // localhost
    expect(rule(plan({ spawn: true }), '/usr/bin')).toMatchObject({ access: ['read_file', 'read_dir'], from: 'spawn' });
    expect(planLandlock(resolveCapabilities({}), { nodeRuntime: false }).paths.find((r) => r.from === 'runtime')).toBeUndefined();
  });

  it('scopes TCP ports, letting a client bind port 0', () => {
    const p = plan({ net: { connect: [443], listen: [8080] } });
    expect(p.handledNet).toEqual(['bind_tcp', 'connect_tcp']);
    expect(p.ports).toEqual([
      { port: 443, access: ['connect_tcp'], from: 'net.connect' },
      { port: 8080, access: ['bind_tcp'], from: 'net.listen' },
      { port: 0, access: ['bind_tcp'], from: 'net.connect' },
    ]);
    expect(plan({ net: { connect: true } }).handledNet).toEqual(['bind_tcp']);
    expect(plan({ net: true }).handledNet).toEqual([]);
  });

  it('requires the rights that make the declaration mean what it says, and only those', () => {
    expect(requiredAbi(plan({ fs: { read: true, write: true }, spawn: true, net: true }))).toBe(1); // the domain itself
    expect(requiredAbi(plan({}))).toBe(1);
    expect(requiredAbi(plan({ fs: { write: ['./out'] } }))).toBe(3); // truncate
    expect(requiredAbi(plan({ net: { connect: [443] } }))).toBe(4);
    expect(plan({ net: { connect: [443] } }).required.find((r) => r.right === 'connect_tcp')?.enforces).toBe('the net.connect port list');
    expect(plan({ landlock: 'best-effort' }).mode).toBe('best-effort');
    expect(plan({}).mode).toBe('enforce');
  });

  it('scopes signals and abstract unix sockets unless they are declared', () => {
    expect(plan({}).scoped).toEqual(['signal', 'abstract_unix_socket']);
    expect(plan({ signal: true, net: { unix: true } }).scoped).toEqual([]);
  });
});

describe('rights', () => {
  it('carry the kernel bit values and ABI versions', () => {
    expect(rightsMask(FS_RIGHTS, ['execute', 'read_file', 'refer', 'truncate', 'ioctl_dev'])).toBe((1 << 0) | (1 << 2) | (1 << 13) | (1 << 14) | (1 << 15));
    expect(rightsMask(FS_RIGHTS, ['refer', 'truncate', 'read_file'], 2)).toBe((1 << 13) | (1 << 2));
    expect(rightsMask(NET_RIGHTS, ['bind_tcp', 'connect_tcp'], 3)).toBe(0);
    expect([rightAbi('read_file'), rightAbi('refer'), rightAbi('truncate'), rightAbi('connect_tcp'), rightAbi('ioctl_dev'), rightAbi('signal')]).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
