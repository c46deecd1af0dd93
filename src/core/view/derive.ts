import type { SpanKind, SpanStatus, SpanSummary } from '../model/types';
import { SPAN_KINDS, SPAN_STATUSES } from '../model/types';
import type { TraceAnalysis, TraceColumns } from '../model/traceView';
import { encodeColumn } from '../model/columnCodec';
import type { Workspace } from '../store/workspace';
import { buildTraceTree, concurrentSiblings, effectiveEnds, indicesByStart, type TraceTree } from '../analysis/traceTree';
import { computeCriticalPath } from '../analysis/criticalPath';
import { computeTraceMetrics } from '../analysis/traceMetrics';

/**
 * What the trace view derives from a stored trace: the skeleton (summaries + tree: what analysis,
 * search and root cause work on), the encoded span columns the view loads, and the analysis.
 */

export interface Skeleton {
  spans: SpanSummary[];
  tree: TraceTree;
  index: Map<string, number>;
  t0: number;
}

export function loadSkeleton(ws: Workspace, traceId: string): Skeleton {
  return skeletonOf(ws.getSpanSummaries(traceId));
}

/** The skeleton of span summaries from anywhere: the workspace, or a file not yet stored. */
export function skeletonOf(spans: SpanSummary[]): Skeleton {
  const tree = buildTraceTree(spans);
  let t0 = Infinity;
  for (let i = 0; i < spans.length; i++) if (spans[i]!.startMs < t0) t0 = spans[i]!.startMs;
  return { spans, tree, index: tree.byId, t0: Number.isFinite(t0) ? t0 : 0 };
}

export function toColumns(sk: Skeleton): TraceColumns {
  const { spans, tree, t0 } = sk;
  const n = spans.length;
  const kindIndex = new Map<SpanKind, number>(SPAN_KINDS.map((k, i) => [k, i]));
  const statusIndex = new Map<SpanStatus, number>(SPAN_STATUSES.map((s, i) => [s, i]));
  const names = dictionary();
  const models = dictionary();
  const tools = dictionary();
  const spanId: string[] = new Array(n);
  const parent = new Int32Array(n);
  const name = new Int32Array(n);
  const kind = new Uint8Array(n);
  const status = new Uint8Array(n);
  const start = new Float64Array(n);
  const end = new Float64Array(n);
  const model = new Int32Array(n);
  const tool = new Int32Array(n);
  const uRow: number[] = [];
  const uIn: number[] = [];
  const uOut: number[] = [];
  const uCost: number[] = [];
  const other = SPAN_KINDS.indexOf('other');
  const unset = SPAN_STATUSES.indexOf('unset');
  for (let r = 0; r < n; r++) {
    const i = tree.order[r]!;
    const s = spans[i]!;
    const p = tree.parent[i]!;
    spanId[r] = s.spanId;
    parent[r] = p < 0 ? -1 : tree.rowOf[p]!;
    name[r] = names.id(s.name);
    kind[r] = kindIndex.get(s.kind) ?? other;
    status[r] = statusIndex.get(s.status) ?? unset;
    start[r] = s.startMs - t0;
    end[r] = s.endMs === null ? NaN : s.endMs - t0;
    model[r] = models.id(s.model);
    tool[r] = tools.id(s.toolName);
    if (s.inputTokens !== null || s.outputTokens !== null || s.costUsd !== null) {
      uRow.push(r);
      uIn.push(s.inputTokens ?? NaN);
      uOut.push(s.outputTokens ?? NaN);
      uCost.push(s.costUsd ?? NaN);
    }
  }
  const starts = spans.map((s) => s.startMs);
  const eff = effectiveEnds(
    tree,
    starts,
    spans.map((s) => s.endMs),
  );
  const conc = concurrentSiblings(tree, starts, eff);
  const concurrent: number[] = [];
  for (let r = 0; r < n; r++) if (conc[tree.order[r]!]) concurrent.push(r);
  return {
    n,
    t0,
    spanId,
    parent: encodeColumn(parent),
    name: encodeColumn(name),
    names: names.values,
    kind: encodeColumn(kind),
    status: encodeColumn(status),
    start: encodeColumn(start),
    end: encodeColumn(end),
    model: encodeColumn(model),
    models: models.values,
    tool: encodeColumn(tool),
    tools: tools.values,
    usage: {
      row: encodeColumn(Int32Array.from(uRow)),
      inputTokens: encodeColumn(Float64Array.from(uIn)),
      outputTokens: encodeColumn(Float64Array.from(uOut)),
      costUsd: encodeColumn(Float64Array.from(uCost)),
    },
    concurrent: encodeColumn(Int32Array.from(concurrent)),
  };
}

function dictionary() {
  const values: string[] = [];
  const ids = new Map<string, number>();
  return {
    values,
    id(v: string | null): number {
      if (v === null || v === '') return -1;
      let k = ids.get(v);
      if (k === undefined) {
        k = values.length;
        values.push(v);
        ids.set(v, k);
      }
      return k;
    },
  };
}

export function analyse(sk: Skeleton): TraceAnalysis {
  const { spans, tree, t0 } = sk;
  const metrics = computeTraceMetrics(spans, tree);
  const starts = spans.map((s) => s.startMs);
  const byStart = indicesByStart(starts);
  // Rows, not span ids: the view maps them onto its columns without an id → row index.
  const errorRows: number[] = [];
  for (let k = 0; k < byStart.length; k++) {
    const i = byStart[k]!;
    if (spans[i]!.status === 'error') errorRows.push(tree.rowOf[i]!);
  }
  const cp = computeCriticalPath(tree, { starts, ends: spans.map((s) => s.endMs) });
  const k = cp.segments.length;
  const segRow = new Int32Array(k);
  const segStart = new Float64Array(k);
  const segEnd = new Float64Array(k);
  cp.segments.forEach((seg, q) => {
    segRow[q] = tree.rowOf[seg.span]!;
    segStart[q] = seg.startMs - t0;
    segEnd[q] = seg.endMs - t0;
  });
  const criticalPath = { row: encodeColumn(segRow), start: encodeColumn(segStart), end: encodeColumn(segEnd) };
  return { metrics, errorRows: encodeColumn(Int32Array.from(errorRows)), criticalPath, t0 };
}
