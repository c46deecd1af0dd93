import type { TraceAnalysis, TraceMetrics } from '../../../shared/traceView';
import { decodeFloat64, decodeInt32 } from '../../../shared/columnCodec';

/**
 * The analysis as the view holds it, decoded from the answer (which at 1M spans is tens of MB of
 * text, a critical path of over a million segments): plain typed arrays, no object per row.
 * Pure and import-light: it runs on the analysis worker (analysisWorker.ts) as well.
 */
export interface ViewAnalysis {
  metrics: TraceMetrics;
  /** Error rows by start time. */
  errorRows: Int32Array;
  critical: CriticalRows;
}

/** Critical path on rows: per-row flag and per-row segments (time-ordered within a row). */
export interface CriticalRows {
  onPath: Uint8Array;
  /** Segments of row r: k in [first[r], first[r + 1]), each [segStart[k], segEnd[k]] in ms since the model's t0. */
  first: Int32Array;
  segStart: Float64Array;
  segEnd: Float64Array;
}

/** `n` and `t0` are the model's (rows outside [0, n) are dropped). */
export function decodeAnalysis(a: TraceAnalysis, n: number, t0: number): ViewAnalysis {
  const errorRows = decodeInt32(a.errorRows).filter((r) => r >= 0 && r < n);
  return { metrics: a.metrics, errorRows, critical: criticalRows(a, n, t0) };
}

function criticalRows(a: TraceAnalysis, n: number, t0: number): CriticalRows {
  const onPath = new Uint8Array(n);
  const shift = a.t0 - t0;
  const row = decodeInt32(a.criticalPath.row);
  const start = decodeFloat64(a.criticalPath.start);
  const end = decodeFloat64(a.criticalPath.end);
  // Counting sort of the segments by row (stable: each row's segments stay in time order).
  const first = new Int32Array(n + 1);
  for (let k = 0; k < row.length; k++) {
    const r = row[k]!;
    if (r >= 0 && r < n) first[r + 1]!++;
  }
  for (let r = 0; r < n; r++) first[r + 1]! += first[r]!;
  const at = first.slice(0, n);
  const segStart = new Float64Array(first[n]!);
  const segEnd = new Float64Array(first[n]!);
  for (let k = 0; k < row.length; k++) {
    const r = row[k]!;
    if (r < 0 || r >= n) continue;
    onPath[r] = 1;
    const q = at[r]!++;
    segStart[q] = start[k]! + shift;
    segEnd[q] = end[k]! + shift;
  }
  return { onPath, first, segStart, segEnd };
}
