import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../../src/server';
import { WEB_DIR } from './paths';

export interface TestServer {
  url: string;
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
  return {
    url: server.url,
    server,
    workspacePath,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
