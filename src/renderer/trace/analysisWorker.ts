/// <reference lib="webworker" />
import type { TraceAnalysis } from '../../shared/traceView';
import { postRpc } from '../client/rpcRequest';
import { decodeAnalysis } from './model/traceAnalysis';

/**
 * Browser mode: fetches a trace's analysis, parses and decodes it off the main thread, and hands
 * the typed arrays over (transferred, not copied). At 1M spans the answer is tens of MB of JSON:
 * parsed on the main thread it would be a frame of several hundred ms, whenever it arrives.
 * Any failure answers null; the view then asks on the main thread (analysisLoad.ts).
 */
declare const self: DedicatedWorkerGlobalScope;

export interface AnalysisRequest {
  traceId: string;
  n: number;
  t0: number;
}

self.onmessage = async (e: MessageEvent<AnalysisRequest>) => {
  const { traceId, n, t0 } = e.data;
  try {
    const res = await postRpc('getTraceAnalysis', { traceId });
    if (!res.ok) throw new Error(String(res.status));
    const a = JSON.parse(await res.text()) as TraceAnalysis | null;
    if (!a) return self.postMessage({ missing: true });
    const v = decodeAnalysis(a, n, t0);
    const c = v.critical;
    self.postMessage({ analysis: v }, [v.errorRows.buffer, c.onPath.buffer, c.first.buffer, c.segStart.buffer, c.segEnd.buffer]);
  } catch {
    self.postMessage({ failed: true });
  }
};
