import type { TracedeckClient } from '../../shared/api';
// window.tracedeck is declared by src/shared/preloadApi.ts (global augmentation).
import type {} from '../../shared/preloadApi';
import { postRpc } from '../client/rpcRequest';
import { decodeAnalysis, type ViewAnalysis } from './model/traceAnalysis';
import type { TraceModel } from './model/traceModel';
import type { AnalysisJob } from './analysisWorker';

/**
 * A trace's analysis, decoded for the view. In browser mode the page sends the request at once
 * (the view asks before its panels ask for theirs: at 1M spans some of those keep the server busy
 * for seconds) and only takes the answer's bytes; parsing and decoding run on a worker
 * (analysisWorker.ts), so a big answer never stalls scrolling. Through the client on the main
 * thread in the desktop app (IPC hands over a parsed object) or when that path fails.
 * Null when the trace is unknown.
 */
export async function loadAnalysis(client: TracedeckClient, traceId: string, m: TraceModel): Promise<ViewAnalysis | null> {
  if (!window.tracedeck && typeof Worker !== 'undefined') {
    const answer = await onWorker(postRpc('getTraceAnalysis', { traceId }), m).catch(() => ({ failed: true as const }));
    if ('analysis' in answer) return answer.analysis;
    if ('missing' in answer) return null;
  }
  const a = await client.call('getTraceAnalysis', { traceId });
  return a && decodeAnalysis(a, m.n, m.t0);
}

type WorkerAnswer = { analysis: ViewAnalysis } | { missing: true } | { failed: true };

async function onWorker(request: Promise<Response>, m: TraceModel): Promise<WorkerAnswer> {
  const res = await request;
  if (!res.ok) throw new Error(`getTraceAnalysis: server answered ${res.status}`);
  const job: AnalysisJob = { bytes: await res.arrayBuffer(), n: m.n, t0: m.t0 };
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
    w.postMessage(job, [job.bytes]);
  });
}
