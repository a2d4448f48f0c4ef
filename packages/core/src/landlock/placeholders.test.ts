// What each placeholder stands for, from facts given as data (no file system): the runtime and the
// CLI gather the facts; the kernel side runs in the runtime's and the e2e tests.
import { describe, expect, it } from 'vitest';
import { dirsAbove, expandPlaceholder, fillPlaceholders } from './placeholders.ts';

describe('fillPlaceholders', () => {
  it('{program} is the directory when it holds no hidden entries (a build output directory)', () => {
    expect(fillPlaceholders({ program: { dir: '/srv/app/dist', entries: ['app.mjs', 'chunk-1.mjs'] } }).program).toEqual(['/srv/app/dist']);
  });

  it("{program} leaves out hidden entries, such as a project root's .env and .git", () => {
    const values = fillPlaceholders({ program: { dir: '/srv/app', entries: ['.env', '.git', 'app.mjs', 'package.json', 'src'] } });
    expect(values.program).toEqual(['/srv/app/app.mjs', '/srv/app/package.json', '/srv/app/src']);
  });

  it('{program} is the directory whole when its entries are not known', () => {
    expect(fillPlaceholders({ program: { dir: '/srv/app' } }).program).toEqual(['/srv/app']);
  });

  it('{modules} and {package-json} are in the directory and every one above it, short of the root', () => {
    const values = fillPlaceholders({ program: { dir: '/srv/app/dist', entries: [] } });
    expect(values.modules).toEqual(['/srv/app/dist/node_modules', '/srv/app/node_modules', '/srv/node_modules']);
    expect(values['package-json']).toEqual(['/srv/app/dist/package.json', '/srv/app/package.json', '/srv/package.json']);
  });

  it('{all-but-processes} is / but /proc, /proc but processes, and /proc/self', () => {
    const values = fillPlaceholders({ listings: { root: ['etc', 'proc', 'usr'], proc: ['1', '4242', 'cpuinfo', 'self', 'sys', 'thread-self'] } });
    expect(values['all-but-processes']).toEqual(['/etc', '/usr', '/proc/cpuinfo', '/proc/sys', '/proc/self']);
    expect(fillPlaceholders({ listings: { root: [], proc: [] } })['all-but-processes']).toEqual(['/proc/self']);
  });

  it('{loader} keeps each package directory found once', () => {
    expect(fillPlaceholders({ loader: ['/m/runtime', undefined, '/m/core', '/m/runtime'] }).loader).toEqual(['/m/runtime', '/m/core']);
  });

  it('sets only the placeholders it has facts for; an empty NODE_EXTRA_CA_CERTS is none', () => {
    expect(fillPlaceholders({})).toEqual({});
    expect(Object.keys(fillPlaceholders({ node: '/usr/bin/node', interpreter: undefined }))).toEqual(['node', 'interpreter']);
    expect(fillPlaceholders({ extraCaCerts: '' })['extra-ca-certs']).toBeUndefined();
  });
});

describe('expandPlaceholder', () => {
  it('gives a path itself, a placeholder its values, an unset placeholder undefined', () => {
    const values = fillPlaceholders({ node: '/usr/bin/node', program: { dir: '/srv/app' } });
    expect(expandPlaceholder('/etc/hosts', values)).toEqual(['/etc/hosts']);
    expect(expandPlaceholder('{node}', values)).toEqual(['/usr/bin/node']);
    expect(expandPlaceholder('{program}', values)).toEqual(['/srv/app']);
    expect(expandPlaceholder('{loader}', values)).toBeUndefined();
  });
});

describe('dirsAbove', () => {
  it('climbs to the root, without it', () => {
    expect(dirsAbove('/srv/app')).toEqual(['/srv/app', '/srv']);
    expect(dirsAbove('/')).toEqual([]);
  });
});
