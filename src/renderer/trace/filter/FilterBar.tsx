import { forwardRef } from 'react';
import { SPAN_KINDS, type SpanKind, type SpanStatus } from '../../../shared/api';
import { KIND_LABELS, KindIcon } from '../kinds';
import { parseAttribute, parseDurationMs, type FilterState } from './filterState';

export interface FilterBarProps {
  filter: FilterState;
  onChange(f: FilterState): void;
  /** Kinds present in the trace (only those get a chip). */
  kindsPresent: SpanKind[];
  matchCount: number | null;
  matchIndex: number;
  pending: boolean;
  indexed: boolean;
  onNext(): void;
  onPrev(): void;
}

const STATUS_OPTIONS: { value: string; label: string; status: SpanStatus[] }[] = [
  { value: '', label: 'Any status', status: [] },
  { value: 'error', label: 'Errors', status: ['error'] },
  { value: 'ok', label: 'OK', status: ['ok'] },
  { value: 'unset', label: 'Unset', status: ['unset'] },
];

/** Filter and search: text (also inside span bodies), kinds, status, minimum duration, attribute. */
export const FilterBar = forwardRef<HTMLInputElement, FilterBarProps>(function FilterBar(p, textRef) {
  const f = p.filter;
  const set = (patch: Partial<FilterState>) => p.onChange({ ...f, ...patch });
  const badDuration = f.minDuration.trim() !== '' && parseDurationMs(f.minDuration) === null;
  const badAttr = f.attribute.trim() !== '' && parseAttribute(f.attribute) === null;
  const active = f.text || f.kinds.length || f.status.length || f.minDuration || f.attribute;

  return (
    <div className="tv-filter" role="search" data-testid="filter-bar">
      <div className="tv-search">
        <svg width="13" height="13" viewBox="0 0 16 16" aria-hidden="true" className="tv-search-icon">
          <path d="M7 2.5a4.5 4.5 0 1 1 0 9 4.5 4.5 0 0 1 0-9zM10.5 10.5 14 14" fill="none" stroke="currentColor" strokeWidth="1.5" />
        </svg>
        <input
          ref={textRef}
          type="search"
          className="tv-search-input"
          placeholder="Filter: names, messages, tool args…"
          value={f.text}
          aria-label="Filter spans by text"
          data-testid="filter-text"
          onChange={(e) => set({ text: e.currentTarget.value })}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              if (e.shiftKey) p.onPrev();
              else p.onNext();
            } else if (e.key === 'Escape') {
              e.preventDefault();
              if (f.text) set({ text: '' });
              else e.currentTarget.blur();
            }
          }}
        />
        {p.matchCount !== null ? (
          <span className="tv-match-count" data-testid="match-count" title={p.indexed ? 'answered from the text index' : undefined}>
            {p.pending ? '…' : p.matchCount === 0 ? 'no match' : `${p.matchIndex >= 0 ? p.matchIndex + 1 : '–'} / ${p.matchCount}`}
          </span>
        ) : (
          <kbd className="tv-kbd-hint">/</kbd>
        )}
        <button type="button" className="icon-button" onClick={p.onPrev} disabled={!p.matchCount} title="Previous match (N)" aria-label="Previous match">
          ‹
        </button>
        <button type="button" className="icon-button" onClick={p.onNext} disabled={!p.matchCount} title="Next match (n)" aria-label="Next match">
          ›
        </button>
      </div>

      <div className="tv-chips" role="group" aria-label="Kinds">
        {SPAN_KINDS.filter((k) => p.kindsPresent.includes(k)).map((k) => {
          const on = f.kinds.includes(k);
          return (
            <button
              key={k}
              type="button"
              className={`tv-chip${on ? ' on' : ''}`}
              aria-pressed={on}
              data-testid={`kind-chip-${k}`}
              onClick={() => set({ kinds: on ? f.kinds.filter((x) => x !== k) : [...f.kinds, k] })}
            >
              <KindIcon kind={k} size={12} />
              {KIND_LABELS[k]}
            </button>
          );
        })}
      </div>

      <select
        className="tv-select"
        value={f.status.length === 1 ? f.status[0] : ''}
        aria-label="Status"
        data-testid="filter-status"
        onChange={(e) => set({ status: STATUS_OPTIONS.find((o) => o.value === e.currentTarget.value)?.status ?? [] })}
      >
        {STATUS_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>

      <input
        className={`tv-small-input${badDuration ? ' invalid' : ''}`}
        placeholder="≥ duration"
        title="Minimum duration: 500ms, 1.5s, 2m"
        aria-label="Minimum duration"
        data-testid="filter-duration"
        value={f.minDuration}
        onChange={(e) => set({ minDuration: e.currentTarget.value })}
      />
      <input
        className={`tv-attr-input${badAttr ? ' invalid' : ''}`}
        placeholder="attribute=value"
        title="Attribute key (exact), optionally =value (substring)"
        aria-label="Attribute filter"
        data-testid="filter-attribute"
        value={f.attribute}
        onChange={(e) => set({ attribute: e.currentTarget.value })}
      />

      <div className="tv-seg" role="group" aria-label="Filter mode">
        <button type="button" className={f.mode === 'filter' ? 'on' : ''} aria-pressed={f.mode === 'filter'} onClick={() => set({ mode: 'filter' })}>
          Filter
        </button>
        <button
          type="button"
          className={f.mode === 'highlight' ? 'on' : ''}
          aria-pressed={f.mode === 'highlight'}
          onClick={() => set({ mode: 'highlight' })}
        >
          Highlight
        </button>
      </div>
      {active ? (
        <button type="button" className="link-button" onClick={() => p.onChange({ ...f, text: '', kinds: [], status: [], minDuration: '', attribute: '' })}>
          Clear
        </button>
      ) : null}
    </div>
  );
});
