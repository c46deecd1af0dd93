import { net, protocol } from 'electron';
import { extname, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONTENT_SECURITY_POLICY } from '../server/securityHeaders';

/**
 * The packaged renderer is served from `tracedeck://app/…` instead of file://: a real origin
 * (so IPC senders can be checked against it and file:// pages cannot pose as the app), and a
 * place to attach the CSP header to every response.
 */
export const APP_SCHEME = 'tracedeck';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
};

/** Must run before app 'ready'. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
  ]);
}

/** Serve files under `root` only; anything resolving outside it (../, encoded or not) is 404. */
export function handleAppScheme(root: string): void {
  const base = resolve(root);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== 'app') return new Response('not found', { status: 404 });
    let pathname: string;
    try {
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return new Response('bad path', { status: 400 });
    }
    const file = resolve(base, `.${pathname === '/' ? '/index.html' : pathname}`);
    const rel = relative(base, file);
    if (rel.startsWith('..') || rel.includes(`..${sep}`) || resolve(base, rel) !== file) {
      return new Response('not found', { status: 404 });
    }
    const res = await net.fetch(pathToFileURL(file).toString());
    if (!res.ok) return new Response('not found', { status: 404 });
    const headers = new Headers({
      'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
    });
    return new Response(res.body, { status: 200, headers });
  });
}
