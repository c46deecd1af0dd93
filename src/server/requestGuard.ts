import type { IncomingMessage } from 'node:http';

/**
 * Who may talk to the server. It listens on loopback only, but a web page in the user's browser
 * can still aim requests at it: via DNS rebinding (a hostile name resolving to 127.0.0.1 — caught
 * by the Host check) or as a cross-site POST (caught by the Origin check).
 */
export interface RequestGuard {
  /** Host header names this server (127.0.0.1:PORT / localhost:PORT). */
  hostAllowed(req: IncomingMessage): boolean;
  /** No Origin (CLI tools, exporters) or an Origin that is this server itself. */
  originAllowed(req: IncomingMessage): boolean;
}

export function createRequestGuard(host: string, port: () => number): RequestGuard {
  const names = () => {
    const p = port();
    const hosts = new Set([`127.0.0.1:${p}`, `localhost:${p}`]);
    hosts.add(host.includes(':') ? `[${host}]:${p}` : `${host}:${p}`);
    return hosts;
  };
  return {
    hostAllowed(req) {
      const h = req.headers.host;
      return typeof h === 'string' && names().has(h.toLowerCase());
    },
    originAllowed(req) {
      const origin = req.headers.origin;
      if (origin === undefined) {
        // Browsers that omit Origin still say where a request came from here.
        const site = req.headers['sec-fetch-site'];
        return site === undefined || site === 'same-origin' || site === 'none';
      }
      for (const h of names()) if (origin.toLowerCase() === `http://${h}`) return true;
      return false;
    },
  };
}
