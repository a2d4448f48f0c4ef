/**
 * What the runtime takes away at sandbox time (src/privileges.ts), proven in child processes on
 * every installed Node version, as root, each in a network namespace of its own (`unshare --net`)
 * so that nothing here can change the machine's interfaces or routes:
 * - with net.listen, os.networkInterfaces() inside the sandbox equals its value before it, no
 *   thread holds CAP_NET_ADMIN, and `ip` asking the kernel over the granted NETLINK_ROUTE socket to
 *   add an address (RTM_NEWADDR) or a route (RTM_NEWROUTE) is refused with EPERM, while the same
 *   requests succeed right after, outside the sandbox, in the same namespace;
 * - a root process drops to another user (setgroups, setgid, setuid) inside the sandbox and can
 *   neither become root again nor write.
 * Skipped, with the reason, where the tests do not run as root with CAP_NET_ADMIN or lack
 * `unshare` and `ip`.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a JavaScript module without declarations
import { installNode } from '../../../scripts/baseline/install-node.mjs';
import { fixturePath } from './run-fixture.ts';

const nodes: Record<number, string> = { 20: process.execPath };
beforeAll(async () => {
  for (const { major, path } of (await installNode({ log: () => {} })) as Array<{ major: number; path: string }>) nodes[major] = path;
}, 240_000);

const effective = BigInt(`0x${/^CapEff:\s*(\w+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? '0'}`);
const tools = ['unshare', 'ip'].every((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0);
const skip = process.getuid?.() !== 0 || ((effective >> 12n) & 1n) === 0n ? 'needs root with CAP_NET_ADMIN' : !tools ? 'needs unshare and ip (util-linux, iproute2)' : undefined;
if (skip) console.warn(`privileges.test.ts skipped: ${skip}`);

/** Runs the privileges fixture inside a fresh network namespace, then `after` there unsandboxed. */
function inNetns(major: number, declaration: object, action: string, after = 'true'): { result: Record<string, any>; after: string; stderr: string } {
  const script = `ip link set lo up && "$0" "$1" "$2" "$3" && { ${after}; }`;
  const run = spawnSync('unshare', ['--net', 'sh', '-c', script, nodes[major] ?? '', fixturePath('privileges.mjs'), JSON.stringify(declaration), action], { encoding: 'utf8', timeout: 30_000 });
  const lines = run.stdout.trim().split('\n');
  return { result: JSON.parse(lines[0] ?? '{}') as Record<string, any>, after: lines.slice(1).join('\n'), stderr: run.stderr };
}

describe.skipIf(skip !== undefined).each([20, 22, 24, 26])('Node %i', (major) => {
  it('net.listen reads the interfaces; the kernel refuses address and route changes (EPERM)', (context) => {
    if (nodes[major] === undefined) context.skip();
    const { result, after, stderr } = inNetns(major, { net: { listen: [8080] }, fs: { read: true }, spawn: true }, 'netlink', 'ip addr add 192.0.2.55/32 dev lo && ip route add 198.51.100.0/24 dev lo && echo control-ok');
    expect(result, stderr).toMatchObject({ sameInterfaces: true, interfaces: ['lo'], netAdminThreads: 0, reexecuted: true });
    expect(result['addAddress']).toEqual({ status: 2, signal: null, stderr: 'RTNETLINK answers: Operation not permitted' });
    expect(result['addRoute']).toEqual({ status: 2, signal: null, stderr: 'RTNETLINK answers: Operation not permitted' });
    expect(after).toBe('control-ok');
  });

  it('a root process drops to another user inside the sandbox, and stays inside', (context) => {
    if (nodes[major] === undefined) context.skip();
    const { result, stderr } = inNetns(major, { fs: { read: true }, onViolation: 'errno' }, 'setid');
    expect(result, stderr).toMatchObject({ uid: 65534, euid: 65534, gid: 65534, groups: [65534], uids: ['65534', '65534', '65534', '65534'], seccomp: '2', backToRoot: 'EPERM', write: 'EPERM' });
  });
});
