import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput, TraceQuery, TraceSummary, TracedeckClient } from '../../shared/api';
import { DEFAULT_SORT, EMPTY_FILTERS, toTraceQuery } from './filters';

const PAGE_SIZE = 200;

type PageAnswer = ApiOutput<'listTraces'>;
const pageInput = (q: TraceQuery, page: number) => ({ ...q, limit: PAGE_SIZE, offset: page * PAGE_SIZE });

/** Answers asked for before the library mounted, by request; each is taken once. */
const prefetched = new Map<string, Promise<PageAnswer>>();

/**
 * Boot (main.tsx): ask for the library's first page (no filter, default sort) before React
 * mounts, so the server answers while the app's modules evaluate and render. The library takes
 * the answer over when its first request is exactly this one; otherwise it asks anew.
 */
export function prefetchLibraryFirstPage(client: TracedeckClient): void {
  const input = pageInput(toTraceQuery(EMPTY_FILTERS, DEFAULT_SORT), 0);
  const p = client.call('listTraces', input);
  p.catch(() => undefined); // the library reports errors when it takes the promise over
  prefetched.set(JSON.stringify(input), p);
}

function listPage(client: TracedeckClient, q: TraceQuery, page: number): Promise<PageAnswer> {
  const input = pageInput(q, page);
  const key = JSON.stringify(input);
  const early = prefetched.get(key);
  prefetched.clear(); // only the very first request may use an early answer: later ones must be fresh
  return early ?? client.call('listTraces', input);
}

export interface TracePages {
  /** null until the first page of the current query answered */
  total: number | null;
  /** The query (as JSON) whose answer `total` is: the previous one's until the new one answers. */
  totalOf: string | null;
  loading: boolean;
  /** bumps whenever rows arrive: row() reads a ref, so consumers re-render on this */
  version: number;
  error: string | null;
  row(index: number): TraceSummary | undefined;
  /** Make sure rows [first, last] are loaded (the virtual scroller calls this as it scrolls). */
  ensure(first: number, last: number): void;
  /** Reload what is on screen, keeping the old rows visible until the new ones arrive. */
  refresh(): void;
}

/**
 * Server-side paging for a virtualised table: only the pages the scroller touches are fetched,
 * so 100k traces cost a count query and a couple of 200-row pages. A generation counter drops
 * answers to queries the user has already replaced.
 */
export function useTracePages(client: TracedeckClient, query: TraceQuery): TracePages {
  const key = JSON.stringify(query);
  const [total, setTotal] = useState<number | null>(null);
  const [totalOf, setTotalOf] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const pages = useRef(new Map<number, TraceSummary[]>());
  const pending = useRef(new Set<number>());
  const gen = useRef(0);
  const visible = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const queryRef = useRef(query);
  queryRef.current = query;
  // At most one new query (or refresh) in flight: one asked for meanwhile waits for its answer,
  // and only the latest waits. The filter bar asks on every edit, without a debounce: typing at
  // full speed asks for the first key, then for the text as it stands when that answer is in.
  const replacing = useRef(false);
  const queued = useRef<number[] | null>(null);
  const fetchRef = useRef<(pageNos: number[], replace: boolean) => void>(() => undefined);

  const fetchPages = useCallback(
    (pageNos: number[], replace: boolean) => {
      if (replace && replacing.current) {
        queued.current = pageNos;
        setLoading(true);
        return;
      }
      if (replace) replacing.current = true;
      const myGen = gen.current;
      const q = queryRef.current;
      setLoading(true);
      const requests = pageNos.map((p) => listPage(client, q, p).then((res) => [p, res] as const));
      const settled = Promise.all(requests);
      settled
        .finally(() => {
          if (!replace) return;
          replacing.current = false;
          const next = queued.current;
          queued.current = null;
          if (next) fetchRef.current(next, true);
        })
        .catch(() => undefined); // handled below
      settled.then(
        (results) => {
          if (myGen !== gen.current) return;
          const next = replace ? new Map<number, TraceSummary[]>() : pages.current;
          for (const [p, res] of results) {
            next.set(p, res.rows);
            pending.current.delete(p);
          }
          pages.current = next;
          const last = results[results.length - 1];
          if (last) {
            setTotal(last[1].total);
            setTotalOf(JSON.stringify(q));
          }
          setError(null);
          setLoading(false);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (myGen !== gen.current) return;
          for (const p of pageNos) pending.current.delete(p);
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
        },
      );
    },
    [client],
  );
  fetchRef.current = fetchPages;

  const pagesFor = (first: number, last: number): number[] => {
    const out: number[] = [];
    for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= Math.floor(Math.max(0, last) / PAGE_SIZE); p++) {
      out.push(p);
    }
    return out;
  };

  // A new query starts from scratch (and from the top: the table resets its scroll).
  useEffect(() => {
    gen.current++;
    pages.current = new Map();
    pending.current = new Set([0]);
    visible.current = [0, PAGE_SIZE - 1];
    fetchPages([0], true);
  }, [key, fetchPages]);

  const ensure = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      const missing = pagesFor(first, last).filter((p) => !pages.current.has(p) && !pending.current.has(p));
      if (!missing.length) return;
      for (const p of missing) pending.current.add(p);
      fetchPages(missing, false);
    },
    [fetchPages],
  );

  const refresh = useCallback(() => {
    gen.current++;
    const wanted = pagesFor(visible.current[0], visible.current[1]);
    pending.current = new Set(wanted);
    fetchPages(wanted, true);
  }, [fetchPages]);

  const row = useCallback((i: number) => pages.current.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], []);

  return { total, totalOf, loading, version, error, row, ensure, refresh };
}
