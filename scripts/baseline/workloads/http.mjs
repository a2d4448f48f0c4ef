// Workload: an HTTP server and client on 127.0.0.1: GET and POST, with and without keep-alive.
import { accessSync } from 'node:fs';
try { accessSync('/__syscage_marker__'); } catch {}

const http = await import('node:http');
const { once } = await import('node:events');

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.end(`${req.method} ok`));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address();

/** One request; resolves with the response body. */
function request(options, body) {
  return new Promise((done, fail) => {
    const req = http.request({ host: '127.0.0.1', port, ...options }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => { text += chunk; });
      res.on('end', () => done(text));
    });
    req.on('error', fail);
    req.end(body);
  });
}
const agent = new http.Agent({ keepAlive: true });
await request({ path: '/' });
await request({ path: '/post', method: 'POST' }, 'payload');
await request({ path: '/a', agent });
await request({ path: '/b', agent });
agent.destroy();
server.closeAllConnections();
server.close();
await once(server, 'close');
