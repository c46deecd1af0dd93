import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { KindIcon } from './kinds';
import { STATUS_ERROR, durationOf, kindOf, nameOf, type TraceModel } from './model/traceModel';
import type { CriticalRows } from './model/traceAnalysis';
import { KEEP_CONTEXT, type VisibleRows } from './model/visibleRows';
import type { TimelineController } from './timeline/TimelineController';
import { ROW_HEIGHT } from './timeline/timelineMath';
import { formatCompact, formatCost, formatDuration } from '../util/format';

/**
 * Tree and timeline share one vertical scroll: the tree's rows are DOM (virtualised: only the
 * rows on screen plus a small overscan exist), the timeline is one sticky canvas beside them,
 * redrawn synchronously from the scroll handler so bars and rows move together.
 */

const OVERSCAN = 12;
const INDENT = 14;

export interface SpanTreeProps {
  model: TraceModel;
  visible: VisibleRows;
  collapsed: Uint8Array;
  selected: number;
  highlight: Uint8Array | null;
  critical: CriticalRows | null;
  showCritical: boolean;
  treeWidth: number;
  controller: TimelineController;
  /** Bumped by the parent to ask for the selection to be scrolled into view (jumps, deep links). */
  revealSeq: number;
  /** Spans with open-coding notes (labelling mode), by span id. */
  notes?: ReadonlyMap<string, SpanNoteMark>;
  onSelect(row: number): void;
  onToggle(row: number): void;
  onOpen(row: number): void;
}

/** A span's notes as the tree marks them: ⚑ for the first failure, ✎ for notes. */
export interface SpanNoteMark {
  firstFailure: boolean;
  notes: string[];
}

export function SpanTree(p: SpanTreeProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const barsRef = useRef<HTMLCanvasElement>(null);
  const [range, setRange] = useState<[number, number]>([0, 60]);
  const [height, setHeight] = useState(600);
  const rowsLen = p.visible.rows.length;

  const updateRange = useCallback(() => {
    const el = scroller.current;
    if (!el) return;
    const first = Math.floor(el.scrollTop / ROW_HEIGHT);
    const count = Math.ceil(el.clientHeight / ROW_HEIGHT);
    const from = Math.max(0, first - OVERSCAN);
    const to = Math.min(rowsLen, first + count + OVERSCAN);
    setRange((r) => (r[0] === from && r[1] === to ? r : [from, to]));
    p.controller.setScroll(el.scrollTop, el.clientHeight);
  }, [rowsLen, p.controller]);

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => {
      setHeight(el.clientHeight);
      p.controller.resize(Math.max(50, el.clientWidth - p.treeWidth - 4), el.clientHeight);
      updateRange();
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [p.controller, p.treeWidth, updateRange]);

  useLayoutEffect(() => {
    updateRange();
  }, [updateRange, p.visible]);

  useEffect(() => {
    const el = scroller.current;
    if (el) p.controller.resize(Math.max(50, el.clientWidth - p.treeWidth - 4), el.clientHeight);
    p.controller.attachBars(barsRef.current);
  }, [p.controller, p.treeWidth]);

  // Keep the selection on screen after keyboard moves and jumps.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el || p.selected < 0) return;
    const k = p.visible.indexOf[p.selected]!;
    if (k < 0) return;
    const top = k * ROW_HEIGHT;
    if (top < el.scrollTop || top + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 2 + ROW_HEIGHT / 2);
      updateRange();
    }
  }, [p.selected, p.visible, p.revealSeq, updateRange]);

  // Rows are keyed by their slot on screen, not by span: a jump across the trace then updates
  // the row elements in place instead of replacing every one of them (one frame either way, but
  // a much shorter one), and a scroll by a few rows still leaves the others untouched.
  const slots = Math.max(1, Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN + 1);
  const rows: React.ReactNode[] = [];
  for (let k = range[0]; k < Math.min(range[1], rowsLen); k++) {
    const r = p.visible.rows[k]!;
    rows.push(
      <TreeRow
        key={range[1] - range[0] <= slots ? k % slots : `r${r}`}
        row={r}
        top={k * ROW_HEIGHT}
        model={p.model}
        selected={r === p.selected}
        collapsed={p.collapsed[r] === 1}
        context={p.visible.keep !== null && p.visible.keep[r] === KEEP_CONTEXT}
        highlighted={p.highlight !== null && p.highlight[r] === 1}
        critical={p.showCritical && p.critical !== null && p.critical.onPath[r] === 1}
        width={p.treeWidth}
        note={p.notes?.get(p.model.spanId[r]!) ?? null}
        onSelect={p.onSelect}
        onToggle={p.onToggle}
        onOpen={p.onOpen}
      />,
    );
  }

  return (
    <div
      className="tv-scroll"
      ref={scroller}
      onScroll={updateRange}
      tabIndex={0}
      data-testid="span-tree"
      role="tree"
      aria-label="Spans"
      data-rows={rowsLen}
      data-first-row={range[0]}
      data-last-row={Math.min(range[1], rowsLen) - 1}
    >
      <div className="tv-sticky">
        <canvas
          ref={barsRef}
          className="tv-bars"
          data-testid="timeline-canvas"
          style={{ left: p.treeWidth + 4, height }}
        />
      </div>
      <div className="tv-spacer" style={{ height: rowsLen * ROW_HEIGHT }}>
        <div className="tv-rows" style={{ width: p.treeWidth }}>
          {rows}
        </div>
      </div>
    </div>
  );
}

