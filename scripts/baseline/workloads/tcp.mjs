// Workload: TCP server and client on loopback, IPv4 and IPv6: listen, connect, echo, keep-alive
// and no-delay options, half-close, close.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const net = await import('node:net');
const { once } = await import('node:events');

for (const host of ['127.0.0.1', '::1']) {
  const server = net.createServer((socket) => socket.pipe(socket));
  server.listen(0, host);
  await once(server, 'listening');
  const client = net.connect({ host, port: server.address().port });
  client.setNoDelay(true);
  client.setKeepAlive(true, 1000);
  await once(client, 'connect');
  client.address();
  client.write('ping');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
  server.close();
  await once(server, 'close');
}
