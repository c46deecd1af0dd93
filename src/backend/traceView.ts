import type { SpanKind, SpanStatus, SpanSummary } from '../core/model/types';
import { SPAN_KINDS, SPAN_STATUSES } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import { buildTraceTree, concurrentSiblings, effectiveEnds, indicesByStart, type TraceTree } from '../core/analysis/traceTree';
import { computeCriticalPath } from '../core/analysis/criticalPath';
import { computeTraceMetrics } from '../core/analysis/traceMetrics';
import { computeRootCause } from '../core/analysis/rootCause';
import type { ApiInput, TraceAnalysis, TraceColumns, TraceViewData, TraceViewOutputs } from '../shared/api';
import { encodeColumn } from '../shared/columnCodec';
import { searchSpans } from './spanSearch';
import { SpanTextIndex, traceFingerprint } from './spanTextIndex';
import type { ApiEventEmitter } from './events';

/**
 * Handlers of the trace-view methods (src/shared/traceView.ts). A trace's skeleton (summary
 * columns + tree) is read once and cached for the few traces open at a time, so opening,
 * analysing, searching and root-causing a 100k-span trace share one read. The cache entry is
 * keyed by a fingerprint of the trace row, so a re-import or live OTLP spans invalidate it.
 */

type TraceViewMethod = keyof TraceViewOutputs;
export type TraceViewHandlers = {
  [M in TraceViewMethod]: (input: ApiInput<M>) => TraceViewOutputs[M] | Promise<TraceViewOutputs[M]>;
};

interface Skeleton {
  fingerprint: string;
  spans: SpanSummary[];
  tree: TraceTree;
  index: Map<string, number>;
  t0: number;
  columns?: TraceColumns;
  analysis?: TraceAnalysis;
}

const CACHE_SIZE = 3;

/** Traces at least this big are prepared in the background as soon as an import stores them. */
export const WARM_MIN_SPANS = 10_000;

export function traceViewHandlers(ws: Workspace, events?: ApiEventEmitter): TraceViewHandlers {
  const cache = new Map<string, Skeleton>();
  const textIndex = new SpanTextIndex(ws);

  const fingerprintOf = (traceId: string): string | null => traceFingerprint(ws.readDb, traceId);

  const skeleton = (traceId: string): Skeleton | null => {
    const fp = fingerprintOf(traceId);
    if (fp === null) {
      cache.delete(traceId);
      return null;
    }
    const hit = cache.get(traceId);
    if (hit && hit.fingerprint === fp) {
      cache.delete(traceId); // re-insert: most recently used last
      cache.set(traceId, hit);
      return hit;
    }
    const spans = ws.getSpanSummaries(traceId);
    const tree = buildTraceTree(spans);
    const index = new Map<string, number>();
    let t0 = Infinity;
    for (let i = 0; i < spans.length; i++) {
      index.set(spans[i]!.spanId, i);
      if (spans[i]!.startMs < t0) t0 = spans[i]!.startMs;
    }
    const sk: Skeleton = { fingerprint: fp, spans, tree, index, t0: Number.isFinite(t0) ? t0 : 0 };
    cache.set(traceId, sk);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return sk;
  };

  // Opening a 100k-span trace right after importing it is the common path: read its skeleton,
  // columns, analysis and text index while the user is still looking at the library.
  let warming = Promise.resolve();
  events?.subscribe((e) => {
    if (e.type !== 'traces-changed') return;
    for (const traceId of e.traceIds) {
      if (e.reason === 'delete') {
        cache.delete(traceId);
        continue;
      }
      warming = warming.then(async () => {
        await new Promise((r) => setTimeout(r, 20));
        const n = ws.readDb.prepare('SELECT span_count AS n FROM traces WHERE id = ?').get(traceId) as { n: number } | undefined;
        if (!n || n.n < WARM_MIN_SPANS) return;
        const sk = skeleton(traceId);
        if (!sk) return;
        sk.columns ??= toColumns(sk);
        await new Promise((r) => setImmediate(r));
        sk.analysis ??= analyse(sk);
        await textIndex.ensure(traceId, sk.fingerprint);
      }).catch(() => undefined);
    }
  });

  return {
    getTraceColumns: ({ traceId }) => {
      const t = ws.getTrace(traceId);
      const sk = t && skeleton(traceId);
      if (!t || !sk) return null;
      const { meta, ...summary } = t;
      sk.columns ??= toColumns(sk);
      const data: TraceViewData = { summary, meta, columns: sk.columns };
      return data;
    },

    getTraceAnalysis: ({ traceId }) => {
      const sk = skeleton(traceId);
      if (!sk) return null;
      sk.analysis ??= analyse(sk);
      return sk.analysis;
    },

    getRootCause: ({ traceId, spanId }) => {
      const sk = skeleton(traceId);
      const target = sk?.index.get(spanId);
      if (!sk || target === undefined) return null;
      return computeRootCause(sk.spans, sk.tree, target, (i) => ws.getSpan(traceId, sk.spans[i]!.spanId));
    },

    searchSpans: (input) => {
      const sk = skeleton(input.traceId);
      if (!sk) return { spanIds: [], indexed: false, tookMs: 0 };
      return searchSpans(ws, textIndex, input, sk.spans, sk.tree);
    },
  };
}

function toColumns(sk: Skeleton): TraceColumns {
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

function analyse(sk: Skeleton): TraceAnalysis {
  const { spans, tree, t0 } = sk;
  const metrics = computeTraceMetrics(spans, tree);
  const starts = spans.map((s) => s.startMs);
  const byStart = indicesByStart(starts);
  const errorSpanIds: string[] = [];
  for (let k = 0; k < byStart.length; k++) {
    const s = spans[byStart[k]!]!;
    if (s.status === 'error') errorSpanIds.push(s.spanId);
  }
  const cp = computeCriticalPath(tree, { starts, ends: spans.map((s) => s.endMs) });
  const pathIndex = new Map<number, number>();
  const spanIds: string[] = [];
  const k = cp.segments.length;
  const segSpan = new Int32Array(k);
  const segStart = new Float64Array(k);
  const segEnd = new Float64Array(k);
  cp.segments.forEach((seg, q) => {
    let idx = pathIndex.get(seg.span);
    if (idx === undefined) {
      idx = spanIds.length;
      spanIds.push(spans[seg.span]!.spanId);
      pathIndex.set(seg.span, idx);
    }
    segSpan[q] = idx;
    segStart[q] = seg.startMs - t0;
    segEnd[q] = seg.endMs - t0;
  });
  const criticalPath = {
    spanIds,
    span: encodeColumn(segSpan),
    start: encodeColumn(segStart),
    end: encodeColumn(segEnd),
  };
  return { metrics, errorSpanIds, criticalPath, t0 };
}
