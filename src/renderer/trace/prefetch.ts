import type { TraceViewData, TracedeckClient } from '../../shared/api';
import { readAnswer } from '../client/httpClient';
import { takeEarlyRequest } from '../client/earlyRequest';

/**
 * A deep link straight to a trace (#/trace/:id) should not wait for the whole app to boot before
 * asking for the trace: the columns of a 100k-span trace take the server a few hundred ms to
 * prepare, and the app's modules take about as long to load, evaluate and mount. In browser mode
 * the page's first script sends the request (client/earlyRequest.ts); in the desktop app the boot does
 * (prefetchTraceColumns). The route takes the answer over when it mounts (once: later loads
 * fetch anew).
 */
const pending = new Map<string, Promise<TraceViewData | null>>();

export function prefetchTraceColumns(client: TracedeckClient, traceId: string): void {
  const early = takeEarlyRequest('getTraceColumns', { traceId });
  const p = early ? readAnswer('getTraceColumns', early) : client.call('getTraceColumns', { traceId });
  p.catch(() => undefined); // the route reports errors when it takes the promise over
  pending.set(traceId, p);
}

export function loadTraceColumns(client: TracedeckClient, traceId: string): Promise<TraceViewData | null> {
  const p = pending.get(traceId);
  pending.delete(traceId);
  return p ?? client.call('getTraceColumns', { traceId });
}
