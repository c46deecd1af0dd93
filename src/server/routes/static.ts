import { createReadStream, promises as fsp } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, posix, sep } from 'node:path';
import { sendText } from '../http';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Vite's hashed assets never change under their name: those up to this size are read into memory
 * when the server starts (preloadStaticAssets; a few MB, the big editor workers stay on disk) and
 * each is sent in one write in the tick its request arrives, with no file system round trip. So
 * the app's code is not queued behind a big API answer the page asked for at the same moment (a
 * trace's columns: see renderer/client/earlyRequest.ts).
 */
const PRELOAD_MAX_BYTES = 2 * 1024 * 1024;
const preloaded = new Map<string, Buffer>();
const preloadKey = (root: string, rel: string) => `${root}\0${rel}`;

export async function preloadStaticAssets(root: string | null): Promise<void> {
  if (!root) return;
  let names: string[];
  try {
    names = await fsp.readdir(join(root, 'assets'));
  } catch {
    return; // not built: handleStatic says so
  }
  // All at once (the file system's thread pool reads them in parallel): the page asks for its
  // code a few tens of ms after the server is up.
  await Promise.all(
    names
      .filter((name) => !name.endsWith('.map'))
      .map(async (name) => {
        const rel = `assets/${name}`;
        const file = await servable(root, rel);
        if (file && file.size <= PRELOAD_MAX_BYTES) preloaded.set(preloadKey(root, rel), await fsp.readFile(file.path));
      }),
  );
}

const BUILD_HINT = 'The web UI is not built: run `npm run build:web` (the API still works).';

/**
 * Serves the built renderer. Only files below `root` (after resolving symlinks) are served;
 * `..`, backslashes and NUL are refused outright rather than normalised away. Paths without an
 * extension fall back to index.html (client-side routes).
 */
export async function handleStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string | null,
  pathname: string,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', { Allow: 'GET, HEAD' });
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return sendText(res, 400, 'malformed path');
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..'))
    return sendText(res, 403, 'forbidden');
  if (!root) return sendText(res, 404, 'not found: this server has no web UI (API only)');

  const rel = posix.normalize(decoded).replace(/^\/+/, '');
  const cached = preloaded.get(preloadKey(root, rel));
  if (cached) {
    res.writeHead(200, {
      'Content-Type': MIME[extname(rel).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': cached.length,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
    return void res.end(req.method === 'HEAD' ? undefined : cached);
  }
  let file = await servable(root, rel === '' ? 'index.html' : rel);
  if (!file && !extname(rel)) file = await servable(root, 'index.html');
  if (!file) {
    const indexMissing = !(await servable(root, 'index.html'));
    return sendText(res, 404, indexMissing ? BUILD_HINT : 'not found');
  }
  const type = MIME[extname(file.path).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, {
    'Content-Type': type,
    'Content-Length': file.size,
    // Vite's hashed assets never change under their name; index.html must always revalidate.
    'Cache-Control': rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') return void res.end();
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** A regular file at root/rel whose real path is still inside root, or null. */
async function servable(root: string, rel: string): Promise<{ path: string; size: number } | null> {
  try {
    const realRoot = await fsp.realpath(root);
    const real = await fsp.realpath(join(realRoot, rel));
    if (!real.startsWith(realRoot + sep)) return null;
    const st = await fsp.stat(real);
    return st.isFile() ? { path: real, size: st.size } : null;
  } catch {
    return null;
  }
}
