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
 * Handlers of the trace-view methods (src/shared/traceView.ts). Per trace, three derived things:
 * the skeleton (summary columns + tree: what analysis, search and root cause work on), the
 * encoded span columns the view loads, and the analysis. All are cached in memory for the few
 * traces open at a time, and for big traces the encoded columns and analysis are also kept in
 * trace_view_cache, so reopening a 100k-span trace after a restart is one row read. Everything
 * is keyed by the trace's fingerprint: a re-import or live OTLP spans invalidate it.
 */

type TraceViewMethod = keyof TraceViewOutputs;
export type TraceViewHandlers = {
  [M in TraceViewMethod]: (input: ApiInput<M>) => TraceViewOutputs[M] | Promise<TraceViewOutputs[M]>;
};

interface Skeleton {
  spans: SpanSummary[];
  tree: TraceTree;
  index: Map<string, number>;
  t0: number;
}

interface Entry {
  fingerprint: string;
  skeleton?: Skeleton;
  columns?: TraceColumns;
  analysis?: TraceAnalysis;
}

const CACHE_SIZE = 3;

/**
 * Traces at least this big are prepared in the background as soon as an import stores them, and
 * their columns and analysis are persisted; smaller ones are computed on open in milliseconds.
 */
export const WARM_MIN_SPANS = 10_000;

export interface TraceViewService {
  handlers: TraceViewHandlers;
  /**
   * Prepare big traces now (columns + analysis, persisted): for the CLI, which exits right after
   * an import and so never runs the background warm-up the app does.
   */
  prepare(traceIds: string[]): Promise<void>;
}

export function traceViewHandlers(ws: Workspace, events?: ApiEventEmitter): TraceViewHandlers {
  return createTraceView(ws, events).handlers;
}

