import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo, FormatInfo, TraceSummary } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { preloadTraceView } from '../app/lazyRoutes';
import { formatInteger } from '../util/format';
import { isActivatable, isEditableTarget } from '../util/keys';
import {
  activeFilterCount,
  DEFAULT_SORT,
  EMPTY_FILTERS,
  toTraceQuery,
  type LibraryFilterState,
  type SortState,
} from './filters';
import { LibraryFilters } from './LibraryFilters';
import { ROW_HEIGHT, TraceTable } from './TraceTable';
import { useTracePages } from './useTracePages';
import { onLibraryDrill, setCurrentLibraryFilter, takeLibraryDrill, withDrill, type LibraryDrill } from './libraryLink';

interface Props {
  /** false while another route is shown: the view stays mounted (scroll, filters) but deaf. */
  active: boolean;
  appInfo: AppInfo | null;
  /** Bumps after each finished import, in case the backend's event was missed. */
  importVersion: number;
  onImportClick(): void;
}

export function LibraryView({ active, appInfo, importVersion, onImportClick }: Props) {
  const client = useClient();
  const [filters, setFilters] = useState<LibraryFilterState>(EMPTY_FILTERS);
  const [sort, setSort] = useState<SortState>(DEFAULT_SORT);
  const [selected, setSelected] = useState(0);
  const [formats, setFormats] = useState<FormatInfo[]>([]);
  const [grandTotal, setGrandTotal] = useState<number | null>(null);
  const textRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  // Traces another view opened (an Overview bar, a session): a chip on top of the filter bar.
  const [drill, setDrill] = useState<LibraryDrill | null>(null);
  useEffect(() => {
    const take = () => {
      const d = takeLibraryDrill();
      if (!d) return;
      if (!d.keepFilters) setFilters(EMPTY_FILTERS);
      setDrill(d);
    };
    take(); // asked for before the library's first visit mounted it (App.tsx)
    return onLibraryDrill(take);
  }, []);

  // No debounce: a filter change is asked for at once, and useTracePages keeps at most one new
  // query in flight (typing at full speed asks for the first key and then the latest text).
  const barQuery = useMemo(() => toTraceQuery(filters, sort), [filters, sort]);
  const query = useMemo(() => withDrill(barQuery, drill), [barQuery, drill]);
  const queryKey = JSON.stringify(query);
  const pages = useTracePages(client, query);
  const total = pages.total;
  const filtered = activeFilterCount(filters) > 0 || drill !== null;
  // Once the first page is on screen, the trace view's code loads in the background.
  const shown = pages.version > 0;
  useEffect(() => {
    if (shown) preloadTraceView();
  }, [shown]);
  useEffect(() => setCurrentLibraryFilter(query, activeFilterCount(filters) + (drill ? 1 : 0)), [query, filters, drill]);

  useEffect(() => {
    client.call('formats', {}).then(setFormats, () => setFormats([]));
  }, [client]);

  // The "of N" beside a filtered count. Unfiltered, the list's own total is N; only while a
  // filter is on does N need a request of its own (at boot it would compete with the first page).
  const filteredRef = useRef(filtered);
  filteredRef.current = filtered;
  const refreshGrandTotal = useCallback(() => {
    if (!filteredRef.current) return;
    client.call('countTraces', {}).then((r) => setGrandTotal(r.total), () => undefined);
  }, [client]);
  const unfilteredTotal = !filtered && pages.totalOf === queryKey ? total : null;
  useEffect(() => {
    if (unfilteredTotal !== null) setGrandTotal(unfilteredTotal);
  }, [unfilteredTotal]);
  const knowGrandTotal = grandTotal !== null;
  useEffect(() => {
    if (filtered && !knowGrandTotal) refreshGrandTotal();
  }, [filtered, knowGrandTotal, refreshGrandTotal]);
  useEffect(() => setSelected(0), [queryKey]);

  // `pages` is a new object every render; its refresh is stable. Depending on `pages` here made
  // scheduleRefresh new on every render, and the import effect below then refreshed after every
  // render: a listTraces loop every ~0.5 s for as long as the app stayed open after an import.
  const refreshPages = pages.refresh;
  // Live OTLP traffic can fire many events a second: coalesce refreshes.
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scheduleRefresh = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      refreshPages();
      refreshGrandTotal();
    }, 250);
  }, [refreshPages, refreshGrandTotal]);
  useEffect(() => () => clearTimeout(refreshTimer.current ?? undefined), []);

  useApiEvents((e) => {
    if (e.type === 'traces-changed') scheduleRefresh();
  });
  // Once per finished import (not once per render while importVersion differs from its start).
  const seenImport = useRef(importVersion);
  useEffect(() => {
    if (importVersion === seenImport.current) return;
    seenImport.current = importVersion;
    scheduleRefresh();
  }, [importVersion, scheduleRefresh]);

  const open = useCallback((t: TraceSummary) => navigate(traceHash(t.traceId)), []);

  const onSort = useCallback((field: SortState['sort'], firstDir: 'asc' | 'desc') => {
    setSort((s) => (s.sort === field ? { sort: field, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { sort: field, dir: firstDir }));
  }, []);

  const move = useCallback(
    (delta: number | 'start' | 'end') => {
      const n = pages.extent;
      if (!n) return;
      setSelected((s) => {
        const next = delta === 'start' ? 0 : delta === 'end' ? n - 1 : s + delta;
        return Math.max(0, Math.min(n - 1, next));
      });
    },
    [pages.extent],
  );

  // Shortcuts live on the window so they work wherever focus is, except inside text fields.
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      if (isEditableTarget(e.target)) return;
      const pageRows = Math.max(1, Math.floor((gridRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2);
      switch (e.key) {
        case '/':
          e.preventDefault();
          textRef.current?.focus();
          textRef.current?.select();
          return;
        case 'j':
        case 'ArrowDown':
          e.preventDefault();
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          e.preventDefault();
          move(-1);
          break;
        case 'PageDown':
          e.preventDefault();
          move(pageRows);
          break;
        case 'PageUp':
          e.preventDefault();
          move(-pageRows);
          break;
        case 'Home':
        case 'g':
          e.preventDefault();
          move('start');
          break;
        case 'End':
        case 'G':
          e.preventDefault();
          move('end');
          break;
        case 'Enter':
        case 'o': {
          if (isActivatable(e.target)) return;
          // The current query's row: not one of the previous query's still on screen (stale).
          const t = pages.row(selected);
          if (t) {
            e.preventDefault();
            open(t);
          }
          return;
        }
        default:
          return;
      }
      // Keep focus on the grid so the selection is visibly "live".
      if (document.activeElement === document.body) gridRef.current?.focus({ preventScroll: true });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [active, move, open, pages, selected]);

  const selectedTrace = pages.row(selected);

  return (
    <div className="library" hidden={!active}>
      <LibraryFilters
        value={filters}
        onChange={setFilters}
        formats={formats}
        textRef={textRef}
        onLeave={() => gridRef.current?.focus()}
      />
      {drill ? (
        <div className="library-drill" data-testid="library-drill">
          <span className="dim">Showing</span>
          <span className="drill-chip untrusted">{drill.label}</span>
          <button type="button" className="button ghost" onClick={() => setDrill(null)} data-testid="clear-drill" title="Show every trace the filter bar selects">
            × clear
          </button>
        </div>
      ) : null}
      <div className="library-summary">
        <span className="count" data-testid="trace-count">
          {total === null ? (pages.counting ? 'Counting…' : 'Loading…') : `${formatInteger(total)} trace${total === 1 ? '' : 's'}`}
          {filtered && grandTotal !== null ? <span className="dim"> of {formatInteger(grandTotal)}</span> : null}
        </span>
        {pages.loading ? <span className="spinner" aria-label="Loading" /> : null}
        {pages.error ? (
          <span className="text-error" role="alert">
            {pages.error}
          </span>
        ) : null}
        <span className="spacer" />
        {selectedTrace ? (
          <span className="dim selection-hint" title={selectedTrace.traceId}>
            {selected + 1} / {total === null ? '…' : formatInteger(total)} · <span className="mono">{selectedTrace.traceId}</span>
          </span>
        ) : null}
        <span className="dim shortcuts">
          <kbd>/</kbd> filter <kbd>j</kbd>
          <kbd>k</kbd> move <kbd>↵</kbd> open
        </span>
      </div>
      <div className="table-wrap">
        <TraceTable
          pages={pages}
          sort={sort}
          onSort={onSort}
          selected={selected}
          onSelect={setSelected}
          onOpen={open}
          resetKey={queryKey}
          gridRef={gridRef}
        />
        {total === 0 ? (
          filtered ? (
            <div className="empty-state">
              <div className="empty-title">No traces match these filters</div>
              <button type="button" className="button" onClick={() => (setFilters(EMPTY_FILTERS), setDrill(null))}>
                Clear filters
              </button>
            </div>
          ) : (
            <div className="empty-state">
              <div className="empty-title">No traces yet</div>
              <p className="dim">Drop trace files anywhere in this window, or</p>
              <button type="button" className="button primary" onClick={onImportClick}>
                Import files…
              </button>
              {appInfo?.otlpEndpoint ? (
                <p className="dim">
                  or point an OTLP/HTTP exporter at <code className="mono">{appInfo.otlpEndpoint}</code>
                </p>
              ) : null}
            </div>
          )
        ) : null}
      </div>
    </div>
  );
}
