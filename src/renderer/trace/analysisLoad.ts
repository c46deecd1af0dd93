import type { TracedeckClient } from '../../shared/api';
// window.tracedeck is declared by src/shared/preloadApi.ts (global augmentation).
import type {} from '../../shared/preloadApi';
import { decodeAnalysis, type ViewAnalysis } from './model/traceAnalysis';
import type { TraceModel } from './model/traceModel';
import type { AnalysisJob } from './analysisWorker';

/**
 * A trace's analysis, decoded for the view. In browser mode a worker (analysisWorker.ts) sends
 * the request and reads, parses and decodes the answer, so a big answer (tens of MB at 1M spans)
 * touches the main thread only as a few transferred typed arrays. Through the client on the main
 * thread in the desktop app (IPC hands over a parsed object) or when that path fails.
 * Null when the trace is unknown.
 */
export async function loadAnalysis(client: TracedeckClient, traceId: string, m: TraceModel): Promise<ViewAnalysis | null> {
  if (workersUsed()) {
    const answer = await onWorker({ traceId, n: m.n, t0: m.t0 }).catch(() => ({ failed: true as const }));
    if ('analysis' in answer) return answer.analysis;
    if ('missing' in answer) return null;
  }
  const a = await client.call('getTraceAnalysis', { traceId });
  return a && decodeAnalysis(a, m.n, m.t0);
}

/**
 * Starts the worker of the next loadAnalysis while the trace's columns are still on their way.
 * The view asks for the analysis as it mounts, before its panels ask for theirs (at 1M spans some
 * of those keep the server busy for seconds, and it answers in the order it is asked): a worker
 * already running sends the request at once, one still loading its script might send it after them.
 */
export function warmAnalysisWorker(): void {
  if (workersUsed()) spare ??= startWorker();
}

type WorkerAnswer = { analysis: ViewAnalysis } | { missing: true } | { failed: true };

/** A started worker; `failed` once it reported an error before it was given a job. */
interface Started {
  worker: Worker;
  failed: boolean;
}

let spare: Started | null = null;

function workersUsed(): boolean {
  return !window.tracedeck && typeof Worker !== 'undefined';
}

function startWorker(): Started {
  const s = { worker: new Worker(new URL('./analysisWorker.ts', import.meta.url), { type: 'module' }), failed: false };
  s.worker.onerror = () => (s.failed = true);
  return s;
}

function onWorker(job: AnalysisJob): Promise<WorkerAnswer> {
  let s = spare;
  spare = null;
  if (!s || s.failed) {
    s?.worker.terminate();
    s = startWorker();
  }
  const w = s.worker;
  return new Promise((resolve, reject) => {
    w.onmessage = (e: MessageEvent<WorkerAnswer>) => {
      w.terminate();
      resolve(e.data);
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage(job);
  });
}
