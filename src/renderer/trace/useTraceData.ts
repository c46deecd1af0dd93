import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Span, TraceMetrics } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { filterKey, localMatches, needsServer, toSpanFilter, type FilterState } from './filter/filterState';
import { STATUS_ERROR, type TraceModel } from './model/traceModel';
import type { CriticalRows } from './model/traceAnalysis';
import { loadAnalysis } from './analysisLoad';
import type { SpanNoteMark } from './SpanTree';

/**
 * The trace view's data hooks: what it fetches from the backend beyond the columns it opened
 * with. Each one is keyed by the trace and drops answers that arrive after the inputs changed.
 */

/**
 * Metrics, errors and critical path, asked for as the view mounts (a layout effect: before the
 * panels' requests, which run as passive effects) and decoded off the main thread where it can be
 * (analysisLoad.ts); the first paint does not wait for them.
 */
export function useTraceAnalysis(traceId: string, m: TraceModel) {
  const client = useClient();
  const [analysis, setAnalysis] = useState<{ metrics: TraceMetrics; critical: CriticalRows; errorRows: number[] } | null>(null);
  useLayoutEffect(() => {
    let live = true;
    loadAnalysis(client, traceId, m).then(
      (a) => live && a && setAnalysis({ metrics: a.metrics, critical: a.critical, errorRows: Array.from(a.errorRows) }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, traceId, m]);
  // Error rows by start time: from the analysis when it is in, from the span statuses before.
  const statusErrorRows = useMemo(() => {
    if (analysis) return null;
    const rows: number[] = [];
    for (let r = 0; r < m.n; r++) if (m.status[r] === STATUS_ERROR) rows.push(r);
    return rows.sort((a, b) => m.start[a]! - m.start[b]! || a - b);
  }, [m, analysis]);
  return { metrics: analysis?.metrics ?? null, critical: analysis?.critical ?? null, errorRows: analysis?.errorRows ?? statusErrorRows ?? [] };
}

export interface SpanSearch {
  /** Per row: 1 when it matches; null without a filter. */
  match: Uint8Array | null;
  /** Matching rows in row order; null without a filter. */
  matchRows: number[] | null;
  /** The server's answer for the current filter is still out (the local one is shown). */
  pending: boolean;
  /** The server answered from the full-text index. */
  indexed: boolean;
}

/**
 * Spans matching the filter: locally from the columns when the filter needs nothing else, from
 * the backend (debounced) when it looks into span bodies or attributes.
 */
export function useSpanSearch(traceId: string, m: TraceModel, filter: FilterState): SpanSearch {
  const client = useClient();
  const [server, setServer] = useState<{ key: string; rows: Uint8Array; indexed: boolean } | null>(null);
  const spanFilter = useMemo(() => toSpanFilter(filter), [filter]);
  const key = filterKey(spanFilter);
  const local = useMemo(() => (spanFilter ? localMatches(m, spanFilter) : null), [m, spanFilter]);
  const serverNeeded = spanFilter !== null && needsServer(spanFilter);
  const match = spanFilter ? (serverNeeded ? (server?.key === key ? server.rows : local) : local) : null;

  useEffect(() => {
    if (!spanFilter || !needsServer(spanFilter)) return;
    let live = true;
    const t = setTimeout(() => {
      client.call('searchSpans', { traceId, ...spanFilter }).then(
        (res) => {
          if (!live) return;
          const rows = new Uint8Array(m.n);
          for (const id of res.spanIds) {
            const r = m.rowOf.get(id);
            if (r !== undefined) rows[r] = 1;
          }
          setServer({ key, rows, indexed: res.indexed });
        },
        () => live && setServer({ key, rows: local ?? new Uint8Array(m.n), indexed: false }),
      );
    }, 180);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, traceId, key, spanFilter, m, local]);

  const matchRows = useMemo(() => {
    if (!match) return null;
    const out: number[] = [];
    for (let r = 0; r < m.n; r++) if (match[r]) out.push(r);
    return out;
  }, [m, match]);
  return { match, matchRows, pending: serverNeeded && server?.key !== key, indexed: server?.key === key && server.indexed };
}

export interface SpanBody {
  row: number;
  span: Span | null;
  loading: boolean;
  error: string | null;
}

const SPAN_CACHE = 64;

/** The selected span's body: loaded on selection only (debounced for key repeat), small LRU. */
export function useSpanBody(traceId: string, m: TraceModel, selected: number): SpanBody | null {
  const client = useClient();
  const [body, setBody] = useState<SpanBody | null>(null);
  const cache = useRef(new Map<string, Span>());
  useEffect(() => {
    if (selected < 0) {
      setBody(null);
      return;
    }
    const spanId = m.spanId[selected]!;
    const cached = cache.current.get(spanId);
    if (cached) {
      setBody({ row: selected, span: cached, loading: false, error: null });
      return;
    }
    setBody((s) => ({ row: selected, span: s?.row === selected ? s.span : null, loading: true, error: null }));
    let live = true;
    const t = setTimeout(() => {
      client.call('getSpan', { traceId, spanId }).then(
        (span) => {
          if (!live) return;
          if (span) {
            cache.current.set(spanId, span);
            if (cache.current.size > SPAN_CACHE) cache.current.delete(cache.current.keys().next().value!);
          }
          setBody({ row: selected, span, loading: false, error: span ? null : 'span not found' });
        },
        (e: unknown) => live && setBody({ row: selected, span: null, loading: false, error: String(e) }),
      );
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, traceId, selected, m]);
  return body;
}

/**
 * Open-coding notes (written while labelling): spans with notes and the first-failure mark, by
 * span id for the tree's badges, and the first-failure rows for the flag on the timeline bar.
 */
export function useSpanNoteMarks(traceId: string, m: TraceModel) {
  const client = useClient();
  const [notes, setNotes] = useState<ReadonlyMap<string, SpanNoteMark>>(new Map());
  useEffect(() => {
    let live = true;
    client.call('listSpanNotes', { traceId }).then(
      (list) => {
        if (!live) return;
        const marks = new Map<string, SpanNoteMark>();
        for (const n of list) {
          if (n.spanId === null) continue;
          const cur = marks.get(n.spanId) ?? { firstFailure: false, notes: [] };
          marks.set(n.spanId, { firstFailure: cur.firstFailure || n.firstFailure, notes: n.text ? [...cur.notes, n.text] : cur.notes });
        }
        setNotes(marks);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, traceId]);
  const firstFailureRows = useMemo(() => {
    let rows: Uint8Array | null = null;
    for (const [spanId, mark] of notes) {
      const r = mark.firstFailure ? m.rowOf.get(spanId) : undefined;
      if (r === undefined) continue;
      rows ??= new Uint8Array(m.n);
      rows[r] = 1;
    }
    return rows;
  }, [m, notes]);
  return { notes, firstFailureRows };
}
