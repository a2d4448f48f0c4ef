/**
 * dns: getaddrinfo-based lookups of `localhost` (threadpool: nscd attempt, nsswitch, hosts) and
 * c-ares queries (main loop, UDP) against a loopback DNS server: the harness's peer, or one the
 * operation starts in-process. Clients that resolve a name before connecting need dns too.
 */
import dgram from 'node:dgram';
import dns from 'node:dns';
import { once } from 'node:events';
import net from 'node:net';
import { promisify } from 'node:util';
import { answerDnsQuery } from './dns-wire.mjs';
import { define, echoOver, lazyBuiltin, peers, readText, within } from './util.mjs';

/** @type {typeof import('node:http')} */
const http = lazyBuiltin('node:http');

/** A c-ares resolver that asks only the DNS server on 127.0.0.1:`port`, once, briefly. */
function resolverFor(port, Resolver = dns.Resolver) {
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  return resolver;
}

const bounded = (promise) => within(promise, 3000, 'dns');

const lookups = define(['dns'], {
  'dns.lookup.localhost': { covers: ['dns.lookup'], run: async () => (await bounded(promisify(dns.lookup)('localhost', { family: 4 }))).address },
  'dns.promises.lookup.localhost-all': { covers: ['dns/promises.lookup'], run: async () => (await bounded(dns.promises.lookup('localhost', { all: true }))).map((a) => a.address).join(',') },
  'dns.lookupService.callback': { covers: ['dns.lookupService'], run: async () => (await bounded(promisify(dns.lookupService)('127.0.0.1', 22))).hostname },
  'dns.lookupService': { covers: ['dns/promises.lookupService'], run: async () => (await bounded(dns.promises.lookupService('127.0.0.1', 22))).hostname },
});

/** c-ares turns a socket it could not open into a refused connection (or "not found"). */
const cares = { codes: ['ECONNREFUSED', 'ENOTFOUND'], why: 'c-ares reports a failed socket() as ECONNREFUSED, or ENOTFOUND after its hosts-file step' };
const viaCares = (/** @type {Record<string, import('./util.mjs').OpRun | import('./util.mjs').OpSpec>} */ table) => Object.fromEntries(Object.entries(table).map(([name, entry]) => [name, { deniedAs: cares, ...(typeof entry === 'function' ? { run: entry } : entry) }]));

const queries = define(['dns'], viaCares({
  'dns.Resolver.resolve4-peer': { covers: ['dns.Resolver'], run: async (ctx) => (await bounded(promisify((name, cb) => resolverFor(peers(ctx).dns).resolve4(name, cb))('a.syscage.test'))).join(',') },
  'dns.promises.Resolver.resolve4-peer': { covers: ['dns/promises.Resolver'], run: async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolve4('b.syscage.test'))).join(',') },
  'dns.promises.Resolver.resolve6-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolve6('c.syscage.test'))).join(','),
  'dns.promises.Resolver.resolveTxt-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolveTxt('d.syscage.test'))).flat().join(','),
  'dns.promises.Resolver.resolveMx-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolveMx('e.syscage.test'))).map((mx) => mx.exchange).join(','),
  'dns.promises.Resolver.reverse-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).reverse('127.0.0.2'))).join(','),
}));

/** Every query method of a module's default resolver, pointed at the peer; types the peer has no record for answer ENODATA. */
const RESOLVE_METHODS = ['resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveCaa', 'resolveCname', 'resolveMx', 'resolveNaptr', 'resolveNs', 'resolvePtr', 'resolveSoa', 'resolveSrv', 'resolveTlsa', 'resolveTxt'];
const DEFAULT_RESOLVER = [...RESOLVE_METHODS, 'reverse', 'setServers', 'getServers'];

/**
 * Asks every query method of `api` (dns's callback functions promisified, or dns/promises) in turn.
 * A method that reaches the peer answers, or fails ENODATA for a type the peer lacks; any other
 * failure (a refused socket) is thrown.
 *
 * @param {Record<string, (...args: any[]) => Promise<unknown>>} api
 */
