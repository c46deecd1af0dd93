import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend, type Backend } from '../backend/handlers';
import { Workspace } from '../backend/host';
import { EVENTS_PATH, RPC_PATH, UPLOAD_PATH } from '../shared/api';
import { HttpError, sendError, sendText } from './http';
import { createRequestGuard } from './requestGuard';
import { handleEvents } from './routes/events';
import { handleOtlp, OTLP_PATH } from './routes/otlp';
import { handleRpc } from './routes/rpc';
import { handleStatic, preloadStaticAssets } from './routes/static';
import { handleUpload, UPLOAD_LIMIT } from './routes/upload';
import { setSecurityHeaders } from './securityHeaders';
import { createSessionAuth, TOKEN_PARAM, UNAUTHORIZED_MESSAGE } from './sessionAuth';

export interface ServerOptions {
  /** Open (and on close, close) this workspace with a browser-mode backend… */
  workspacePath?: string;
  /** …or serve an existing backend (the desktop app, tests). One of the two is required. */
  backend?: Backend;
  /** 0 = any free port. */
  port?: number;
  /** Loopback only: anything else would expose every stored trace to the network. */
  host?: '127.0.0.1' | 'localhost' | '::1';
  /** Built renderer to serve; default <repo>/out/web; null = API only. */
  staticDir?: string | null;
  /** Accept OTLP/HTTP traces on POST /v1/traces (default true). */
  otlp?: boolean;
  /** Serve /api/* (default true); false = an OTLP-only receiver (the desktop app uses IPC). */
  api?: boolean;
  /** appInfo version when the server creates the backend. */
  version?: string;
  /** Seconds between SSE keep-alive comments, in ms (tests shorten it). */
  sseKeepAliveMs?: number;
  /** Upload body limit in bytes (default 4 GiB). */
  uploadLimit?: number;
  /** The secret /api callers must know (default: a fresh random one per server). */
  secret?: string;
}

export interface RunningServer {
  /** The bare origin, e.g. http://127.0.0.1:4318 (the API refuses requests without the secret). */
  url: string;
  /** The address to open in a browser: `${url}/?token=SECRET`, exchanged for a session cookie. */
  openUrl: string;
  /** The per-server secret (see sessionAuth.ts): cookie `cookieName`, or `Authorization: Bearer`. */
  secret: string;
  cookieName: string;
  port: number;
  /** …/v1/traces, or null when the receiver is off. */
  otlpEndpoint: string | null;
  backend: Backend;
  /** Whether staticDir has an index.html (else only the API is useful). */
  webUiBuilt: boolean;
  close(): Promise<void>;
}

const CLOSE_GRACE_MS = 2000;

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../out/web', import.meta.url));

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  if (!opts.backend && !opts.workspacePath) throw new Error('startServer needs a workspacePath or a backend');
  const host = opts.host ?? '127.0.0.1';
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new Error(`refusing to listen on non-loopback ${host}`);
  const ownWorkspace = opts.backend ? null : Workspace.open(opts.workspacePath!);
  const backend =
    opts.backend ?? createBackend({ workspace: ownWorkspace!, mode: 'browser', version: opts.version });
  const otlp = opts.otlp ?? true;
  const keepAliveMs = opts.sseKeepAliveMs ?? 15_000;
  const staticRoot = resolveStaticRoot(opts.staticDir === undefined ? DEFAULT_STATIC_DIR : opts.staticDir);

  let port = 0;
  const guard = createRequestGuard(host, () => port);
  const auth = createSessionAuth(() => port, opts.secret);
  const streams = new Set<() => void>();

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    setSecurityHeaders(res);
    if (!guard.hostAllowed(req)) return sendText(res, 403, 'forbidden: unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const isApi = path === '/api' || path.startsWith('/api/');
    if ((isApi || path === OTLP_PATH) && !guard.originAllowed(req))
      return sendError(res, 403, 'bad-input', 'cross-origin requests are not allowed');
    if (isApi && opts.api === false) throw new HttpError(404, 'not-found', 'this server only receives OTLP traces');
    // Every API and SSE call needs the secret; the OTLP receiver and the static UI bundle do not
    // (the bundle is the same public code as the repository's build and holds no trace data).
    if (isApi && !auth.authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="tracedeck"');
      return sendError(res, 401, 'bad-input', UNAUTHORIZED_MESSAGE);
    }
    if (!isApi && path !== OTLP_PATH && url.searchParams.has(TOKEN_PARAM) && auth.exchangeToken(req, res, url)) return;

    if (path.startsWith(RPC_PATH)) return handleRpc(req, res, backend, path.slice(RPC_PATH.length));
    if (path === UPLOAD_PATH) return handleUpload(req, res, backend, url.searchParams, opts.uploadLimit ?? UPLOAD_LIMIT);
    if (path === EVENTS_PATH) {
      if (req.method !== 'GET') throw new HttpError(405, 'bad-input', 'the event stream is a GET request');
      const end = handleEvents(req, res, backend, keepAliveMs);
      streams.add(end);
      req.on('close', () => streams.delete(end));
      return;
    }
    if (path === OTLP_PATH) {
      if (!otlp) return sendText(res, 404, 'the OTLP receiver is off');
      return handleOtlp(req, res, backend);
    }
    if (isApi) throw new HttpError(404, 'not-found', `no API route ${path.slice(0, 200)}`);
    // The raw path, not the URL-normalised one: `/../x` must be refused, not quietly resolved.
    return handleStatic(req, res, staticRoot, (req.url ?? '/').split('?')[0]!);
  };

  const server = createServer((req, res) => {
    route(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        if (e.status === 413) res.setHeader('Connection', 'close');
        sendError(res, e.status, e.code, e.message);
      } else sendError(res, 500, 'failed', e instanceof Error ? e.message : String(e));
    });
  });
  // Uploads of GiB files take long: no request timeout (the server is loopback-only).
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((e) => {
    ownWorkspace?.close();
    throw e;
  });
  port = (server.address() as AddressInfo).port;
  void preloadStaticAssets(staticRoot).catch(() => undefined); // a cache: without it files stream from disk
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const otlpEndpoint = otlp ? `${url}${OTLP_PATH}` : null;
  backend.setOtlpEndpoint(otlpEndpoint);

  let closed: Promise<void> | null = null;
  return {
    url,
    openUrl: `${url}/?${TOKEN_PARAM}=${auth.secret}`,
    secret: auth.secret,
    cookieName: auth.cookieName(),
    port,
    otlpEndpoint,
    backend,
    webUiBuilt: staticRoot !== null && existsSync(join(staticRoot, 'index.html')),
    close() {
      closed ??= (async () => {
        for (const end of streams) end();
        streams.clear();
        await new Promise<void>((resolve) => {
          // Give requests in flight (an OTLP batch, an upload) a moment, then cut them. The timer
          // is not unref'd: close() is awaited, so the process must live until it is done.
          const cut = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
          server.close(() => {
            clearTimeout(cut);
            resolve();
          });
          server.closeIdleConnections();
        });
        // What the backend owns (judge runs, the preview process) stops with the server it
        // was made for; a backend passed in belongs to its owner (the desktop app closes it).
        if (!opts.backend) await backend.close();
        // Let the write queue drain (an import in flight) before closing the database.
        if (ownWorkspace) {
          await ownWorkspace.whenIdle();
          ownWorkspace.close();
        }
        backend.setOtlpEndpoint(null);
      })();
      return closed;
    },
  };
}

function resolveStaticRoot(dir: string | null): string | null {
  // Not resolved further here: a build made while serving is picked up (static.ts resolves).
  return dir ? resolve(dir) : null;
}
