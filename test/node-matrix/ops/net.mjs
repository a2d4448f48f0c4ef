/**
 * Sockets on loopback only: TCP clients (net.connect) against the harness's peers, TCP servers
 * (net.listen), round trips inside the process (both), UDP (net.udp) and unix sockets (net.unix),
 * with net, http, http2, fetch and dgram. Servers bind 127.0.0.1 or ::1 on ephemeral ports; unix
 * sockets live in the operation's private directory or the abstract namespace.
 */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { TLS_CERT, TLS_KEY } from './tls-cert.mjs';
import { PAYLOAD, closeServer, define, echoOver, echoServer, expectCode, lazyBuiltin, listen, peers, readText, within } from './util.mjs';

/** @type {typeof import('node:http')} */
const http = lazyBuiltin('node:http');
/** @type {typeof import('node:http2')} */
const http2 = lazyBuiltin('node:http2');
/** @type {typeof import('node:https')} */
const https = lazyBuiltin('node:https');

/** GET (or POST `body`) `url` with http.request and resolve to the response text. */
async function httpText(url, { body, agent, socketPath } = {}) {
  const request = http.request(url, { method: body === undefined ? 'GET' : 'POST', agent, socketPath });
  const response = within(once(request, 'response'), 3000, 'http response');
  request.end(body);
  const [res] = await response;
  return `${res.statusCode} ${await within(readText(res), 3000, 'http body')}`;
}

/** An http server answering `hello <method> <bytes received>`. */
function helloServer() {
  return http.createServer(async (req, res) => {
    const body = await readText(req);
    res.end(`hello ${req.method} ${body.length}`);
  });
}

/** One http2 GET on `session`, resolving to the body. */
async function h2Get(session) {
  const stream = session.request({ ':path': '/' });
  stream.end();
  return within(readText(stream), 3000, 'http2 body');
}

function h2Server() {
  const server = http2.createServer();
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    stream.end('hello h2');
  });
  return server;
}

const client = define(['net.connect'], {
  'net.connect.tcp4-peer': { covers: ['net.connect', 'net.Socket'], run: async (ctx) => echoOver(net.connect(peers(ctx).tcp4, '127.0.0.1')) },
  'net.connect.tcp6-peer': async (ctx) => echoOver(net.connect(peers(ctx).tcp6, '::1')),
  'net.connect.refused': async (ctx) => expectCode(() => new Promise((resolve, reject) => {
    net.connect(peers(ctx).closedPort, '127.0.0.1').on('connect', resolve).on('error', reject);
  }), 'ECONNREFUSED'),
  'net.connect.options-and-addresses': async (ctx) => {
    const socket = net.connect({ port: peers(ctx).tcp4, host: '127.0.0.1', noDelay: true, keepAlive: true });
    await within(once(socket, 'connect'), 3000, 'connect');
    socket.setNoDelay(true).setKeepAlive(true, 1000).setTimeout(2000);
    const facts = `${socket.remoteAddress} ${socket.localAddress}`;
    return `${facts} ${await echoOver(socket)}`;
  },
  'net.createConnection.tcp4-peer': { covers: ['net.createConnection'], run: async (ctx) => echoOver(net.createConnection(peers(ctx).tcp4, '127.0.0.1')) },
  'net.connect.localAddress': async (ctx) => echoOver(net.connect({ port: peers(ctx).tcp4, host: '127.0.0.1', localAddress: '127.0.0.1' })),
  'http.get.peer': { covers: ['http.get'], run: async (ctx) => httpText(`http://127.0.0.1:${peers(ctx).http}/hello`) },
  'http.request.post-peer': { covers: ['http.request', 'http.ClientRequest', 'http.IncomingMessage', 'http.OutgoingMessage'], run: async (ctx) => httpText(`http://127.0.0.1:${peers(ctx).http}/post`, { body: 'x'.repeat(1000) }) },
  'http.agent.keepalive-peer': { covers: ['http.Agent'], run: async (ctx) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const url = `http://127.0.0.1:${peers(ctx).http}/`;
      return `${await httpText(url, { agent })} ${await httpText(url, { agent })}`;
    } finally {
      agent.destroy();
    }
  } },
  'fetch.get-peer': async (ctx) => (await fetch(`http://127.0.0.1:${peers(ctx).http}/fetch`, { signal: AbortSignal.timeout(3000) })).text(),
  'fetch.post-json-peer': async (ctx) => {
    const response = await fetch(`http://127.0.0.1:${peers(ctx).http}/json`, { method: 'POST', body: JSON.stringify({ a: 1 }), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(3000) });
    return response.text();
  },
  'fetch.stream-body-peer': async (ctx) => {
    const response = await fetch(`http://127.0.0.1:${peers(ctx).http}/big`, { signal: AbortSignal.timeout(3000) });
    let total = 0;
    for await (const chunk of response.body) total += chunk.length;
    return total;
  },
  'http2.connect.peer': async (ctx) => {
    const session = http2.connect(`http://127.0.0.1:${peers(ctx).http2}`);
    session.on('error', () => {});
    try {
      return await h2Get(session);
    } finally {
      session.close();
    }
  },
});

