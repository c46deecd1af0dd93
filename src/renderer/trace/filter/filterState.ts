import { SPAN_STATUSES, type SpanFilter, type SpanKind, type SpanStatus } from '../../../shared/api';
import { KIND_INDEX, type TraceModel } from '../model/traceModel';

export interface FilterState {
  text: string;
  kinds: SpanKind[];
  status: SpanStatus[];
  /** As typed: "500ms", "1.5s", "2m", "250" (ms). */
  minDuration: string;
  /** As typed: "key" or "key=value". */
  attribute: string;
  /** 'filter' hides non-matching spans (keeping their ancestors, dimmed); 'highlight' only marks them. */
  mode: 'filter' | 'highlight';
}

export const EMPTY_FILTER: FilterState = { text: '', kinds: [], status: [], minDuration: '', attribute: '', mode: 'filter' };

export function parseDurationMs(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(µs|us|ms|s|m|min|h)?\s*$/i.exec(s);
  if (!m) return null;
  const v = Number(m[1]);
  const unit = (m[2] ?? 'ms').toLowerCase();
  const f = unit === 'µs' || unit === 'us' ? 0.001 : unit === 's' ? 1000 : unit === 'm' || unit === 'min' ? 60_000 : unit === 'h' ? 3_600_000 : 1;
  return v * f;
}

export function parseAttribute(s: string): { key: string; value?: string } | null {
  const t = s.trim();
  if (!t) return null;
  const i = t.indexOf('=');
  if (i < 0) return { key: t };
  const key = t.slice(0, i).trim();
  const value = t.slice(i + 1).trim();
  return key ? (value ? { key, value } : { key }) : null;
}

/** The filter as the backend's searchSpans takes it; null when nothing filters. */
export function toSpanFilter(f: FilterState): SpanFilter | null {
  const out: SpanFilter = {};
  if (f.text.trim()) out.text = f.text.trim();
  if (f.kinds.length) out.kinds = f.kinds;
  if (f.status.length) out.status = f.status;
  const d = parseDurationMs(f.minDuration);
  if (d !== null) out.minDurationMs = d;
  const a = parseAttribute(f.attribute);
  if (a) out.attribute = a;
  return Object.keys(out).length ? out : null;
}

/** Whether answering needs the span bodies (text and attributes live there). */
export function needsServer(f: SpanFilter): boolean {
  return f.text !== undefined || f.attribute !== undefined;
}

/**
 * The part of a filter the view answers at once from its columns: kind, status, duration, and
 * text against name / span id / model / tool. For text, this is a subset of the server's answer
 * (which also looks into bodies) and shows while that answer is on its way.
 */
export function localMatches(m: TraceModel, f: SpanFilter): Uint8Array {
  const out = new Uint8Array(m.n);
  const kinds = f.kinds?.length ? new Set(f.kinds.map((k) => KIND_INDEX[k])) : null;
  const statuses = f.status?.length ? new Set(f.status.map((s) => SPAN_STATUSES.indexOf(s))) : null;
  const needle = f.text?.toLowerCase();
  const nameHit = needle ? m.names.map((n) => n.toLowerCase().includes(needle)) : null;
  const modelHit = needle ? m.models.map((n) => n.toLowerCase().includes(needle)) : null;
  const toolHit = needle ? m.tools.map((n) => n.toLowerCase().includes(needle)) : null;
  for (let r = 0; r < m.n; r++) {
    if (kinds && !kinds.has(m.kind[r]!)) continue;
    if (statuses && !statuses.has(m.status[r]!)) continue;
    if (f.minDurationMs !== undefined) {
      const d = m.end[r]! - m.start[r]!;
      if (!(d >= f.minDurationMs)) continue;
    }
    if (needle) {
      const hit =
        nameHit![m.name[r]!] ||
        (m.model[r]! >= 0 && modelHit![m.model[r]!]) ||
        (m.tool[r]! >= 0 && toolHit![m.tool[r]!]) ||
        m.spanId[r]!.toLowerCase().includes(needle);
      if (!hit) continue;
    }
    out[r] = 1;
  }
  return out;
}

export function filterKey(f: SpanFilter | null): string {
  return f ? JSON.stringify(f) : '';
}
