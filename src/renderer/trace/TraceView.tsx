import { useCallback, useEffect, useLayoutEffect, useMemo, useReducer, useRef, useState } from 'react';
import { SPAN_KINDS, type TraceViewData } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { LIBRARY_HASH, navigate, traceHash } from '../app/router';
import { isEditableTarget } from '../util/keys';
import { formatDuration, formatTimestamp } from '../util/format';
import { KIND_LABELS } from './kinds';
import { MetricsBar } from './MetricsBar';
import { RootCausePanel } from './RootCausePanel';
import { RecordedEvaluationsPanel } from './RecordedEvaluationsPanel';
import { TracePane } from './TracePane';
import { SpanDetail } from './detail/SpanDetail';
import { FilterBar } from './filter/FilterBar';
import { STATUS_ERROR, kindOf, nameOf, type TraceModel } from './model/traceModel';
import { computeVisibleRows } from './model/visibleRows';
import { actionForKey, type TraceAction } from './state/keymap';
import { escapeHandled, initialTraceViewState, nextError, nextMatch, stepRow, traceViewReducer } from './state/traceViewState';
import { TimelineController } from './timeline/TimelineController';
import { KeyHelp } from './KeyHelp';
import { TrajectoryChip } from './TrajectoryChip';
import { copyText } from './copy';
import { OPEN_MARK, RENDERED_MARK } from './marks';
import { useSpanBody, useSpanNoteMarks, useSpanSearch, useTraceAnalysis } from './useTraceData';