interface RowProps {
  row: number;
  top: number;
  model: TraceModel;
  selected: boolean;
  collapsed: boolean;
  context: boolean;
  highlighted: boolean;
  critical: boolean;
  width: number;
  note: SpanNoteMark | null;
  onSelect(row: number): void;
  onToggle(row: number): void;
  onOpen(row: number): void;
}

const TreeRow = memo(function TreeRow(p: RowProps) {
  const m = p.model;
  const r = p.row;
  const kind = kindOf(m, r);
  const depth = m.depth[r]!;
  const kids = m.childCount[r]!;
  const isError = m.status[r] === STATUS_ERROR;
  const name = nameOf(m, r);
  const model = m.model[r]! >= 0 ? m.models[m.model[r]!] : null;
  const tool = m.tool[r]! >= 0 ? m.tools[m.tool[r]!] : null;
  const dur = durationOf(m, r);
  const tokens =
    (Number.isNaN(m.inputTokens[r]!) ? 0 : m.inputTokens[r]!) + (Number.isNaN(m.outputTokens[r]!) ? 0 : m.outputTokens[r]!);
  const hasTokens = !Number.isNaN(m.inputTokens[r]!) || !Number.isNaN(m.outputTokens[r]!);
  const cost = m.costUsd[r]!;
  const hidden = p.collapsed ? m.subtreeEnd[r]! - r - 1 : 0;
  const cls =
    'tv-row' +
    (p.selected ? ' selected' : '') +
    (p.context ? ' context' : '') +
    (p.highlighted ? ' highlighted' : '') +
    (isError ? ' error' : '');
  return (
    <div
      className={cls}
      style={{ top: p.top }}
      role="treeitem"
      aria-level={depth + 1}
      aria-selected={p.selected}
      aria-expanded={kids > 0 ? !p.collapsed : undefined}
      data-row={r}
      data-span-id={m.spanId[r]}
      data-kind={kind}
      data-status={isError ? 'error' : undefined}
      onClick={() => p.onSelect(r)}
      onDoubleClick={() => (kids > 0 ? p.onToggle(r) : p.onOpen(r))}
    >
      <div className="tv-cell-name" style={{ paddingLeft: 6 + depth * INDENT }}>
        {depth > 0 ? <span className="tv-guides" style={{ width: depth * INDENT }} /> : null}
        {p.critical ? <span className="tv-critical-mark" title="On the critical path" /> : null}
        {kids > 0 ? (
          <button
            // Keyed by span: a row element reused for another span must not animate its toggle.
            key={r}
            type="button"
            className={`tv-toggle${p.collapsed ? ' collapsed' : ''}`}
            tabIndex={-1}
            aria-label={p.collapsed ? 'Expand' : 'Collapse'}
            onClick={(e) => {
              e.stopPropagation();
              p.onToggle(r);
            }}
          >
            <svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true">
              <path d="M3 2l4 3-4 3" fill="none" stroke="currentColor" strokeWidth="1.5" />
            </svg>
          </button>
        ) : (
          <span className="tv-toggle-spacer" />
        )}
        <KindIcon kind={kind} />
        <span className="tv-name" title={name}>
          {name}
        </span>
        {model && kind === 'llm' && !name.includes(model) ? <span className="tv-sub">{model}</span> : null}
        {tool && kind === 'tool' && !name.includes(tool) ? <span className="tv-sub">{tool}</span> : null}
        {m.concurrent[r] ? (
          <span className="tv-badge parallel" title="Runs in parallel with a sibling">
            ∥
          </span>
        ) : null}
        {hidden > 0 ? <span className="tv-badge hidden-count">+{formatCompact(hidden)}</span> : null}
        {isError ? <span className="tv-badge err">error</span> : null}
        {p.note?.firstFailure ? (
          <span
            className="tv-badge first-failure"
            data-testid="tree-first-failure"
            aria-label="first failure"
            title={['First failure (marked while labelling)', ...p.note.notes].join('\n')}
          >
            ⚑
          </span>
        ) : p.note ? (
          <span className="tv-badge note" data-testid="tree-note" title={p.note.notes.join('\n')}>
            ✎ {p.note.notes.length}
          </span>
        ) : null}
      </div>
      <div className="tv-cell-num dur">{Number.isNaN(dur) ? '—' : formatDuration(dur)}</div>
      <div className="tv-cell-num tok" title={hasTokens ? `${m.inputTokens[r]} in / ${m.outputTokens[r]} out` : undefined}>
        {hasTokens ? formatCompact(tokens) : ''}
      </div>
      <div className="tv-cell-num cost">{Number.isNaN(cost) ? '' : formatCost(cost)}</div>
    </div>
  );
});
