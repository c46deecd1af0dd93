// window.tracedeck is declared by src/shared/preloadApi.ts (global augmentation).
import type {} from '../../shared/preloadApi';
import { postRpc } from '../client/rpcRequest';

/**
 * Browser mode, opened on a trace's deep link: the page's first script (main.tsx, a few kB) asks
 * for the trace's columns before the app's code (most of a MB) is loaded and evaluated, so the
 * server prepares the answer meanwhile. The trace route takes the request over (prefetch.ts).
 * The desktop app loads its code from disk and asks through IPC once booted.
 */
let early: { traceId: string; response: Promise<Response> } | null = null;

export function startEarlyTraceFetch(traceId: string): void {
  if (window.tracedeck) return;
  const response = postRpc('getTraceColumns', { traceId });
  response.catch(() => undefined); // the route reports errors when it takes the request over
  early = { traceId, response };
}

/** The early request for this trace, once (later loads fetch anew); null when there is none. */
export function takeEarlyTraceFetch(traceId: string): Promise<Response> | null {
  const e = early;
  early = null;
  return e?.traceId === traceId ? e.response : null;
}