export function createTraceView(ws: Workspace, events?: ApiEventEmitter): TraceViewService {
  const cache = new Map<string, Entry>();
  const writes = new Set<Promise<void>>();
  const textIndex = new SpanTextIndex(ws);

  const entry = (traceId: string): Entry | null => {
    const fp = traceFingerprint(ws.readDb, traceId);
    if (fp === null) {
      cache.delete(traceId);
      return null;
    }
    let e = cache.get(traceId);
    if (!e || e.fingerprint !== fp) e = { fingerprint: fp };
    cache.delete(traceId); // (re-)insert: most recently used last
    cache.set(traceId, e);
    while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    return e;
  };

  const skeletonOf = (traceId: string, e: Entry): Skeleton => (e.skeleton ??= loadSkeleton(ws, traceId));

  const persisted = (traceId: string, e: Entry, field: 'columns' | 'analysis'): string | null => {
    const row = ws.readDb
      .prepare(`SELECT ${field} AS v FROM trace_view_cache WHERE trace_id = ? AND fingerprint = ?`)
      .get(traceId, e.fingerprint) as { v: string | null } | undefined;
    return row?.v ?? null;
  };

  const persist = (traceId: string, e: Entry, field: 'columns' | 'analysis', value: unknown): void => {
    if (skeletonSize(e) < WARM_MIN_SPANS) return;
    // After the answer is sent; through the write queue, never inside a running import.
    const write = new Promise<void>((done) => setImmediate(done)).then(() =>
      ws
        .exclusive(async () => {
          if (traceFingerprint(ws.db, traceId) !== e.fingerprint) return;
          const json = JSON.stringify(value);
          ws.db.transaction(() => {
            ws.db.prepare('DELETE FROM trace_view_cache WHERE trace_id NOT IN (SELECT id FROM traces)').run();
            ws.db
              .prepare(
                `INSERT INTO trace_view_cache (trace_id, fingerprint, ${field}) VALUES (?, ?, ?)
                 ON CONFLICT (trace_id) DO UPDATE SET
                   ${field === 'columns' ? 'analysis' : 'columns'} =
                     CASE WHEN fingerprint = excluded.fingerprint THEN ${field === 'columns' ? 'analysis' : 'columns'} END,
                   fingerprint = excluded.fingerprint,
                   ${field} = excluded.${field}`,
              )
              .run(traceId, e.fingerprint, json);
          })();
        })
        .catch(() => undefined), // a cache: failing to write it changes nothing
    );
    writes.add(write);
    void write.finally(() => writes.delete(write));
  };

  const columnsOf = (traceId: string, e: Entry): TraceColumns => {
    if (e.columns) return e.columns;
    const stored = persisted(traceId, e, 'columns');
    if (stored) return (e.columns = JSON.parse(stored) as TraceColumns);
    e.columns = toColumns(skeletonOf(traceId, e));
    persist(traceId, e, 'columns', e.columns);
    return e.columns;
  };

  const analysisOf = (traceId: string, e: Entry): TraceAnalysis => {
    if (e.analysis) return e.analysis;
    const stored = persisted(traceId, e, 'analysis');
    if (stored) return (e.analysis = JSON.parse(stored) as TraceAnalysis);
    e.analysis = analyse(skeletonOf(traceId, e));
    persist(traceId, e, 'analysis', e.analysis);
    return e.analysis;
  };

  /** Columns and analysis of a big trace, computed and queued for persisting; false if small/gone. */
  const prepareOne = (traceId: string): boolean => {
    if (!ws.db.open) return false;
    const n = ws.readDb.prepare('SELECT span_count AS n FROM traces WHERE id = ?').get(traceId) as
      | { n: number }
      | undefined;
    if (!n || n.n < WARM_MIN_SPANS) return false;
    const e = entry(traceId);
    if (!e) return false;
    columnsOf(traceId, e);
    analysisOf(traceId, e);
    return true;
  };

  // Opening a 100k-span trace right after importing it is the common path: prepare its columns,
  // analysis and text index while the user is still looking at the library.
  let warming = Promise.resolve();
  /** Queues background work on a trace, one trace at a time, after `delayMs`. */
  const warm = (_traceId: string, delayMs: number, work: () => Promise<void> | void): void => {
    warming = warming
      .then(async () => {
        // Unref'd: a CLI import must exit at once, not wait for this; it closes the workspace.
        await new Promise((r) => setTimeout(r, delayMs).unref?.());
        if (ws.db.open) await work();
      })
      .catch(() => undefined);
  };
  const warmTextIndex = async (traceId: string): Promise<void> => {
    const e = ws.db.open ? entry(traceId) : null;
    if (e) await textIndex.ensure(traceId, e.fingerprint);
  };
  events?.subscribe((ev) => {
    if (ev.type !== 'traces-changed') return;
    for (const traceId of ev.traceIds) {
      if (ev.reason === 'delete') {
        cache.delete(traceId);
        continue;
      }
      warm(traceId, 300, async () => {
        if (!prepareOne(traceId)) return;
        await new Promise((r) => setImmediate(r));
        await warmTextIndex(traceId);
      });
    }
  });

  const prepare = async (traceIds: string[]): Promise<void> => {
    for (const id of traceIds) prepareOne(id);
    await Promise.all([...writes]);
  };

  const handlers: TraceViewHandlers = {
    getTraceColumns: ({ traceId }) => {
      const t = ws.getTrace(traceId);
      const e = t && entry(traceId);
      if (!t || !e) return null;
      const { meta, ...summary } = t;
      const data: TraceViewData = { summary, meta, columns: columnsOf(traceId, e) };
      // A big trace imported elsewhere (`tracedeck import`, another server) has no text index
      // yet: build it in the background once the view is on screen, so the first search finds
      // it ready instead of starting seconds of indexing after the user's last key.
      if (data.columns.n >= WARM_MIN_SPANS && !textIndex.isReady(traceId, e.fingerprint)) {
        warm(traceId, 1000, () => warmTextIndex(traceId));
      }
      return data;
    },

    getTraceAnalysis: ({ traceId }) => {
      const e = entry(traceId);
      return e ? analysisOf(traceId, e) : null;
    },

    getRootCause: ({ traceId, spanId }) => {
      const e = entry(traceId);
      if (!e) return null;
      const sk = skeletonOf(traceId, e);
      const target = sk.index.get(spanId);
      if (target === undefined) return null;
      return computeRootCause(sk.spans, sk.tree, target, (i) => ws.getSpan(traceId, sk.spans[i]!.spanId));
    },

    searchSpans: (input) => {
      const e = entry(input.traceId);
      if (!e) return { spanIds: [], indexed: false, tookMs: 0 };
      const sk = skeletonOf(input.traceId, e);
      return searchSpans(ws, textIndex, input, sk.spans, sk.tree);
    },
  };
  return { handlers, prepare };
}

function skeletonSize(e: Entry): number {
  return e.skeleton?.spans.length ?? e.columns?.n ?? 0;
}

function loadSkeleton(ws: Workspace, traceId: string): Skeleton {
  const spans = ws.getSpanSummaries(traceId);
  const tree = buildTraceTree(spans);
  let t0 = Infinity;
  for (let i = 0; i < spans.length; i++) if (spans[i]!.startMs < t0) t0 = spans[i]!.startMs;
  return { spans, tree, index: tree.byId, t0: Number.isFinite(t0) ? t0 : 0 };
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
