// Workload: TLS set-up without a network peer: a default secure context (root and extra CA
// certificates), then a client handshake against a loopback TCP server that hangs up.
// Run with NODE_EXTRA_CA_CERTS (see ../workloads.mjs) to see whether the extra CAs load lazily.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const tls = await import('node:tls');
const net = await import('node:net');
const { once } = await import('node:events');

tls.createSecureContext();
tls.rootCertificates.length;
const server = net.createServer((socket) => socket.destroy());
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const client = tls.connect({ host: '127.0.0.1', port: server.address().port, servername: 'localhost' });
await new Promise((done) => {
  client.on('error', () => {});
  client.on('close', done);
});
server.close();
await once(server, 'close');
