// Workload: unix-domain stream sockets: a server on a path under SYSCAGE_WORK_DIR and on an
// abstract name, a client for each, echo, close.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const net = await import('node:net');
const os = await import('node:os');
const { join } = await import('node:path');
const { once } = await import('node:events');

const work = process.env.SYSCAGE_WORK_DIR ?? os.tmpdir();
// Named per process: the check runs workloads in parallel, and a shared name collides (EADDRINUSE).
for (const path of [join(work, `workload-${process.pid}.sock`), `\0syscage-baseline-abstract-${process.pid}`]) {
  const server = net.createServer((socket) => socket.pipe(socket));
  server.listen(path);
  await once(server, 'listening');
  const client = net.connect(path);
  await once(client, 'connect');
  client.write('ping');
  await once(client, 'data');
  client.end();
  await once(client, 'close');
  server.close();
  await once(server, 'close');
}