const server = define(['net.listen'], {
  'net.listen.tcp4': { covers: ['net.createServer', 'net.Server'], run: async () => {
    const srv = net.createServer();
    const { family } = await listen(srv, { host: '127.0.0.1', port: 0 });
    await closeServer(srv);
    return family;
  } },
  'net.listen.tcp6': async () => {
    const srv = net.createServer();
    const { family } = await listen(srv, { host: '::1', port: 0, ipv6Only: true });
    await closeServer(srv);
    return family;
  },
  'net.listen.backlog-exclusive': async () => {
    const srv = net.createServer();
    await listen(srv, { host: '127.0.0.1', port: 0, backlog: 8, exclusive: true });
    const count = await new Promise((resolve) => srv.getConnections((_e, n) => resolve(n)));
    await closeServer(srv);
    return count;
  },
  // A socket bound now, for a server (or another thread) to adopt later.
  'net.BoundSocket.bind-close': {
    minNode: 24,
    covers: ['net.BoundSocket'],
    run: async () => {
      const bound = new (/** @type {any} */ (net).BoundSocket)({ host: '127.0.0.1', port: 0 });
      const { family } = bound.address();
      bound.close();
      return family;
    },
  },
  'net.listen.EADDRINUSE': async () => {
    const first = net.createServer();
    const { port } = await listen(first, { host: '127.0.0.1', port: 0 });
    try {
      const second = net.createServer();
      return await expectCode(() => new Promise((resolve, reject) => {
        second.once('error', reject).once('listening', () => { second.close(); resolve(undefined); }).listen(port, '127.0.0.1');
      }), 'EADDRINUSE');
    } finally {
      await closeServer(first);
    }
  },
  'http.createServer.listen-close': { covers: ['http.createServer', 'http.Server'], run: async () => {
    const srv = helloServer();
    await listen(srv, { host: '127.0.0.1', port: 0 });
    await closeServer(srv);
  } },
  'http2.createServer.listen-close': async () => {
    const srv = h2Server();
    await listen(srv, { host: '127.0.0.1', port: 0 });
    await closeServer(srv);
  },
});

/**
 * Runs `use(port)` against `srv` listening on `host`, then closes it.
 *
 * @param {import('node:net').Server} srv
 * @param {string} host
 * @param {(port: number) => Promise<unknown>} use
 */
async function withServer(srv, host, use) {
  const { port } = await listen(srv, { host, port: 0 });
  try {
    return await use(port);
  } finally {
    await closeServer(srv);
  }
}

