// window.tracedeck is declared by src/shared/preloadApi.ts (global augmentation).
import type {} from '../../shared/preloadApi';
import { postRpc } from './rpcRequest';

/**
 * Browser mode: the page's first script (main.tsx, a few kB) sends the first request the opened
 * page needs — a trace's columns on a deep link, the library's first page otherwise — before the
 * app's code (most of a MB) is loaded and evaluated, so the server answers meanwhile. The view
 * takes the request over when the app boots (trace/prefetch.ts, library/useTracePages.ts).
 * The desktop app loads its code from disk and asks through IPC once booted.
 */
let early: { method: string; key: string; response: Promise<Response> } | null = null;

export function startEarlyRequest(method: string, input: unknown): void {
  if (window.tracedeck) return;
  const response = postRpc(method, input);
  response.catch(() => undefined); // the view reports errors when it takes the request over
  early = { method, key: JSON.stringify(input), response };
}

/** The early request, if it is this one (same method and input), once; null otherwise. */
export function takeEarlyRequest(method: string, input: unknown): Promise<Response> | null {
  const e = early;
  early = null;
  return e && e.method === method && e.key === JSON.stringify(input) ? e.response : null;
}
