/// <reference lib="webworker" />
import type { TraceAnalysis } from '../../shared/traceView';
import { decodeAnalysis } from './model/traceAnalysis';

/**
 * Browser mode: parses and decodes a trace's analysis off the main thread and hands the typed
 * arrays back (transferred, not copied). At 1M spans the answer is tens of MB of JSON: parsed on
 * the main thread it would be a frame of several hundred ms, whenever it arrives. The page sends
 * the request itself (analysisLoad.ts) and passes the answer's bytes over.
 */
declare const self: DedicatedWorkerGlobalScope;

export interface AnalysisJob {
  /** The answer's UTF-8 JSON. */
  bytes: ArrayBuffer;
  n: number;
  t0: number;
}

self.onmessage = (e: MessageEvent<AnalysisJob>) => {
  const { bytes, n, t0 } = e.data;
  try {
    const a = JSON.parse(new TextDecoder().decode(bytes)) as TraceAnalysis | null;
    if (!a) return self.postMessage({ missing: true });
    const v = decodeAnalysis(a, n, t0);
    const c = v.critical;
    self.postMessage({ analysis: v }, [v.errorRows.buffer, c.onPath.buffer, c.first.buffer, c.segStart.buffer, c.segEnd.buffer]);
  } catch {
    self.postMessage({ failed: true });
  }
};
