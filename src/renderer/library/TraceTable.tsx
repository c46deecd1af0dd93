import { memo, useEffect, useLayoutEffect, useState, type RefObject } from 'react';
import type { TraceSummary } from '../../shared/api';
import { COLUMNS, GRID_TEMPLATE, type Column } from './columns';
import type { SortState, TraceSortField } from './filters';
import type { TracePages } from './useTracePages';

export const ROW_HEIGHT = 26;
const HEADER_HEIGHT = 28;
const OVERSCAN = 12;

interface Props {
  pages: TracePages;
  sort: SortState;
  onSort(field: TraceSortField, firstDir: 'asc' | 'desc'): void;
  selected: number;
  onSelect(index: number): void;
  onOpen(trace: TraceSummary): void;
  /** Changes when the query changes: the table jumps back to the top. */
  resetKey: string;
  gridRef: RefObject<HTMLDivElement | null>;
}

function ariaSort(c: Column, s: SortState): 'ascending' | 'descending' | 'none' | undefined {
  if (!c.sort) return undefined;
  if (c.sort !== s.sort) return 'none';
  return s.dir === 'asc' ? 'ascending' : 'descending';
}

/**
 * A virtualised grid: one absolutely positioned row per visible index, a spacer as tall as the
 * whole result set, and a sticky header inside the same scroller so horizontal scrolling keeps
 * header and cells aligned.
 */
export function TraceTable({ pages, sort, onSort, selected, onSelect, onOpen, resetKey, gridRef }: Props) {
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  const total = pages.extent;

  useLayoutEffect(() => {
    const el = gridRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, [gridRef]);

  useEffect(() => {
    if (gridRef.current) gridRef.current.scrollTop = 0;
    setScrollTop(0);
  }, [resetKey, gridRef]);

  const bodyHeight = Math.max(0, height - HEADER_HEIGHT);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(total - 1, Math.ceil((scrollTop + bodyHeight) / ROW_HEIGHT) + OVERSCAN);

  useEffect(() => {
    if (total > 0) pages.ensure(first, last);
  }, [first, last, total, pages.version, pages]);

  // Keep the keyboard selection on screen.
  useEffect(() => {
    const el = gridRef.current;
    if (!el || selected < 0) return;
    const top = selected * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + ROW_HEIGHT > el.scrollTop + bodyHeight) el.scrollTop = top + ROW_HEIGHT - bodyHeight;
  }, [selected, bodyHeight, gridRef]);

  const rows = [];
  for (let i = first; i <= last; i++) {
    const t = pages.shownRow(i);
    const style = { top: HEADER_HEIGHT + i * ROW_HEIGHT };
    if (!t) {
      rows.push(
        <div key={`p${i}`} className="trace-row placeholder" style={style} role="row" aria-rowindex={i + 2}>
          <div className="cell" role="gridcell">
            <span className="skeleton" />
          </div>
        </div>,
      );
      continue;
    }
    rows.push(<TraceRow key={`r${i}`} index={i} trace={t} top={style.top} selected={i === selected} onSelect={onSelect} onOpen={onOpen} />);
  }

  return (
    <div
      className="trace-grid"
      ref={gridRef}
      role="grid"
      aria-label="Traces"
      aria-busy={pages.stale || undefined}
      aria-rowcount={total + 1}
      aria-colcount={COLUMNS.length}
      tabIndex={0}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      {/* The column template is set once here (library.css reads it): per row it was restyled with every row. */}
      <div className="trace-spacer" style={{ height: HEADER_HEIGHT + total * ROW_HEIGHT, ['--trace-columns' as string]: GRID_TEMPLATE }}>
        <div className="trace-header" role="row" aria-rowindex={1}>
          {COLUMNS.map((c) => {
            const active = c.sort && c.sort === sort.sort;
            return (
              <div
                key={c.id}
                role="columnheader"
                aria-sort={ariaSort(c, sort)}
                className={`cell head col-${c.id}${c.align === 'right' ? ' num' : ''}${c.sort ? ' sortable' : ''}${active ? ' active' : ''}`}
                title={c.sort ? `${c.title} — click to sort` : c.title}
              >
                {c.sort ? (
                  <button
                    type="button"
                    className="sort-button"
                    data-sort={c.sort}
                    onClick={() => onSort(c.sort!, c.firstDir ?? 'desc')}
                  >
                    <span>{c.label}</span>
                    <span className="sort-arrow" aria-hidden="true">
                      {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                    </span>
                  </button>
                ) : (
                  <span className="head-label">{c.label}</span>
                )}
              </div>
            );
          })}
        </div>
        {rows}
        {/* Over the previous query's rows until the new answer (pages.stale): they take no click.
            One element, not a class on the grid: that restyled every cell twice per sort. */}
        {pages.stale ? <div className="trace-busy-cover" aria-hidden="true" /> : null}
      </div>
    </div>
  );
}

interface RowProps {
  index: number;
  trace: TraceSummary;
  top: number;
  selected: boolean;
  onSelect(index: number): void;
  onOpen(trace: TraceSummary): void;
}

/**
 * One trace's row. Memoised: the library re-renders on every sort click, selection move and
 * loading flag, and only rows whose trace, place or selection changed need their 13 cells made
 * again (the callbacks are stable: LibraryView's setSelected and open).
 */
const TraceRow = memo(function TraceRow({ index, trace: t, top, selected, onSelect, onOpen }: RowProps) {
  return (
    <div
      className={`trace-row${selected ? ' selected' : ''}${t.status === 'error' ? ' has-error' : ''}`}
      style={{ top }}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-trace-index={index}
      onMouseDown={() => onSelect(index)}
      onClick={() => {
        suppressDoubleClickSelection();
        onOpen(t);
      }}
    >
      {COLUMNS.map((c) => (
        <div key={c.id} className={`cell col-${c.id}${c.align === 'right' ? ' num' : ''}`} role="gridcell" title={c.tip?.(t)}>
          {c.render(t)}
        </div>
      ))}
    </div>
  );
});

/**
 * A click opens the trace at once, so the second click of a double-click lands on the trace
 * view and would select the header text under the pointer. Cancel the text selection of that
 * one follow-up press (a multi-click mousedown), and only of it.
 */
function suppressDoubleClickSelection(): void {
  const onDown = (e: MouseEvent) => {
    if (e.detail > 1) e.preventDefault();
    done();
  };
  const done = () => {
    window.removeEventListener('mousedown', onDown, true);
    clearTimeout(timer);
  };
  window.addEventListener('mousedown', onDown, true);
  // A later press is a new click, not the second half of this one.
  const timer = setTimeout(done, 800);
}
