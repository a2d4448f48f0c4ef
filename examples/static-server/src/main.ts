/**
 * static-server: serves the files under ./public over http on port 8080, and can do nothing else:
 * not write a file, not connect anywhere, not run a program, not read outside ./public (once
 * Landlock enforces path lists), not listen on another port.
 *
 * Usage: node dist/static-server.js [--host 127.0.0.1] [--port 8080]   (from this directory)
 * `--port` is there to show that the declaration decides: any port but 8080 is refused by the
 * kernel (Landlock); to serve on another port, change PORT below and rebuild.
 */
import { sandbox } from '@syscage/runtime';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { answerRequest, sendAnswer } from './serve.ts';

const PORT = 8080;
const ROOT = './public';
sandbox({ net: { listen: [PORT] }, fs: { read: [ROOT] } });

const { values } = parseArgs({ options: { host: { type: 'string', default: '127.0.0.1' }, port: { type: 'string', default: String(PORT) } } });
const server = createServer(async (request, response) => {
  try {
    const answer = await answerRequest(ROOT, request.method, request.url);
    console.log(`${request.method} ${request.url} ${answer.status}`);
    await sendAnswer(response, answer);
  } catch (error) {
    console.error(`${request.method} ${request.url} failed: ${error instanceof Error ? error.message : String(error)}`);
    response.destroy();
  }
});
server.on('error', (error) => {
  console.error(`static-server: ${error.message}`);
  process.exitCode = 1;
});
server.listen(Number(values.port), values.host, () => console.log(`serving ${ROOT} on http://${values.host}:${values.port}/`));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close();
    server.closeAllConnections();
  });
}
