/// <reference lib="webworker" />
import type { TraceAnalysis } from '../../shared/traceView';
import { postRpc } from '../client/rpcRequest';
import { decodeAnalysis } from './model/traceAnalysis';

/**
 * Browser mode: asks for a trace's analysis, reads, parses and decodes the answer off the main
 * thread and hands the typed arrays back (transferred, not copied). At 1M spans the answer is
 * ~47 MB of JSON. Parsed on the main thread it would be a frame of several hundred ms; even only
 * received there (the page reading the body into an ArrayBuffer for this worker) it was a run of
 * multi-ms tasks copying megabytes, landing in the user's first scroll. So the request is sent
 * from here, and the page only posts which trace to ask for (analysisLoad.ts). Any failure
 * answers `failed`; the view then asks on the main thread.
 */
declare const self: DedicatedWorkerGlobalScope;

export interface AnalysisJob {
  traceId: string;
  /** The model's row count and time origin (decodeAnalysis). */
  n: number;
  t0: number;
}

self.onmessage = async (e: MessageEvent<AnalysisJob>) => {
  const { traceId, n, t0 } = e.data;
  try {
    const res = await postRpc('getTraceAnalysis', { traceId });
    if (!res.ok) return self.postMessage({ failed: true });
    const a = (await res.json()) as TraceAnalysis | null;
    if (!a) return self.postMessage({ missing: true });
    const v = decodeAnalysis(a, n, t0);
    const c = v.critical;
    self.postMessage({ analysis: v }, [v.errorRows.buffer, c.onPath.buffer, c.first.buffer, c.segStart.buffer, c.segEnd.buffer]);
  } catch {
    self.postMessage({ failed: true });
  }
};
