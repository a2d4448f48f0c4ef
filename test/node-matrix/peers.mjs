/**
 * The loopback peers the harness runs outside the sandbox, so that an operation needing only
 * net.connect (or only dns, net.udp, net.unix, signal) has something to talk to: TCP echo on
 * 127.0.0.1 and ::1, an HTTP and an h2c server, a UDP echo, a unix-socket echo, a DNS server (see
 * `ops/dns-wire.mjs`), a port nothing listens on, and a sleeping process to signal.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import http from 'node:http';
import http2 from 'node:http2';
import net from 'node:net';
import { join } from 'node:path';
import { answerDnsQuery } from './ops/dns-wire.mjs';

/** @param {net.Server | http.Server | http2.Http2Server} server @param {object} options */
async function listening(server, options) {
  server.listen(options);
  await once(server, 'listening');
  const address = server.address();
  return typeof address === 'object' && address !== null ? address.port : address;
}

/** @param {'udp4'} type @param {(socket: dgram.Socket, message: Buffer, from: dgram.RemoteInfo) => void} onMessage */
async function udpServer(type, onMessage) {
  const socket = dgram.createSocket(type);
  socket.on('message', (message, from) => onMessage(socket, message, from));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return socket;
}

function echo() {
  return net.createServer((socket) => {
    socket.on('error', () => {});
    socket.pipe(socket);
  });
}

/**
 * Starts every peer; `dir` holds the unix socket. Resolves to the description handed to
 * operations (as JSON in `SYSCAGE_MATRIX_PEERS`) and a `close()` that stops them all.
 *
 * @param {string} dir
 * @returns {Promise<{ peers: Record<string, number | string>, close: () => Promise<void> }>}
 */
export async function startPeers(dir) {
  const tcp4 = echo();
  const tcp6 = echo();
  const unix = echo();
  const web = http.createServer(async (req, res) => {
    let bytes = 0;
    for await (const chunk of req) bytes += chunk.length;
    if (req.url === '/big') res.end(Buffer.alloc(256 * 1024, 0x61));
    else res.end(`peer ${req.method} ${req.url} ${bytes}`);
  });
  const h2 = http2.createServer();
  h2.on('stream', (stream) => {
    stream.respond({ ':status': 200 });
    stream.end('peer h2');
  });
  const closed = net.createServer();
  const udp4 = await udpServer('udp4', (socket, message, from) => socket.send(message, from.port, from.address));
  const dns = await udpServer('udp4', (socket, message, from) => {
    const answer = answerDnsQuery(message);
    if (answer) socket.send(answer, from.port, from.address);
  });
  const sleeper = spawn('sleep', ['3600'], { stdio: 'ignore' });
  const unixPath = join(dir, 'peer.sock');
  const closedPort = await listening(closed, { host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => closed.close(resolve));
  const peers = {
    tcp4: await listening(tcp4, { host: '127.0.0.1', port: 0 }),
    tcp6: await listening(tcp6, { host: '::1', port: 0, ipv6Only: true }),
    unix: (await listening(unix, { path: unixPath }), unixPath),
    http: await listening(web, { host: '127.0.0.1', port: 0 }),
    http2: await listening(h2, { host: '127.0.0.1', port: 0 }),
    udp4: udp4.address().port,
    dns: dns.address().port,
    closedPort,
    sleeperPid: /** @type {number} */ (sleeper.pid),
  };
  const close = async () => {
    sleeper.kill('SIGKILL');
    web.closeAllConnections();
    for (const server of [tcp4, tcp6, unix, web, h2]) server.close();
    udp4.close();
    dns.close();
  };
  return { peers, close };
}