const roundTrips = define(['net.connect', 'net.listen'], {
  'tcp.roundtrip.127.0.0.1': async () => withServer(echoServer(net.createServer), '127.0.0.1', (port) => echoOver(net.connect(port, '127.0.0.1'))),
  'tcp.roundtrip.::1': async () => withServer(echoServer(net.createServer), '::1', (port) => echoOver(net.connect(port, '::1'))),
  'tcp.roundtrip.1MiB': async () => withServer(echoServer(net.createServer), '127.0.0.1', async (port) => (await echoOver(net.connect(port, '127.0.0.1'), 'z'.repeat(1 << 20))).length),
  'tcp.half-close': async () => {
    const srv = net.createServer({ allowHalfOpen: true }, (socket) => {
      let n = 0;
      socket.on('data', (chunk) => { n += chunk.length; });
      socket.on('end', () => socket.end(`got ${n}`));
    });
    return withServer(srv, '127.0.0.1', (port) => echoOver(net.connect({ port, host: '127.0.0.1', allowHalfOpen: true })));
  },
  'tcp.pipeline-gzip': async () => {
    const srv = net.createServer((socket) => { pipeline(socket, zlib.createGunzip(), socket).catch(() => {}); });
    return withServer(srv, '127.0.0.1', async (port) => {
      const socket = net.connect(port, '127.0.0.1');
      const reply = within(readText(socket), 3000, 'gzip echo');
      socket.end(zlib.gzipSync(PAYLOAD));
      return reply;
    });
  },
  'http.roundtrip.get': { covers: ['http.createServer', 'http.request', 'http.ServerResponse'], run: async () => withServer(helloServer(), '127.0.0.1', (port) => httpText(`http://127.0.0.1:${port}/`)) },
  'http.roundtrip.post': async () => withServer(helloServer(), '127.0.0.1', (port) => httpText(`http://127.0.0.1:${port}/`, { body: 'b'.repeat(4096) })),
  'http.roundtrip.keepalive': async () => withServer(helloServer(), '127.0.0.1', async (port) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      return `${await httpText(`http://127.0.0.1:${port}/`, { agent })} ${await httpText(`http://127.0.0.1:${port}/`, { agent })}`;
    } finally {
      agent.destroy();
    }
  }),
  'http.roundtrip.abort': async () => withServer(http.createServer(() => {}), '127.0.0.1', (port) => new Promise((resolve, reject) => {
    const controller = new AbortController();
    http.get(`http://127.0.0.1:${port}/`, { signal: controller.signal }).on('error', (error) => (error.name === 'AbortError' ? resolve(error.name) : reject(error)));
    setTimeout(() => controller.abort(), 20);
  })),
  'fetch.roundtrip': async () => withServer(helloServer(), '127.0.0.1', async (port) => (await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(3000) })).text()),
  'fetch.roundtrip.post-stream': async () => withServer(helloServer(), '127.0.0.1', async (port) => {
    const body = new Blob(['s'.repeat(10_000)]).stream();
    return (await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, duplex: 'half', signal: AbortSignal.timeout(3000) })).text();
  }),
  'https.roundtrip': {
    covers: ['https.createServer', 'https.Server', 'https.request', 'https.get', 'https.Agent'],
    run: async () => withServer(https.createServer({ key: TLS_KEY, cert: TLS_CERT }, (_req, res) => res.end('hello tls')), '127.0.0.1', async (port) => {
      const agent = new https.Agent({ ca: TLS_CERT, keepAlive: false });
      const fetchOver = (/** @type {typeof https.get} */ call) => new Promise((resolve, reject) => {
        const request = call(`https://127.0.0.1:${port}/`, { agent }, (res) => readText(res).then(resolve, reject));
        request.on('error', reject);
        if (call === https.request) request.end();
      });
      try {
        return `${await within(fetchOver(https.get), 3000, 'https get')} ${await within(fetchOver(https.request), 3000, 'https request')}`;
      } finally {
        agent.destroy();
      }
    }),
  },
  // A WebSocket client against a minimal server (handshake, one text frame, close) in the process.
  'http.WebSocket.roundtrip': {
    minNode: 22,
    covers: ['http.WebSocket'],
    deniedAs: { codes: ['WEBSOCKET_ERROR'], why: "the WebSocket API reports a connection it could not make as an error event without the system's error" },
    run: async () => withServer(webSocketServer('hello ws'), '127.0.0.1', async (port) => {
      const socket = new (/** @type {any} */ (http).WebSocket)(`ws://127.0.0.1:${port}/`);
      try {
        const message = new Promise((resolve, reject) => {
          socket.addEventListener('message', (/** @type {any} */ event) => resolve(event.data));
          // A failed connection is an ErrorEvent that carries no cause: named here so deniedAs can match it.
          socket.addEventListener('error', (/** @type {any} */ event) => reject(Object.assign(new Error(`websocket error: ${event.message}`), { code: 'WEBSOCKET_ERROR' })));
        });
        return await within(message, 3000, 'websocket message');
      } finally {
        socket.close();
      }
    }),
  },
  'http2.roundtrip': async () => withServer(h2Server(), '127.0.0.1', async (port) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    try {
      return await h2Get(session);
    } finally {
      session.close();
    }
  }),
});

/**
 * A TCP server that accepts one WebSocket handshake, sends `text` as one unmasked text frame and
 * closes (RFC 6455: enough for a client's first message).
 *
 * @param {string} text  under 126 bytes.
 */
function webSocketServer(text) {
  return net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', (request) => {
      const key = /^sec-websocket-key:\s*(\S+)/im.exec(request.toString())?.[1] ?? '';
      const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      socket.end(Buffer.concat([Buffer.from([0x81, Buffer.byteLength(text)]), Buffer.from(text)]));
    });
  });
}

/** Binds a UDP socket on `host` and resolves once it is bound. */
async function bound(type, host) {
  const socket = dgram.createSocket(type);
  socket.bind(0, host);
  await within(once(socket, 'listening'), 3000, 'udp bind');
  return socket;
}

