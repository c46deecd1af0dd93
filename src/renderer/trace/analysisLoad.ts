import type { TracedeckClient } from '../../shared/api';
// window.tracedeck is declared by src/shared/preloadApi.ts (global augmentation).
import type {} from '../../shared/preloadApi';
import { decodeAnalysis, type ViewAnalysis } from './model/traceAnalysis';
import type { TraceModel } from './model/traceModel';
import type { AnalysisRequest } from './analysisWorker';

/**
 * A trace's analysis, decoded for the view: in browser mode fetched and decoded on a worker
 * (analysisWorker.ts), so a big answer never stalls scrolling; through the client on the main
 * thread in the desktop app (IPC hands over a parsed object) or when the worker fails.
 * Null when the trace is unknown.
 */
export async function loadAnalysis(client: TracedeckClient, traceId: string, m: TraceModel): Promise<ViewAnalysis | null> {
  if (!window.tracedeck && typeof Worker !== 'undefined') {
    const answer = await onWorker({ traceId, n: m.n, t0: m.t0 }).catch(() => ({ failed: true as const }));
    if ('analysis' in answer) return answer.analysis;
    if ('missing' in answer) return null;
  }
  const a = await client.call('getTraceAnalysis', { traceId });
  return a && decodeAnalysis(a, m.n, m.t0);
}

type WorkerAnswer = { analysis: ViewAnalysis } | { missing: true } | { failed: true };

function onWorker(req: AnalysisRequest): Promise<WorkerAnswer> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./analysisWorker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<WorkerAnswer>) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage(req);
  });
}
