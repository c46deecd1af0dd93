import type { SpanKind } from '../../shared/api';

/** One colour per span kind, shared by tree icons, timeline bars and the minimap. */
export const KIND_COLORS: Record<SpanKind, string> = {
  agent: '#a78bfa',
  llm: '#4c9aff',
  tool: '#e0a545',
  retrieval: '#2ec4b6',
  embedding: '#7dd3c0',
  chain: '#8492a6',
  other: '#6b7280',
};

export const ERROR_COLOR = '#f26d6d';
export const CRITICAL_COLOR = '#ffd166';

export const KIND_LABELS: Record<SpanKind, string> = {
  agent: 'Agent',
  llm: 'LLM',
  tool: 'Tool',
  retrieval: 'Retrieval',
  embedding: 'Embedding',
  chain: 'Chain',
  other: 'Other',
};

/** Small stroke icons (16×16 viewBox), drawn in the kind colour. */
const PATHS: Record<SpanKind, string> = {
  // robot head
  agent: 'M5 6h6a2 2 0 0 1 2 2v3a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2zM8 3v3M6.5 9.5h0M9.5 9.5h0',
  // sparkle (model call)
  llm: 'M8 2.5l1.4 3.6L13 7.5 9.4 8.9 8 12.5 6.6 8.9 3 7.5l3.6-1.4z',
  // wrench
  tool: 'M10.5 2.8a3 3 0 0 0-3.6 3.9L3 10.6 5.4 13l3.9-3.9a3 3 0 0 0 3.9-3.6l-1.8 1.8-1.7-.5-.5-1.7z',
  // magnifier over lines
  retrieval: 'M7 3.5a3.5 3.5 0 1 1 0 7 3.5 3.5 0 0 1 0-7zM9.6 9.6 13 13',
  // vector dots
  embedding: 'M4 4h0M8 4h0M12 4h0M4 8h0M8 8h0M12 8h0M4 12h0M8 12h0M12 12h0',
  // chain links
  chain: 'M6.5 9.5l3-3M7 4.5l1-1a2.5 2.5 0 0 1 3.5 3.5l-1 1M9 11.5l-1 1A2.5 2.5 0 0 1 4.5 9l1-1',
  other: 'M8 5.5a2.5 2.5 0 1 1 0 5 2.5 2.5 0 0 1 0-5z',
};

export function KindIcon({ kind, size = 14 }: { kind: SpanKind; size?: number }) {
  return (
    <svg
      className={`kind-icon kind-${kind}`}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke={KIND_COLORS[kind]}
      strokeWidth={kind === 'embedding' ? 2.6 : 1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-label={KIND_LABELS[kind]}
      role="img"
    >
      <path d={PATHS[kind]} />
    </svg>
  );
}
