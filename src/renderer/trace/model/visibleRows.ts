import type { TraceModel } from './traceModel';

/** keep[] values (0: hidden): why a row is shown under a filter. */
export const KEEP_MATCH = 1;
/** An ancestor of a match, shown (dimmed) so the match keeps its place in the tree. */
export const KEEP_CONTEXT = 2;

export interface VisibleRows {
  /** Rows shown, top to bottom. */
  rows: Int32Array;
  /** Position of each model row in `rows`, -1 when hidden. */
  indexOf: Int32Array;
  /** Per row: KEEP_*; null without a filter (everything kept). */
  keep: Uint8Array | null;
}

/**
 * Rows to show given collapsed subtrees and an optional filter. Two linear passes: matches mark
 * their ancestors as context (backwards: children come after parents), then a forward walk skips
 * collapsed or unkept subtrees by jumping to subtreeEnd. `pinned` (the selection) always shows.
 */
export function computeVisibleRows(
  m: TraceModel,
  collapsed: Uint8Array,
  match: Uint8Array | null,
  pinned = -1,
): VisibleRows {
  const n = m.n;
  let keep: Uint8Array | null = null;
  if (match) {
    keep = new Uint8Array(n);
    for (let r = 0; r < n; r++) if (match[r]) keep[r] = KEEP_MATCH;
    if (pinned >= 0 && pinned < n && !keep[pinned]) keep[pinned] = KEEP_CONTEXT;
    for (let r = n - 1; r >= 0; r--) {
      const p = m.parent[r]!;
      if (keep[r] && p >= 0 && !keep[p]) keep[p] = KEEP_CONTEXT;
    }
  }
  const out = new Int32Array(n);
  const indexOf = new Int32Array(n).fill(-1);
  let k = 0;
  let r = 0;
  while (r < n) {
    if (keep && !keep[r]) {
      r = m.subtreeEnd[r]!;
      continue;
    }
    indexOf[r] = k;
    out[k++] = r;
    r = collapsed[r] ? m.subtreeEnd[r]! : r + 1;
  }
  return { rows: out.subarray(0, k), indexOf, keep };
}

/** Un-collapse every ancestor of a row so it becomes visible; returns a new array if changed. */
export function expandTo(m: TraceModel, collapsed: Uint8Array, row: number): Uint8Array {
  let p = m.parent[row]!;
  let next: Uint8Array | null = null;
  while (p >= 0) {
    if (collapsed[p]) {
      next ??= collapsed.slice();
      next[p] = 0;
    }
    p = m.parent[p]!;
  }
  return next ?? collapsed;
}

/** Collapse every span with children at depth ≥ d (d = Infinity expands all). */
export function collapseFromDepth(m: TraceModel, d: number): Uint8Array {
  const out = new Uint8Array(m.n);
  for (let r = 0; r < m.n; r++) if (m.childCount[r]! > 0 && m.depth[r]! >= d) out[r] = 1;
  return out;
}

/** Collapse (or, if all already are, expand) every span of a kind that has children. */
export function toggleKind(m: TraceModel, collapsed: Uint8Array, kind: number): Uint8Array {
  let all = true;
  let any = false;
  for (let r = 0; r < m.n; r++) {
    if (m.kind[r] === kind && m.childCount[r]! > 0) {
      any = true;
      if (!collapsed[r]) all = false;
    }
  }
  if (!any) return collapsed;
  const out = collapsed.slice();
  for (let r = 0; r < m.n; r++) if (m.kind[r] === kind && m.childCount[r]! > 0) out[r] = all ? 0 : 1;
  return out;
}

/**
 * Default expansion: everything open, as Jaeger does. Rows are virtualised, so a fully open
 * 100k-span tree costs no more to show than a collapsed one.
 */
export function initialCollapsed(m: TraceModel): Uint8Array {
  return new Uint8Array(m.n);
}
