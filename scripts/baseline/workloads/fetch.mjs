// Workload: global fetch (undici) against an HTTP server on 127.0.0.1: GET, POST, JSON body.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const http = await import('node:http');
const { once } = await import('node:events');

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method }));
  });
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const base = `http://127.0.0.1:${server.address().port}`;

await (await fetch(`${base}/`)).json();
await (await fetch(`${base}/post`, { method: 'POST', body: 'payload' })).json();
await (await fetch(new Request(`${base}/req`, { headers: { accept: 'application/json' } }))).text();
server.closeAllConnections();
server.close();
await once(server, 'close');
