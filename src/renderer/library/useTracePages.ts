import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiOutput, TraceQuery, TraceSummary, TracedeckClient } from '../../shared/api';
import { readAnswer } from '../client/httpClient';
import { takeEarlyRequest } from '../client/earlyRequest';
import { firstPageInput, PAGE_SIZE, pageInput } from './firstPage';

type PageAnswer = ApiOutput<'listTraces'>;

/**
 * The first page asked for before the library mounted (its request as JSON), and its answer once
 * here (for the library's first render: takeAnswered). Taken once.
 */
let early: { key: string; answer: Promise<PageAnswer>; value?: PageAnswer } | null = null;

/**
 * Boot (boot.tsx): ask for the library's first page (no filter, default sort) before React
 * mounts — or take over the request the page's first script sent (client/earlyRequest.ts) — so
 * the server answers while the app's modules evaluate. The library takes the answer over when
 * its first request is exactly this one; otherwise it asks anew.
 */
export function prefetchLibraryFirstPage(client: TracedeckClient): void {
  const input = firstPageInput();
  const sent = takeEarlyRequest('listTraces', input);
  const e: NonNullable<typeof early> = {
    key: JSON.stringify(input),
    answer: sent ? readAnswer('listTraces', sent) : client.call('listTraces', input),
  };
  e.answer.then(
    (a) => void (e.value = a),
    () => undefined, // the library reports errors when it takes the promise over
  );
  early = e;
}

/**
 * The early answer to this query's first page if it is already here: the library's first render
 * shows its rows at once, instead of rendering placeholders and then the rows a frame later.
 */
function takeAnswered(q: TraceQuery): PageAnswer | null {
  const value = early?.key === JSON.stringify(pageInput(q, 0)) ? early.value : undefined;
  if (!value) return null;
  early = null;
  return value;
}

/** Only the very first request may use the early answer: later ones must be fresh. */
function listPage(client: TracedeckClient, q: TraceQuery, page: number): Promise<PageAnswer> {
  const input = pageInput(q, page);
  const e = early;
  early = null;
  return e?.key === JSON.stringify(input) ? e.answer : client.call('listTraces', input);
}

export interface TracePages {
  /** How many traces the query selects; null until known (its first answer, or its count). */
  total: number | null;
  /** The query (as JSON) whose answer `total` is: the previous one's until the new one answers. */
  totalOf: string | null;
  /** Rows the table lays out: the total, or while the count is on its way the rows already here. */
  extent: number;
  /** The rows are here and the count is on its way (a text needle: see below). */
  counting: boolean;
  loading: boolean;
  /**
   * The rows shown are the previous query's, kept on screen until the new one's first page
   * arrives (a sort or filter edit repaints the rows in place instead of blanking them to
   * placeholders and building every row again). They are not to be acted on meanwhile.
   */
  stale: boolean;
  /** bumps whenever rows arrive: row() reads a ref, so consumers re-render on this */
  version: number;
  error: string | null;
  /** The current query's row (undefined while it is on its way): what keys and actions act on. */
  row(index: number): TraceSummary | undefined;
  /** What the table shows at this index: the current query's row, or while `stale` the previous one's. */
  shownRow(index: number): TraceSummary | undefined;
  /** Make sure rows [first, last] are loaded (the virtual scroller calls this as it scrolls). */
  ensure(first: number, last: number): void;
  /** Reload what is on screen, keeping the old rows visible until the new ones arrive. */
  refresh(): void;
}

/**
 * Server-side paging for a virtualised table: only the pages the scroller touches are fetched,
 * so 100k traces cost a count query and a couple of 200-row pages. A generation counter drops
 * answers to queries the user has already replaced.
 *
 * A new query asks for its first page with the count in one request (listTraces) — except with a
 * text needle, whose count reads every candidate trace (~0.1 s for a needle in a quarter of 100k
 * traces) while the page stops after 200: then the page (listTracesPage) and the count
 * (countTraces) are two requests and the rows show as soon as they arrive, the count after them.
 * Pages scrolled to later never recount.
 */