/** Sends PAYLOAD from `socket` to `port` on 127.0.0.1 and resolves to the first reply. */
async function udpExchange(socket, port, connected = false) {
  const reply = within(once(socket, 'message'), 3000, 'udp reply');
  if (connected) socket.send(PAYLOAD); else socket.send(PAYLOAD, port, '127.0.0.1');
  const [message] = await reply;
  return message.toString();
}

const udp = define(['net.udp'], {
  'dgram.udp4.bind-close': { covers: ['dgram.createSocket', 'dgram.Socket'], run: async () => { const socket = await bound('udp4', '127.0.0.1'); socket.close(); } },
  'dgram.udp6.bind-close': async () => { const socket = await bound('udp6', '::1'); socket.close(); },
  'dgram.udp4.peer-echo': async (ctx) => {
    const socket = await bound('udp4', '127.0.0.1');
    try {
      return await udpExchange(socket, peers(ctx).udp4);
    } finally {
      socket.close();
    }
  },
  'dgram.udp4.unbound-send': async (ctx) => {
    const socket = dgram.createSocket('udp4');
    try {
      return await udpExchange(socket, peers(ctx).udp4);
    } finally {
      socket.close();
    }
  },
  'dgram.udp4.connected': async (ctx) => {
    const socket = dgram.createSocket('udp4');
    socket.connect(peers(ctx).udp4, '127.0.0.1');
    await within(once(socket, 'connect'), 3000, 'udp connect');
    try {
      return `${socket.remoteAddress().port === peers(ctx).udp4} ${await udpExchange(socket, 0, true)}`;
    } finally {
      socket.close();
    }
  },
  'dgram.udp4.in-process': async () => {
    const a = await bound('udp4', '127.0.0.1');
    const b = await bound('udp4', '127.0.0.1');
    try {
      const got = within(once(b, 'message'), 3000, 'udp message');
      a.send('hi', b.address().port, '127.0.0.1');
      return (await got)[0].toString();
    } finally {
      a.close();
      b.close();
    }
  },
  'dgram.socket-options': async () => {
    const socket = await bound('udp4', '127.0.0.1');
    try {
      socket.setBroadcast(true);
      socket.setTTL(8);
      socket.setRecvBufferSize(65536);
      return socket.getRecvBufferSize() > 0;
    } finally {
      socket.close();
    }
  },
});

let abstractCounter = 0;

/** A unix server on a path creates its socket file and unlinks it on close: that is fs.write. */
const UNLINK = 'bind creates the socket file within the socket call; only the unlink at close is fs.write, and Node ignores its failure in errno mode';
const unixOnPaths = define(['net.unix', 'fs.write'], {
  'unix.roundtrip': async (ctx) => {
    const path = join(ctx.dir, 's.sock');
    return withUnix(echoServer(net.createServer), path, () => echoOver(net.connect(path)));
  },
  'unix.listen-close': async (ctx) => withUnix(net.createServer(), join(ctx.dir, 'l.sock'), async () => 'listening'),
  'unix.http-socketPath': async (ctx) => {
    const socketPath = join(ctx.dir, 'h.sock');
    return withUnix(helloServer(), socketPath, () => httpText('http://localhost/', { socketPath }));
  },
});

const unix = define(['net.unix'], {
  'unix.peer': async (ctx) => echoOver(net.connect(peers(ctx).unix)),
  'unix.abstract-roundtrip': async () => {
    const path = `\0syscage-matrix-${process.pid}-${abstractCounter++}`;
    return withUnix(echoServer(net.createServer), path, () => echoOver(net.connect(path)));
  },
});

async function withUnix(srv, path, use) {
  await listen(srv, { path });
  try {
    return await use();
  } finally {
    await closeServer(srv);
  }
}

/** @type {import('../operations.mjs').Operation[]} */
/** Without net.listen the NETLINK_ROUTE socket is answered EACCES in either mode (core's deny.ts). */
const NETLINK_SOFT = 'the NETLINK_ROUTE socket is a soft denial without net.listen: Node reports "Unknown system error 13"';
const interfaces = define(['net.listen'], {
  'os.networkInterfaces': {
    covers: ['os.networkInterfaces'],
    softDenied: { 'net.listen': NETLINK_SOFT },
    // Names and the whole answer's size; the runtime's privileges test compares the answer exactly.
    run: async () => `${Object.keys(os.networkInterfaces()).sort().join(',')} ${JSON.stringify(os.networkInterfaces()).length}`,
  },
});

export default [...client, ...server, ...roundTrips, ...udp, ...interfaces, ...unixOnPaths.map((op) => ({ ...op, inseparable: { ...op.inseparable, 'fs.write': UNLINK } })), ...unix];