async function askEveryMethod(api) {
  const answers = [];
  for (const method of ['resolve4', ...RESOLVE_METHODS.filter((name) => name !== 'resolve4'), 'reverse']) {
    if (typeof api[method] !== 'function') continue;
    try {
      const answer = await bounded(method === 'reverse' ? api[method]('127.0.0.3') : api[method](`${method.toLowerCase()}.syscage.test`));
      answers.push(`${method}:${JSON.stringify(answer).length}`);
    } catch (error) {
      if (/** @type {{ code?: string }} */ (error).code !== 'ENODATA') throw error;
      answers.push(`${method}:ENODATA`);
    }
  }
  return `${api.getServers().join()} ${answers.join(' ')}`;
}

const promisified = (/** @type {string[]} */ names) => Object.fromEntries(names.map((name) => [name, typeof (/** @type {any} */ (dns))[name] === 'function' ? promisify((/** @type {any} */ (dns))[name]) : undefined]));

const defaultResolvers = define(['dns'], viaCares({
  // The module-level functions share one default resolver, process-wide: each case points it at the peer first.
  'dns.default-resolver-peer': {
    covers: DEFAULT_RESOLVER.map((name) => `dns.${name}`),
    run: async (ctx) => {
      dns.setServers([`127.0.0.1:${peers(ctx).dns}`]);
      return askEveryMethod({ ...promisified([...RESOLVE_METHODS, 'reverse']), getServers: dns.getServers });
    },
  },
  'dns.promises.default-resolver-peer': {
    covers: DEFAULT_RESOLVER.map((name) => `dns/promises.${name}`),
    run: async (ctx) => {
      dns.promises.setServers([`127.0.0.1:${peers(ctx).dns}`]);
      return askEveryMethod(/** @type {any} */ (dns.promises));
    },
  },
}));

const inProcess = define(['dns', 'net.udp'], {
  'dns.Resolver.in-process-server': {
    inseparable: { dns: 'net.udp grants the same UDP sockets c-ares uses; seccomp cannot tell a DNS query from other UDP' },
    run: async () => {
      const server = dgram.createSocket('udp4');
      server.on('message', (message, from) => {
        const answer = answerDnsQuery(message);
        if (answer) server.send(answer, from.port, from.address);
      });
      server.bind(0, '127.0.0.1');
      await within(once(server, 'listening'), 3000, 'dns server bind');
      try {
        return (await bounded(resolverFor(server.address().port, dns.promises.Resolver).resolve4('local.syscage.test'))).join(',');
      } finally {
        server.close();
      }
    },
  },
});

const named = define(['dns', 'net.connect'], {
  'net.connect.localhost': async (ctx) => echoOver(net.connect({ port: peers(ctx).tcp4, host: 'localhost', family: 4 })),
  // No family: Node's default autoSelectFamily looks the name up with all: true and ADDRCONFIG.
  'net.connect.localhost-autoSelectFamily': async (ctx) => echoOver(net.connect({ port: peers(ctx).tcp4, host: 'localhost' })),
  'http.get.localhost': async (ctx) => {
    const request = http.get({ host: 'localhost', port: peers(ctx).http, path: '/named', family: 4 });
    const [response] = await within(once(request, 'response'), 3000, 'http response');
    return readText(response);
  },
  'fetch.localhost': async (ctx) => (await fetch(`http://localhost:${peers(ctx).http}/named`, { signal: AbortSignal.timeout(3000) })).text(),
});

/** @type {import('../operations.mjs').Operation[]} */
/**
 * localhost resolves from /etc/hosts, read through a read-only open that is in the baseline (paths
 * are Landlock's, #4). Without dns only glibc's nscd attempt is refused: a kill in kill mode, an
 * EPERM glibc ignores in errno mode. So the errno-mode denial cannot show; kill mode still does.
 */
const HOSTS = 'localhost comes from /etc/hosts (a read-only open in the baseline; paths are Landlock\'s, #4); errno mode only refuses the nscd attempt, which glibc ignores';
const fromHosts = (op) => ({ ...op, inseparable: { ...op.inseparable, dns: HOSTS } });

export default [...lookups.map(fromHosts), ...queries, ...defaultResolvers, ...inProcess, ...named.map(fromHosts)];
