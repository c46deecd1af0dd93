import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { SPAN_KINDS, type RootCause, type Span, type TraceAnalysis, type TraceViewData } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { LIBRARY_HASH, navigate, traceHash } from '../app/router';
import { isEditableTarget } from '../util/keys';
import { formatTimestamp } from '../util/format';
import { KIND_LABELS } from './kinds';
import { MetricsBar } from './MetricsBar';
import { RootCausePanel } from './RootCausePanel';
import { RecordedEvaluationsPanel } from './RecordedEvaluationsPanel';
import { SpanTree, type SpanNoteMark } from './SpanTree';
import { SpanDetail } from './detail/SpanDetail';
import { FilterBar } from './filter/FilterBar';
import { EMPTY_FILTER, filterKey, localMatches, needsServer, toSpanFilter, type FilterState } from './filter/filterState';
import { STATUS_ERROR, criticalRows, kindOf, nameOf, type TraceModel } from './model/traceModel';
import { collapseFromDepth, computeVisibleRows, expandTo, initialCollapsed, toggleKind } from './model/visibleRows';
import { TimelineController, rowsByStart } from './timeline/TimelineController';
import { TimelineHeader } from './timeline/TimelineHeader';
import { formatDuration } from '../util/format';
import { KeyHelp } from './KeyHelp';
import { TrajectoryChip } from './TrajectoryChip';
import { copyText } from './copy';
import { OPEN_MARK, RENDERED_MARK } from './marks';

interface Props {
  traceId: string;
  data: TraceViewData;
  model: TraceModel;
  initialSpanId: string | null;
  routeSpanId: string | null;
  onSelectionChange(spanId: string | null): void;
}

interface SpanLoad {
  row: number;
  span: Span | null;
  loading: boolean;
  error: string | null;
}

interface RootCauseState {
  spanId: string;
  data: RootCause | null;
  loading: boolean;
  error: string | null;
  step: number;
}

declare global {
  interface Window {
    /** Read by the benchmark and e2e tests: timings and state of the open trace view. */
    __tracedeckTraceView?: {
      spans: number;
      firstRenderMs: number;
      firstRenderSinceNavigationMs: number;
      timeline: TimelineController['stats'];
      visibleRows: () => number;
    };
  }
}

const SPAN_CACHE = 64;