interface Props {
  traceId: string;
  data: Pick<TraceViewData, 'summary'>;
  model: TraceModel;
  initialSpanId: string | null;
  routeSpanId: string | null;
  onSelectionChange(spanId: string | null): void;
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

export function TraceView({ traceId, data, model: m, initialSpanId, routeSpanId, onSelectionChange }: Props) {
  const client = useClient();
  const filterInput = useRef<HTMLInputElement>(null);
  const reducer = useMemo(() => traceViewReducer(m), [m]);
  const [st, dispatch] = useReducer(reducer, null, () => initialTraceViewState(m, initialSpanId));
  const { collapsed, selected, detailOpen, filter, showCritical, help, rootCause: rc } = st;
  const [hover, setHover] = useState<{ row: number; x: number; y: number } | null>(null);
  const [treeWidth, setTreeWidth] = useState(() => Math.min(560, Math.max(380, Math.round(window.innerWidth * 0.3))));
  const [detailWidth, setDetailWidth] = useState(() => Math.min(620, Math.max(380, Math.round(window.innerWidth * 0.32))));

  // ---- timeline controller (imperative canvas) -----------------------------------------------
  const controller = useMemo(
    () =>
      new TimelineController({
        onSelect: (row) => dispatch({ type: 'select', row }),
        onHover: (row, x, y) => setHover(row >= 0 ? { row, x, y } : null),
      }),
    [],
  );

  // ---- data -------------------------------------------------------------------------------------
  const { metrics, critical, errorRows } = useTraceAnalysis(traceId, m);
  const { match, matchRows, pending, indexed } = useSpanSearch(traceId, m, filter);
  const spanBody = useSpanBody(traceId, m, selected);
  const spanNotes = useSpanNoteMarks(traceId, m);

  const filterMode = filter.mode === 'filter' && match !== null;
  const pinned = filterMode ? selected : -1;
  const visible = useMemo(
    () => computeVisibleRows(m, collapsed, filterMode ? match : null, pinned),
    [m, collapsed, filterMode, match, pinned],
  );
  const matchIndex = matchRows && selected >= 0 ? matchRows.indexOf(selected) : -1;
  const errorIndex = selected >= 0 ? errorRows.indexOf(selected) : -1;

  // First render of tree + timeline: mark it once the canvas has drawn (benchmark reads it).
  const visibleRef = useRef(visible);
  visibleRef.current = visible;
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
    });
    return () => cancelAnimationFrame(id);
  }, [controller, m]);

  // ---- selection --------------------------------------------------------------------------------
  const select = useCallback(
    (row: number, opts: { reveal?: boolean; open?: boolean } = {}) => {
      if (row < 0 || row >= m.n) return;
      dispatch({ type: 'select', row, ...opts });
      if (opts.reveal) controller.revealRow(row);
    },
    [m, controller],
  );

  useEffect(() => {
    const id = selected >= 0 ? m.spanId[selected]! : null;
    onSelectionChange(id);
    const hash = traceHash(traceId, id);
    if (window.location.hash !== hash) history.replaceState(null, '', hash);
  }, [selected, m, traceId, onSelectionChange]);

  // A deep link followed while the trace is open (hash edited, back/forward). Only a change of
  // the route's span moves the selection: selecting in the view rewrites the hash itself.
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  useEffect(() => {
    if (!routeSpanId) return;
    const r = m.rowOf.get(routeSpanId);
    if (r !== undefined && r !== selectedRef.current) select(r, { reveal: true });
  }, [routeSpanId, m, select]);

  const toggle = useCallback((row: number) => dispatch({ type: 'toggle', row }), []);

  const openRootCause = (row: number) => {
    if (row < 0) return;
    const spanId = m.spanId[row]!;
    dispatch({ type: 'rootCauseStart', spanId });
    client.call('getRootCause', { traceId, spanId }).then(
      (data) => {
        dispatch({ type: 'rootCauseLoaded', spanId, data, error: data ? null : 'span not found' });
        const first = data?.steps[Math.max(0, data.firstAnomaly)];
        const r = first ? m.rowOf.get(first.spanId) : undefined;
        if (r !== undefined) select(r, { reveal: true });
      },
      (e: unknown) => dispatch({ type: 'rootCauseLoaded', spanId, data: null, error: String(e) }),
    );
  };

  const rcStep = (i: number) => {
    if (!rc?.data) return;
    const step = Math.max(0, Math.min(rc.data.steps.length - 1, i));
    dispatch({ type: 'rootCauseStep', step });
    const r = m.rowOf.get(rc.data.steps[step]!.spanId);
    if (r !== undefined) select(r, { reveal: true });
  };

  const selectSpanId = (id: string) => {
    const r = m.rowOf.get(id);
    if (r !== undefined) select(r, { reveal: true });
  };

  const moveBy = (delta: number) => select(stepRow(visible, selected, delta), { reveal: true, open: detailOpen });
  const jumpError = (dir: 1 | -1) => select(nextError(m, errorRows, selected, dir), { reveal: true });
  const jumpMatch = (dir: 1 | -1) => select(nextMatch(matchRows ?? [], selected, dir), { reveal: true });

  // ---- keyboard: the keymap table (state/keymap.ts) names the action, this runs it ------------
  const run = (action: TraceAction): boolean => {
    const rows = visible.rows;
    const hasKids = selected >= 0 && m.childCount[selected]! > 0;
    switch (action) {
      case 'next':
        moveBy(1);
        return true;
      case 'prev':
        moveBy(-1);
        return true;
      case 'pageDown':
        moveBy(20);
        return true;
      case 'pageUp':
        moveBy(-20);
        return true;
      case 'first':
        if (rows.length) select(rows[0]!, { reveal: true, open: detailOpen });
        return true;
      case 'last':
        if (rows.length) select(rows[rows.length - 1]!, { reveal: true, open: detailOpen });
        return true;
      case 'expandOrChild':
        if (hasKids) {
          if (collapsed[selected]) toggle(selected);
          else moveBy(1);
        }
        return true;
      case 'collapseOrParent':
        if (selected >= 0) {
          if (hasKids && !collapsed[selected]) toggle(selected);
          else if (m.parent[selected]! >= 0) select(m.parent[selected]!, { reveal: true, open: detailOpen });
        }
        return true;
      case 'openDetail':
        if (selected >= 0) dispatch({ type: 'openDetail' });
        else if (rows.length) select(rows[0]!, { reveal: true });
        return true;
      case 'toggle':
        if (hasKids) toggle(selected);
        return true;
      case 'nextError':
        jumpError(1);
        return true;
      case 'prevError':
        jumpError(-1);
        return true;
      case 'nextMatch':
        jumpMatch(1);
        return true;
      case 'prevMatch':
        jumpMatch(-1);
        return true;
      case 'focusFilter':
        filterInput.current?.focus();
        filterInput.current?.select();
        return true;
      case 'rootCause':
        if (selected >= 0) openRootCause(selected);
        return true;
      case 'rootCausePrev':
        if (rc) rcStep(rc.step - 1);
        return true;
      case 'rootCauseNext':
        if (rc) rcStep(rc.step + 1);
        return true;
      case 'toggleCritical':
        dispatch({ type: 'toggleCritical' });
        return true;
      case 'zoomIn':
        controller.zoomBy(1.5);
        return true;
      case 'zoomOut':
        controller.zoomBy(1 / 1.5);
        return true;
      case 'panLeft':
        controller.panBy(-120);
        return true;
      case 'panRight':
        controller.panBy(120);
        return true;
      case 'resetZoom':
        controller.resetZoom();
        return true;
      case 'focusSpan':
        if (selected >= 0) controller.focusRow(selected);
        return true;
      case 'fitRows':
        controller.fitVisibleRows();
        return true;
      case 'toggleHelp':
        dispatch({ type: 'toggleHelp' });
        return true;
      case 'escape':
        if (!escapeHandled(st)) return false;
        dispatch({ type: 'escape' });
        return true;
    }
  };
  // The window listener is added once and calls the latest closure (it reads this render's state).
  const keyRef = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keyRef.current = (e: KeyboardEvent) => {
    const action = actionForKey({
      key: e.key,
      altKey: e.altKey,
      ctrlKey: e.ctrlKey,
      metaKey: e.metaKey,
      defaultPrevented: e.defaultPrevented,
      inEditable: isEditableTarget(e.target),
    });
    if (action && run(action)) e.preventDefault();
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
        <MetricsBar metrics={metrics} summary={s} />
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
            <input type="checkbox" checked={showCritical} onChange={(e) => dispatch({ type: 'setCritical', on: e.currentTarget.checked })} />
            <span className="tv-critical-swatch" />
            Critical path
          </label>
          <button type="button" className="icon-button" onClick={() => dispatch({ type: 'setHelp', open: true })} title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">
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
          onChange={(f) => dispatch({ type: 'setFilter', filter: f })}
          kindsPresent={kindsPresent}
          matchCount={matchRows ? matchRows.length : null}
          matchIndex={matchIndex}
          pending={pending}
          indexed={indexed}
          onNext={() => jumpMatch(1)}
          onPrev={() => jumpMatch(-1)}
        />
      </div>

      <div className="tv-body" style={{ gridTemplateColumns: showDetail ? `minmax(0,1fr) 4px ${detailWidth}px` : 'minmax(0,1fr)' }}>
        <div className="tv-main">
          <TracePane
            model={m}
            visible={visible}
            collapsed={collapsed}
            selected={selected}
            highlight={filter.mode === 'highlight' ? match : null}
            critical={critical}
            showCritical={showCritical}
            treeWidth={treeWidth}
            controller={controller}
            revealSeq={st.revealSeq}
            notes={spanNotes.notes}
            firstFailure={spanNotes.firstFailureRows}
            // Stable callbacks: the tree's rows are memoised, and the answers that come in after
            // the first paint (analysis, notes, scores) must not re-render every row on screen.
            onSelect={select}
            onToggle={toggle}
            onOpen={select}
            onSplitterDown={(e) => dragSplit(e, 'tree')}
            headControls={
          <div className="tv-head-controls">
            <span className="tv-head-title">Spans</span>
            <button type="button" className="btn-mini" onClick={() => dispatch({ type: 'expandAll' })} title="Expand all">
              Expand all
            </button>
            <button type="button" className="btn-mini" onClick={() => dispatch({ type: 'collapseFromDepth', depth: 0 })} title="Collapse all">
              Collapse all
            </button>
            <select
              className="tv-select mini"
              value=""
              aria-label="Expand to depth"
              onChange={(e) => {
                const d = Number(e.currentTarget.value);
                if (d > 0) dispatch({ type: 'collapseFromDepth', depth: d });
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
                if (k >= 0) dispatch({ type: 'toggleKind', kind: k });
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
            }
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
              onClose={() => dispatch({ type: 'rootCauseClose' })}
            />
          ) : null}
        </div>
        {showDetail ? (
          <>
            <div className="tv-splitter" onPointerDown={(e) => dragSplit(e, 'detail')} role="separator" aria-orientation="vertical" />
            <SpanDetail
              model={m}
              row={selected}
              span={spanBody?.row === selected ? spanBody.span : null}
              loading={spanBody?.loading ?? true}
              error={spanBody?.row === selected ? spanBody.error : null}
              onRootCause={m.status[selected] === STATUS_ERROR || (rc && rc.spanId === m.spanId[selected]) ? () => openRootCause(selected) : null}
              onFocusTimeline={() => controller.focusRow(selected)}
              onCopyLink={() => void copyText(window.location.href)}
              onClose={() => dispatch({ type: 'closeDetail' })}
            />
          </>
        ) : null}
      </div>
      {hover ? <HoverCard model={m} row={hover.row} x={hover.x} y={hover.y} onPath={critical?.onPath[hover.row] === 1} /> : null}
      {help ? <KeyHelp onClose={() => dispatch({ type: 'setHelp', open: false })} /> : null}
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