export function useTracePages(client: TracedeckClient, query: TraceQuery): TracePages {
  const key = JSON.stringify(query);
  // Taken once, at mount: the first page when its early answer is already here.
  const [initial] = useState(() => takeAnswered(query));
  const adopted = useRef(initial !== null);
  const [total, setTotal] = useState<number | null>(initial ? initial.total : null);
  const [totalOf, setTotalOf] = useState<string | null>(initial ? key : null);
  const totalOfRef = useRef<string | null>(null);
  totalOfRef.current = totalOf;
  // While a split query counts: the rows its first page brought (the table's provisional extent).
  const [countingExtent, setCountingExtent] = useState<number | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Rows that came with the early answer count as arrived (LibraryView preloads the trace view then).
  const [version, setVersion] = useState(initial ? 1 : 0);
  const pages = useRef(new Map<number, TraceSummary[]>(initial ? [[0, initial.rows]] : []));
  // The previous query's pages while a new query's first page is on its way (TracePages.stale).
  const stalePages = useRef<Map<number, TraceSummary[]> | null>(null);
  const [stale, setStale] = useState(false);
  const pending = useRef(new Set<number>());
  const gen = useRef(0);
  const visible = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const queryRef = useRef(query);
  queryRef.current = query;
  // At most one new query (or refresh) in flight: one asked for meanwhile waits for its answers,
  // and only the latest waits. The filter bar asks on every edit, without a debounce: typing at
  // full speed asks for the first key, then for the text as it stands when that one is answered.
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
      const qKey = JSON.stringify(q);
      const split = replace && !!q.text;
      setLoading(true);
      const requests = pageNos.map((p, i) =>
        replace && !split && i === 0
          ? listPage(client, q, p).then((res) => [p, res.rows, res.total] as const)
          : client.call('listTracesPage', pageInput(q, p)).then((res) => [p, res.rows, null] as const),
      );
      const { sort: _s, dir: _d, limit: _l, offset: _o, ...filters } = q;
      // Sent after the pages: the server answers in order, rows first.
      const count = split ? client.call('countTraces', filters) : null;
      const answered = Promise.all(requests);
      Promise.allSettled([answered, count])
        .then(() => {
          if (!replace) return;
          replacing.current = false;
          const next = queued.current;
          queued.current = null;
          if (next) fetchRef.current(next, true);
        })
        .catch(() => undefined);
      answered.then(
        (results) => {
          if (myGen !== gen.current) return;
          const next = replace ? new Map<number, TraceSummary[]>() : pages.current;
          for (const [p, rows] of results) {
            next.set(p, rows);
            pending.current.delete(p);
          }
          pages.current = next;
          if (replace) stalePages.current = null;
          const first = results[0];
          if (first && first[2] !== null) {
            setTotal(first[2]);
            setTotalOf(qKey);
          } else if (split && first && first[0] === 0 && first[1].length < PAGE_SIZE) {
            // The whole answer fits the first page: that is the count already.
            setTotal(first[1].length);
            setTotalOf(qKey);
          } else if (split && first && totalOfRef.current !== qKey) {
            // A new needle: its count is on its way (a refresh keeps the count it had meanwhile).
            setTotal(null);
            setCountingExtent(first[0] === 0 ? first[1].length : 0);
          }
          setError(null);
          setLoading(false);
          if (replace) setStale(false);
          setVersion((v) => v + 1);
        },
        (e: unknown) => {
          if (myGen !== gen.current) return;
          for (const p of pageNos) pending.current.delete(p);
          // The old rows must not stand for a query that failed.
          if (replace) stalePages.current = null;
          setError(e instanceof Error ? e.message : String(e));
          setLoading(false);
          if (replace) setStale(false);
        },
      );
      count?.then(
        (res) => {
          if (myGen !== gen.current) return;
          setTotal(res.total);
          setTotalOf(qKey);
          setCountingExtent(null);
        },
        (e: unknown) => {
          if (myGen !== gen.current) return;
          setError(e instanceof Error ? e.message : String(e));
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

  // A new query starts from scratch (and from the top: the table resets its scroll); the rows on
  // screen stay until its first page arrives (stale).
  useEffect(() => {
    if (adopted.current) {
      adopted.current = false; // the first page is the early answer: nothing to ask
      return;
    }
    gen.current++;
    // A query replaced before it answered has no rows of its own: the older rows on screen stay.
    if (pages.current.size) stalePages.current = pages.current;
    setStale(stalePages.current !== null);
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
  const shownRow = useCallback((i: number) => (stalePages.current ?? pages.current).get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE], []);

  const extent = total ?? countingExtent ?? 0;
  return { total, totalOf, extent, counting: total === null && countingExtent !== null, loading, stale, version, error, row, shownRow, ensure, refresh };
}
