/**
 * The Vite dev server with the syscage plugin, for `test/plugin/` (vite resolves from this
 * package): serves a module the way the dev server does (`transformRequest`, SSR and not), never
 * runs it, and collects what the server logged as warnings.
 */
import { createServer } from 'vite';
import vitePlugin from '../src/vite.ts';

/** What the dev server made of `url` on each request, and its warnings. */
export async function serveInDevServer(app: string, url: string, requests: ReadonlyArray<{ ssr: boolean }>): Promise<{ codes: string[]; warnings: string[] }> {
  const warnings: string[] = [];
  const logger = { info: () => undefined, warn: (m: string) => void warnings.push(m), warnOnce: (m: string) => void warnings.push(m), error: () => undefined, clearScreen: () => undefined, hasErrorLogged: () => false, hasWarned: false };
  const server = await createServer({ root: app, configFile: false, logLevel: 'silent', customLogger: logger, plugins: [vitePlugin({ root: app })], server: { middlewareMode: true, hmr: false, ws: false, watch: null } });
  try {
    const codes: string[] = [];
    for (const { ssr } of requests) codes.push((await server.transformRequest(url, { ssr }))?.code ?? '');
    return { codes, warnings };
  } finally {
    await server.close();
  }
}
