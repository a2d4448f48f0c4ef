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
  'dns.lookup.localhost': async () => (await bounded(promisify(dns.lookup)('localhost', { family: 4 }))).address,
  'dns.promises.lookup.localhost-all': async () => (await bounded(dns.promises.lookup('localhost', { all: true }))).map((a) => a.address).join(','),
  'dns.lookupService': async () => (await bounded(dns.promises.lookupService('127.0.0.1', 22))).hostname,
});

/** c-ares turns a socket it could not open into a refused connection (or "not found"). */
const cares = { codes: ['ECONNREFUSED', 'ENOTFOUND'], why: 'c-ares reports a failed socket() as ECONNREFUSED, or ENOTFOUND after its hosts-file step' };
const viaCares = (/** @type {Record<string, (ctx: any) => Promise<unknown>>} */ table) => Object.fromEntries(Object.entries(table).map(([name, run]) => [name, { deniedAs: cares, run }]));

const queries = define(['dns'], viaCares({
  'dns.Resolver.resolve4-peer': async (ctx) => (await bounded(promisify((name, cb) => resolverFor(peers(ctx).dns).resolve4(name, cb))('a.syscage.test'))).join(','),
  'dns.promises.Resolver.resolve4-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolve4('b.syscage.test'))).join(','),
  'dns.promises.Resolver.resolve6-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolve6('c.syscage.test'))).join(','),
  'dns.promises.Resolver.resolveTxt-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolveTxt('d.syscage.test'))).flat().join(','),
  'dns.promises.Resolver.resolveMx-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).resolveMx('e.syscage.test'))).map((mx) => mx.exchange).join(','),
  'dns.promises.Resolver.reverse-peer': async (ctx) => (await bounded(resolverFor(peers(ctx).dns, dns.promises.Resolver).reverse('127.0.0.2'))).join(','),
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

export default [...lookups.map(fromHosts), ...queries, ...inProcess, ...named.map(fromHosts)];
