import type { SpanKind, SpanStatus, SpanSummary } from '../core/model/types';
import { SPAN_KINDS, SPAN_STATUSES } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import { buildTraceTree, concurrentSiblings, effectiveEnds, indicesByStart, type TraceTree } from '../core/analysis/traceTree';
import { computeCriticalPath } from '../core/analysis/criticalPath';
import { computeTraceMetrics } from '../core/analysis/traceMetrics';
import { computeRootCause } from '../core/analysis/rootCause';
import type { ApiInput, TraceAnalysis, TraceColumns, TraceViewData, TraceViewOutputs } from '../shared/api';
import { searchSpans } from './spanSearch';
import { SpanTextIndex, traceFingerprint } from './spanTextIndex';

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
  analysis?: TraceAnalysis;
}

const CACHE_SIZE = 3;

export function traceViewHandlers(ws: Workspace): TraceViewHandlers {
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

  return {
    getTraceColumns: ({ traceId }) => {
      const t = ws.getTrace(traceId);
      const sk = t && skeleton(traceId);
      if (!t || !sk) return null;
      const { meta, ...summary } = t;
      const data: TraceViewData = { summary, meta, columns: toColumns(sk) };
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

const round3 = (x: number) => Math.round(x * 1000) / 1000;

function toColumns(sk: Skeleton): TraceColumns {
  const { spans, tree, t0 } = sk;
  const n = spans.length;
  const kindIndex = new Map<SpanKind, number>(SPAN_KINDS.map((k, i) => [k, i]));
  const statusIndex = new Map<SpanStatus, number>(SPAN_STATUSES.map((s, i) => [s, i]));
  const dict = () => {
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
  };
  const names = dict();
  const models = dict();
  const tools = dict();
  const c: TraceColumns = {
    n,
    t0,
    spanId: new Array(n),
    parent: new Array(n),
    name: new Array(n),
    names: names.values,
    kind: new Array(n),
    status: new Array(n),
    start: new Array(n),
    end: new Array(n),
    model: new Array(n),
    models: models.values,
    tool: new Array(n),
    tools: tools.values,
    usage: { row: [], inputTokens: [], outputTokens: [], costUsd: [] },
    concurrent: [],
  };
  for (let r = 0; r < n; r++) {
    const i = tree.order[r]!;
    const s = spans[i]!;
    const p = tree.parent[i]!;
    c.spanId[r] = s.spanId;
    c.parent[r] = p < 0 ? -1 : tree.rowOf[p]!;
    c.name[r] = names.id(s.name);
    c.kind[r] = kindIndex.get(s.kind) ?? SPAN_KINDS.indexOf('other');
    c.status[r] = statusIndex.get(s.status) ?? SPAN_STATUSES.indexOf('unset');
    c.start[r] = round3(s.startMs - t0);
    c.end[r] = s.endMs === null ? null : round3(s.endMs - t0);
    c.model[r] = models.id(s.model);
    c.tool[r] = tools.id(s.toolName);
    if (s.inputTokens !== null || s.outputTokens !== null || s.costUsd !== null) {
      c.usage.row.push(r);
      c.usage.inputTokens.push(s.inputTokens);
      c.usage.outputTokens.push(s.outputTokens);
      c.usage.costUsd.push(s.costUsd);
    }
  }
  const starts = spans.map((s) => s.startMs);
  const eff = effectiveEnds(
    tree,
    starts,
    spans.map((s) => s.endMs),
  );
  const conc = concurrentSiblings(tree, starts, eff);
  for (let r = 0; r < n; r++) if (conc[tree.order[r]!]) c.concurrent.push(r);
  return c;
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
  const segments = { span: [] as number[], start: [] as number[], end: [] as number[] };
  for (const seg of cp.segments) {
    let k = pathIndex.get(seg.span);
    if (k === undefined) {
      k = spanIds.length;
      spanIds.push(spans[seg.span]!.spanId);
      pathIndex.set(seg.span, k);
    }
    segments.span.push(k);
    segments.start.push(round3(seg.startMs - t0));
    segments.end.push(round3(seg.endMs - t0));
  }
  return { metrics, errorSpanIds, criticalPath: { spanIds, segments }, t0 };
}
