// Workload: UDP on loopback, IPv4 and IPv6: bind, send to self, receive, connect, buffer sizes.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const dgram = await import('node:dgram');
const { once } = await import('node:events');

for (const [type, host] of [['udp4', '127.0.0.1'], ['udp6', '::1']]) {
  const receiver = dgram.createSocket(type);
  receiver.bind(0, host);
  await once(receiver, 'listening');
  const { port } = receiver.address();
  receiver.getRecvBufferSize();
  receiver.setRecvBufferSize(64 * 1024);
  const sender = dgram.createSocket({ type, reuseAddr: true });
  const received = once(receiver, 'message');
  sender.send('unconnected', port, host);
  await received;
  sender.connect(port, host);
  await once(sender, 'connect');
  const again = once(receiver, 'message');
  sender.send('connected');
  await again;
  sender.close();
  receiver.close();
}
