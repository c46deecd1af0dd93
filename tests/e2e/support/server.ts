import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src/server';
import { WEB_DIR } from './paths';

/**
 * The session cookie of each running test server, by origin: openPage gives it to the browser
 * context, so tests behave as a user who opened the printed address once. Tests of the token
 * exchange itself use `openPage(browser, url, { authenticated: false })`.
 */
const sessions = new Map<string, { name: string; value: string }>();

export function sessionCookieFor(origin: string): { name: string; value: string } | undefined {
  return sessions.get(origin);
}

export interface TestServer {
  /** The bare origin: `page.goto(url + '/#/…')` works in pages from openPage (it holds the cookie). */
  url: string;
  /** The address `tracedeck serve` prints: `${url}/?token=SECRET` (exchanged for the cookie). */
  openUrl: string;
  /** Headers that open the API to Node-side requests: `fetch(url + '/api/…', { headers: authHeaders })`. */
  authHeaders: Record<string, string>;
  server: RunningServer;
  workspacePath: string;
  close(): Promise<void>;
}

/**
 * What `tracedeck serve --port 0` does, in-process: a fresh temp workspace, any free port, the
 * built web UI. In-process keeps the backend observable from the test (server.backend).
 */
export async function startTestServer(): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-e2e-'));
  const workspacePath = join(dir, 'workspace.tracedeck');
  const server = await startServer({
    workspacePath,
    port: 0,
    host: '127.0.0.1',
    staticDir: WEB_DIR,
    otlp: true,
    version: '0.0.0-e2e',
    sseKeepAliveMs: 1000,
  });
  if (!server.webUiBuilt) throw new Error(`no web UI in ${WEB_DIR}: globalSetup should have built it`);
  sessions.set(new URL(server.url).origin, { name: server.cookieName, value: server.secret });
  return {
    url: server.url,
    openUrl: server.openUrl,
    authHeaders: { authorization: `Bearer ${server.secret}` },
    server,
    workspacePath,
    async close() {
      sessions.delete(new URL(server.url).origin);
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
