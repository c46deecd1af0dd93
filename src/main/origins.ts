/** The app's own custom-scheme origin (see appProtocol.ts). */
export const APP_ORIGIN = 'tracedeck://app';

/**
 * `scheme://host[:port]` of a URL, or null. Not URL.origin: WHATWG gives non-special schemes
 * such as tracedeck:// the opaque origin "null", which would make every custom-scheme URL equal.
 */
export function originOf(url: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (!u.host) return null; // file:, data:, about:blank … are never the app
  return `${u.protocol}//${u.host}`;
}

/** Origins allowed to be the app: the custom scheme, or the electron-vite dev server in dev. */
export function appOrigins(devUrl: string | undefined): Set<string> {
  const origins = new Set([APP_ORIGIN]);
  const dev = devUrl ? originOf(devUrl) : null;
  if (dev) origins.add(dev);
  return origins;
}

export function isAppUrl(url: string, origins: Set<string>): boolean {
  const o = originOf(url);
  return o !== null && origins.has(o);
}
