import type { Span, SpanKind, SpanStatus } from '../model/types';
import type { SpanFilter } from '../model/analysis';

export type { SpanFilter } from '../model/analysis';

export interface FilterableSummary {
  spanId: string;
  name: string;
  kind: SpanKind;
  status: SpanStatus;
  startMs: number;
  endMs: number | null;
  model?: string | null;
  toolName?: string | null;
}

export function durationOf(s: { startMs: number; endMs: number | null }): number | null {
  return s.endMs === null ? null : s.endMs - s.startMs;
}

/** The criteria answerable from the summary alone (kind, status, duration). */
export function matchesSummary(s: FilterableSummary, f: SpanFilter): boolean {
  if (f.kinds?.length && !f.kinds.includes(s.kind)) return false;
  if (f.status?.length && !f.status.includes(s.status)) return false;
  if (f.minDurationMs !== undefined) {
    const d = durationOf(s);
    if (d === null || d < f.minDurationMs) return false;
  }
  return true;
}

/** Text found without the body: name, span id, model, tool name. */
export function summaryTextMatches(s: FilterableSummary, needle: string): boolean {
  const n = needle.toLowerCase();
  return (
    s.name.toLowerCase().includes(n) ||
    s.spanId.toLowerCase().includes(n) ||
    (s.model ?? '').toLowerCase().includes(n) ||
    (s.toolName ?? '').toLowerCase().includes(n)
  );
}

/**
 * The text of a span as a searcher means it: every string and number in its body (message
 * contents, tool arguments and results, attribute keys and values, events), unescaped — so a
 * search for `"golden` finds what the user saw, not its JSON-escaped form. Iterative walk.
 */
export function spanSearchText(span: Span): string {
  const parts: string[] = [span.name, span.spanId];
  if (span.model) parts.push(span.model);
  if (span.statusMessage) parts.push(span.statusMessage);
  const stack: unknown[] = [
    span.attributes,
    span.events,
    span.input,
    span.output,
    span.inputMessages,
    span.outputMessages,
    span.toolCall,
    span.sourceKind,
    span.provider,
  ];
  while (stack.length > 0) {
    const v = stack.pop();
    if (v === null || v === undefined) continue;
    if (typeof v === 'string') parts.push(v);
    else if (typeof v === 'number' || typeof v === 'boolean') parts.push(String(v));
    else if (Array.isArray(v)) for (let k = v.length - 1; k >= 0; k--) stack.push(v[k]);
    else if (typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let k = entries.length - 1; k >= 0; k--) {
        parts.push(entries[k]![0]);
        stack.push(entries[k]![1]);
      }
    }
  }
  return parts.join('\n');
}

/** Attribute criterion against a span's attributes (exact key; value as case-insensitive substring). */
export function attributeMatches(attributes: Record<string, unknown>, key: string, value?: string): boolean {
  if (!Object.prototype.hasOwnProperty.call(attributes, key)) return false;
  if (value === undefined || value === '') return true;
  const v = attributes[key];
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  return (text ?? '').toLowerCase().includes(value.toLowerCase());
}