export function TraceView({ traceId, data, model: m, initialSpanId, routeSpanId, onSelectionChange }: Props) {
  const client = useClient();
  const filterInput = useRef<HTMLInputElement>(null);
  const [collapsed, setCollapsed] = useState(() => initialCollapsed(m));
  const [selected, setSelected] = useState(() => (initialSpanId ? (m.rowOf.get(initialSpanId) ?? -1) : -1));
  const [detailOpen, setDetailOpen] = useState(selected >= 0);
  const [revealSeq, setRevealSeq] = useState(selected >= 0 ? 1 : 0);
  const [analysis, setAnalysis] = useState<TraceAnalysis | null>(null);
  const [filter, setFilter] = useState<FilterState>(EMPTY_FILTER);
  const [server, setServer] = useState<{ key: string; rows: Uint8Array; indexed: boolean } | null>(null);
  const [showCritical, setShowCritical] = useState(true);
  const [rc, setRc] = useState<RootCauseState | null>(null);
  const [spanLoad, setSpanLoad] = useState<SpanLoad | null>(null);
  const [hover, setHover] = useState<{ row: number; x: number; y: number } | null>(null);
  const [treeWidth, setTreeWidth] = useState(() => Math.min(560, Math.max(380, Math.round(window.innerWidth * 0.3))));
  const [detailWidth, setDetailWidth] = useState(() => Math.min(620, Math.max(380, Math.round(window.innerWidth * 0.32))));
  const [help, setHelp] = useState(false);
  const spanCache = useRef(new Map<string, Span>());
  // Open-coding notes (labelling mode): spans with notes and the first-failure mark get a marker.
  const [spanNotes, setSpanNotes] = useState<ReadonlyMap<string, SpanNoteMark>>(new Map());
  useEffect(() => {
    let live = true;
    client.call('listSpanNotes', { traceId }).then(
      (notes) => {
        if (!live) return;
        const marks = new Map<string, SpanNoteMark>();
        for (const n of notes) {
          if (n.spanId === null) continue;
          const cur = marks.get(n.spanId) ?? { firstFailure: false, notes: [] };
          marks.set(n.spanId, { firstFailure: cur.firstFailure || n.firstFailure, notes: n.text ? [...cur.notes, n.text] : cur.notes });
        }
        setSpanNotes(marks);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, traceId]);

  // ---- timeline controller (imperative canvas) -----------------------------------------------
  const selectRef = useRef<(row: number) => void>(() => undefined);
  const controller = useMemo(
    () =>
      new TimelineController({
        onSelect: (row) => selectRef.current(row),
        onHover: (row, x, y) => setHover(row >= 0 ? { row, x, y } : null),
      }),
    [],
  );

  // ---- filter / search ------------------------------------------------------------------------
  const spanFilter = useMemo(() => toSpanFilter(filter), [filter]);
  const key = filterKey(spanFilter);
  const local = useMemo(() => (spanFilter ? localMatches(m, spanFilter) : null), [m, spanFilter]);
  const serverNeeded = spanFilter !== null && needsServer(spanFilter);
  const match = spanFilter ? (serverNeeded ? (server?.key === key ? server.rows : local) : local) : null;
  const pending = serverNeeded && server?.key !== key;

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

  const filterMode = filter.mode === 'filter' && match !== null;
  const pinned = filterMode ? selected : -1;
  const visible = useMemo(
    () => computeVisibleRows(m, collapsed, filterMode ? match : null, pinned),
    [m, collapsed, filterMode, match, pinned],
  );
  const matchRows = useMemo(() => {
    if (!match) return null;
    const out: number[] = [];
    for (let r = 0; r < m.n; r++) if (match[r]) out.push(r);
    return out;
  }, [m, match]);
  const matchIndex = matchRows && selected >= 0 ? matchRows.indexOf(selected) : -1;

  // ---- analysis (after the first paint: metrics, errors, critical path) ----------------------
  useEffect(() => {
    let live = true;
    const t = setTimeout(() => {
      client.call('getTraceAnalysis', { traceId }).then(
        (a) => live && setAnalysis(a),
        () => undefined,
      );
    }, 0);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, traceId]);
  const critical = useMemo(() => (analysis ? criticalRows(m, analysis) : null), [m, analysis]);
  const errorRows = useMemo(() => {
    if (analysis) return analysis.errorSpanIds.map((id) => m.rowOf.get(id)).filter((r): r is number => r !== undefined);
    const rows: number[] = [];
    for (let r = 0; r < m.n; r++) if (m.status[r] === STATUS_ERROR) rows.push(r);
    return rows.sort((a, b) => m.start[a]! - m.start[b]! || a - b);
  }, [m, analysis]);
  const errorIndex = selected >= 0 ? errorRows.indexOf(selected) : -1;

  // ---- feed the canvas --------------------------------------------------------------------------
  useEffect(() => {
    controller.setState({
      model: m,
      visible,
      collapsed,
      selected,
      highlight: filter.mode === 'highlight' ? match : null,
      critical,
      showCritical,
    });
  }, [controller, m, visible, collapsed, selected, match, filter.mode, critical, showCritical]);

  // First render of tree + timeline: mark it once the canvas has drawn (benchmark reads it).
  useLayoutEffect(() => {
    const id = requestAnimationFrame(() => {
      controller.drawNow();
      performance.mark(RENDERED_MARK);
      const open = performance.getEntriesByName(OPEN_MARK).at(-1);
      const rendered = performance.getEntriesByName(RENDERED_MARK).at(-1)!;
      window.__tracedeckTraceView = {
        spans: m.n,
        firstRenderMs: rendered.startTime - (open?.startTime ?? 0),
        firstRenderSinceNavigationMs: rendered.startTime,
        timeline: controller.stats,
        visibleRows: () => visibleRef.current.rows.length,
      };
      // Prepare what later interactions need, once the first frame is on screen.
      setTimeout(() => {
        void m.rowOf;
        rowsByStart(m);
      }, 50);
    });
    return () => cancelAnimationFrame(id);
    // once per mounted trace
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;

  // ---- selection --------------------------------------------------------------------------------
  const select = useCallback(
    (row: number, opts: { reveal?: boolean; open?: boolean } = {}) => {
      if (row < 0 || row >= m.n) return;
      setCollapsed((c) => expandTo(m, c, row));
      setSelected(row);
      if (opts.open !== false) setDetailOpen(true);
      if (opts.reveal) {
        setRevealSeq((s) => s + 1);
        controller.revealRow(row);
      }
    },
    [m, controller],
  );
  selectRef.current = (row) => select(row);

  useEffect(() => {
    const id = selected >= 0 ? m.spanId[selected]! : null;
    onSelectionChange(id);
    const hash = traceHash(traceId, id);
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  }, [selected, m, traceId, onSelectionChange]);

  // A deep link followed while the trace is open (hash edited, back/forward).
  useEffect(() => {
    if (!routeSpanId) return;
    const r = m.rowOf.get(routeSpanId);
    if (r !== undefined && r !== selectedRef.current) select(r, { reveal: true });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [routeSpanId]);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  // Span body on selection only (debounced for key repeat), small LRU.
  useEffect(() => {
    if (selected < 0) {
      setSpanLoad(null);
      return;
    }
    const spanId = m.spanId[selected]!;
    const cached = spanCache.current.get(spanId);
    if (cached) {
      setSpanLoad({ row: selected, span: cached, loading: false, error: null });
      return;
    }
    setSpanLoad((s) => ({ row: selected, span: s?.row === selected ? s.span : null, loading: true, error: null }));
    let live = true;
    const t = setTimeout(() => {
      client.call('getSpan', { traceId, spanId }).then(
        (span) => {
          if (!live) return;
          if (span) {
            spanCache.current.set(spanId, span);
            if (spanCache.current.size > SPAN_CACHE) spanCache.current.delete(spanCache.current.keys().next().value!);
          }
          setSpanLoad({ row: selected, span, loading: false, error: span ? null : 'span not found' });
        },
        (e: unknown) => live && setSpanLoad({ row: selected, span: null, loading: false, error: String(e) }),
      );
    }, 60);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [client, traceId, selected, m]);

  // ---- navigation helpers --------------------------------------------------------------------
  const moveBy = (delta: number) => {
    const rows = visible.rows;
    if (!rows.length) return;
    const k = selected >= 0 ? visible.indexOf[selected]! : -1;
    const next = k < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, k + delta));
    select(rows[next]!, { reveal: true, open: detailOpen });
  };

  const jumpError = (dir: 1 | -1) => {
    if (!errorRows.length) return;
    let next: number;
    if (errorIndex >= 0) next = (errorIndex + dir + errorRows.length) % errorRows.length;
    else if (selected < 0) next = dir > 0 ? 0 : errorRows.length - 1;
    else {
      const t = m.start[selected]!;
      const i = errorRows.findIndex((r) => m.start[r]! > t || (m.start[r]! === t && r > selected));
      next = dir > 0 ? (i < 0 ? 0 : i) : (i < 0 ? errorRows.length : i) - 1;
      if (next < 0) next = errorRows.length - 1;
    }
    select(errorRows[next]!, { reveal: true });
  };

  const jumpMatch = (dir: 1 | -1) => {
    if (!matchRows?.length) return;
    let next: number;
    if (matchIndex >= 0) next = (matchIndex + dir + matchRows.length) % matchRows.length;
    else {
      const i = matchRows.findIndex((r) => r > selected);
      next = dir > 0 ? (i < 0 ? 0 : i) : (i < 0 ? matchRows.length : i) - 1;
      if (next < 0) next = matchRows.length - 1;
    }
    select(matchRows[next]!, { reveal: true });
  };

  const toggle = useCallback((row: number) => {
    setCollapsed((c) => {
      const n = c.slice();
      n[row] = n[row] ? 0 : 1;
      return n;
    });
  }, []);

  const openRootCause = (row: number) => {
    if (row < 0) return;
    const spanId = m.spanId[row]!;
    setRc({ spanId, data: null, loading: true, error: null, step: 0 });
    client.call('getRootCause', { traceId, spanId }).then(
      (data) => {
        const step = data ? Math.max(0, data.firstAnomaly) : 0;
        setRc({ spanId, data, loading: false, error: data ? null : 'span not found', step });
        const first = data?.steps[step];
        const r = first ? m.rowOf.get(first.spanId) : undefined;
        if (r !== undefined) select(r, { reveal: true });
      },
      (e: unknown) => setRc({ spanId, data: null, loading: false, error: String(e), step: 0 }),
    );
  };

  const rcStep = (i: number) => {
    if (!rc?.data) return;
    const step = Math.max(0, Math.min(rc.data.steps.length - 1, i));
    setRc({ ...rc, step });
    const r = m.rowOf.get(rc.data.steps[step]!.spanId);
    if (r !== undefined) select(r, { reveal: true });
  };

  const selectSpanId = (id: string) => {
    const r = m.rowOf.get(id);
    if (r !== undefined) select(r, { reveal: true });
  };

  // ---- keyboard ---------------------------------------------------------------------------------
  const keyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keyRef.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.altKey) return;
    if (isEditableTarget(e.target)) return;
    if ((e.ctrlKey || e.metaKey) && e.key !== 'Enter') return;
    const rows = visible.rows;
    const k = e.key;
    let handled = true;
    switch (k) {
      case 'j':
      case 'ArrowDown':
        moveBy(1);
        break;
      case 'k':
      case 'ArrowUp':
        moveBy(-1);
        break;
      case 'PageDown':
        moveBy(20);
        break;
      case 'PageUp':
        moveBy(-20);
        break;
      case 'Home':
        if (rows.length) select(rows[0]!, { reveal: true, open: detailOpen });
        break;
      case 'End':
        if (rows.length) select(rows[rows.length - 1]!, { reveal: true, open: detailOpen });
        break;
      case 'ArrowRight':
      case 'l':
        if (selected >= 0 && m.childCount[selected]! > 0) {
          if (collapsed[selected]) toggle(selected);
          else moveBy(1);
        }
        break;
      case 'ArrowLeft':
      case 'h':
        if (selected >= 0) {
          if (m.childCount[selected]! > 0 && !collapsed[selected]) toggle(selected);
          else if (m.parent[selected]! >= 0) select(m.parent[selected]!, { reveal: true, open: detailOpen });
        }
        break;
      case 'Enter':
        if (selected >= 0) setDetailOpen(true);
        else if (rows.length) select(rows[0]!, { reveal: true });
        break;
      case ' ':
        if (selected >= 0 && m.childCount[selected]! > 0) toggle(selected);
        break;
      case 'e':
        jumpError(1);
        break;
      case 'E':
        jumpError(-1);
        break;
      case 'n':
        jumpMatch(1);
        break;
      case 'N':
        jumpMatch(-1);
        break;
      case '/':
        filterInput.current?.focus();
        filterInput.current?.select();
        break;
      case 'r':
        if (selected >= 0) openRootCause(selected);
        break;
      case '[':
        if (rc) rcStep(rc.step - 1);
        break;
      case ']':
        if (rc) rcStep(rc.step + 1);
        break;
      case 'c':
        setShowCritical((s) => !s);
        break;
      case 'w':
      case '+':
      case '=':
        controller.zoomBy(1.5);
        break;
      case 's':
      case '-':
        controller.zoomBy(1 / 1.5);
        break;
      case 'a':
        controller.panBy(-120);
        break;
      case 'd':
        controller.panBy(120);
        break;
      case '0':
        controller.resetZoom();
        break;
      case 'f':
        if (selected >= 0) controller.focusRow(selected);
        break;
      case 'v':
        controller.fitVisibleRows();
        break;
      case '?':
        setHelp((h) => !h);
        break;
      case 'Escape':
        if (help) setHelp(false);
        else if (rc) setRc(null);
        else if (detailOpen) setDetailOpen(false);
        else if (filter.text || filter.kinds.length || filter.status.length || filter.minDuration || filter.attribute)
          setFilter({ ...EMPTY_FILTER, mode: filter.mode });
        else handled = false;
        break;
      default:
        handled = false;
    }
    if (handled) e.preventDefault();
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => keyRef.current(e);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  // ---- layout splitters -------------------------------------------------------------------------
  const dragSplit = (e: React.PointerEvent, which: 'tree' | 'detail') => {
    e.preventDefault();
    const startX = e.clientX;
    const start = which === 'tree' ? treeWidth : detailWidth;
    const move = (ev: PointerEvent) => {
      const dx = ev.clientX - startX;
      if (which === 'tree') setTreeWidth(Math.max(260, Math.min(window.innerWidth - 500, start + dx)));
      else setDetailWidth(Math.max(300, Math.min(window.innerWidth - 500, start - dx)));
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  };

  const kindsPresent = useMemo(() => {
    const seen = new Set<number>();
    for (let r = 0; r < m.n; r++) seen.add(m.kind[r]!);
    return SPAN_KINDS.filter((_, i) => seen.has(i));
  }, [m]);
  const kindsWithChildren = useMemo(() => {
    const seen = new Set<number>();
    for (let r = 0; r < m.n; r++) if (m.childCount[r]! > 0) seen.add(m.kind[r]!);
    return SPAN_KINDS.filter((_, i) => seen.has(i));
  }, [m]);

  const s = data.summary;
  const showDetail = detailOpen && selected >= 0;
  const rcTargetRow = rc ? (m.rowOf.get(rc.spanId) ?? -1) : -1;

  return (
    <div className="tv" data-testid="trace-view" data-trace-id={traceId} data-selected-span={selected >= 0 ? m.spanId[selected] : ''}>
      <header className="tv-header">
        <button type="button" className="link-button" onClick={() => navigate(LIBRARY_HASH)}>
          ← Library
        </button>
        <h1 className="tv-title" title={s.name}>
          {s.name || traceId}
        </h1>
        <span className={`status-pill ${s.status}`}>{s.status}</span>
        <span className="tv-meta">
          {s.service ? <span>{s.service}</span> : null}
          <span>{s.format}</span>
          <span>{formatTimestamp(s.startMs)}</span>
        </span>
        <span className="spacer" />
        <TrajectoryChip traceId={traceId} traceName={s.name} />
        <span className="mono dim tv-trace-id" title="Trace id">
          {traceId}
        </span>
      </header>
      <div className="tv-metrics-row">
        <MetricsBar metrics={analysis?.metrics ?? null} summary={s} />
        <div className="tv-metrics-actions">
          <div className="tv-errnav" data-testid="error-nav">
            <button type="button" className="icon-button" disabled={!errorRows.length} onClick={() => jumpError(-1)} title="Previous error (E)" aria-label="Previous error">
              ‹
            </button>
            <button
              type="button"
              className={`tv-errbtn${errorRows.length ? ' has' : ''}`}
              disabled={!errorRows.length}
              onClick={() => jumpError(1)}
              title="Next error (e)"
              data-testid="next-error"
            >
              {errorRows.length
                ? `${errorIndex >= 0 ? `${errorIndex + 1} / ` : ''}${errorRows.length} error${errorRows.length > 1 ? 's' : ''}`
                : 'no errors'}
            </button>
            <button type="button" className="icon-button" disabled={!errorRows.length} onClick={() => jumpError(1)} title="Next error (e)" aria-label="Next error">
              ›
            </button>
          </div>
          <label className="tv-toggle-label" title="Highlight the critical path (c)">
            <input type="checkbox" checked={showCritical} onChange={(e) => setShowCritical(e.currentTarget.checked)} />
            <span className="tv-critical-swatch" />
            Critical path
          </label>
          <button type="button" className="icon-button" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
            ?
          </button>
        </div>
      </div>
      <RecordedEvaluationsPanel
        traceId={traceId}
        onSelectSpan={(id) => {
          const r = m.rowOf.get(id);
          if (r !== undefined) select(r);
        }}
      />
      <div className="tv-toolbar">
        <FilterBar
          ref={filterInput}
          filter={filter}
          onChange={setFilter}
          kindsPresent={kindsPresent}
          matchCount={matchRows ? matchRows.length : null}
          matchIndex={matchIndex}
          pending={pending}
          indexed={server?.key === key && server.indexed}
          onNext={() => jumpMatch(1)}
          onPrev={() => jumpMatch(-1)}
        />
      </div>

      <div className="tv-body" style={{ gridTemplateColumns: showDetail ? `minmax(0,1fr) 4px ${detailWidth}px` : 'minmax(0,1fr)' }}>
        <div className="tv-main">
          <div className="tv-head" style={{ gridTemplateColumns: `${treeWidth}px 4px minmax(0,1fr)` }}>
            <div className="tv-head-tree">
              <div className="tv-head-controls">
                <span className="tv-head-title">Spans</span>
                <button type="button" className="btn-mini" onClick={() => setCollapsed(new Uint8Array(m.n))} title="Expand all">
                  Expand all
                </button>
                <button type="button" className="btn-mini" onClick={() => setCollapsed(collapseFromDepth(m, 0))} title="Collapse all">
                  Collapse all
                </button>
                <select
                  className="tv-select mini"
                  value=""
                  aria-label="Expand to depth"
                  onChange={(e) => {
                    const d = Number(e.currentTarget.value);
                    if (d > 0) setCollapsed(collapseFromDepth(m, d));
                  }}
                >
                  <option value="">Depth…</option>
                  {Array.from({ length: Math.min(8, m.maxDepth) }, (_, i) => i + 1).map((d) => (
                    <option key={d} value={d}>
                      Show {d} level{d > 1 ? 's' : ''}
                    </option>
                  ))}
                </select>
                <select
                  className="tv-select mini"
                  value=""
                  aria-label="Collapse or expand a kind"
                  data-testid="collapse-kind"
                  onChange={(e) => {
                    const k = SPAN_KINDS.indexOf(e.currentTarget.value as (typeof SPAN_KINDS)[number]);
                    if (k >= 0) setCollapsed((c) => toggleKind(m, c, k));
                  }}
                >
                  <option value="">Kind…</option>
                  {kindsWithChildren.map((k) => (
                    <option key={k} value={k}>
                      Toggle {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </div>
              <div className="tv-colheads">
                <span className="tv-colhead name" />
                <span className="tv-colhead num">Duration</span>
                <span className="tv-colhead num">Tokens</span>
                <span className="tv-colhead num">Cost</span>
              </div>
            </div>
            <div className="tv-splitter" onPointerDown={(e) => dragSplit(e, 'tree')} role="separator" aria-orientation="vertical" />
            <TimelineHeader controller={controller} />
          </div>
          {visible.rows.length === 0 ? <div className="tv-empty dim">No span matches the filter.</div> : null}
          <SpanTree
            model={m}
            visible={visible}
            collapsed={collapsed}
            selected={selected}
            highlight={filter.mode === 'highlight' ? match : null}
            critical={critical}
            showCritical={showCritical}
            treeWidth={treeWidth}
            controller={controller}
            revealSeq={revealSeq}
            notes={spanNotes}
            onSelect={(r) => select(r)}
            onToggle={toggle}
            onOpen={(r) => select(r)}
          />
          {rc ? (
            <RootCausePanel
              rootCause={rc.data}
              loading={rc.loading}
              error={rc.error}
              step={rc.step}
              targetName={rcTargetRow >= 0 ? nameOf(m, rcTargetRow) : rc.spanId}
              describe={(id) => {
                const r = m.rowOf.get(id);
                return r === undefined ? null : { name: nameOf(m, r), ok: m.status[r] !== STATUS_ERROR };
              }}
              onStep={rcStep}
              onSelectSpan={selectSpanId}
              onClose={() => setRc(null)}
            />
          ) : null}
        </div>
        {showDetail ? (
          <>
            <div className="tv-splitter" onPointerDown={(e) => dragSplit(e, 'detail')} role="separator" aria-orientation="vertical" />
            <SpanDetail
              model={m}
              row={selected}
              span={spanLoad?.row === selected ? spanLoad.span : null}
              loading={spanLoad?.loading ?? true}
              error={spanLoad?.row === selected ? spanLoad.error : null}
              onRootCause={m.status[selected] === STATUS_ERROR || (rc && rc.spanId === m.spanId[selected]) ? () => openRootCause(selected) : null}
              onFocusTimeline={() => controller.focusRow(selected)}
              onCopyLink={() => void copyText(window.location.href)}
              onClose={() => setDetailOpen(false)}
            />
          </>
        ) : null}
      </div>
      {hover ? <HoverCard model={m} row={hover.row} x={hover.x} y={hover.y} onPath={critical?.onPath[hover.row] === 1} /> : null}
      {help ? <KeyHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}

function HoverCard({ model: m, row: r, x, y, onPath }: { model: TraceModel; row: number; x: number; y: number; onPath: boolean }) {
  const dur = m.end[r]! - m.start[r]!;
  const left = Math.min(x + 14, window.innerWidth - 320);
  return (
    <div className="tv-hover" style={{ left, top: y + 16 }} role="tooltip">
      <div className="tv-hover-name">{nameOf(m, r)}</div>
      <div className="dim">
        {KIND_LABELS[kindOf(m, r)]} · {Number.isNaN(dur) ? 'open' : formatDuration(dur)} · starts +
        {formatDuration(m.start[r]! - m.startMs)}
      </div>
      {m.status[r] === STATUS_ERROR ? <div className="text-error">error</div> : null}
      {onPath ? <div className="tv-hover-critical">on the critical path</div> : null}
    </div>
  );
}
