/**
 * Analyses over the span tree (src/core/model/spanTree.ts, the one tree index): effective ends
 * of open spans and concurrent siblings. The tree itself is re-exported for the analysis modules.
 */
import type { SpanTree } from '../model/spanTree';

export {
  ancestorsOf,
  buildTraceTree,
  childrenOf,
  indicesByStart,
  type SpanTree as TraceTree,
  type TreeInput,
} from '../model/spanTree';
type TraceTree = SpanTree;

/**
 * Effective end per span index: its own end, or (open span / format without end times) the
 * latest end below it, and never before its start. One reverse pass over the rows.
 */
export function effectiveEnds(
  tree: TraceTree,
  starts: ArrayLike<number>,
  ends: ArrayLike<number | null>,
): Float64Array {
  const out = new Float64Array(tree.n);
  for (let i = 0; i < tree.n; i++) {
    const e = ends[i];
    out[i] = e === null || e === undefined || Number.isNaN(e) ? -Infinity : Math.max(e, starts[i]!);
  }
  const open = new Uint8Array(tree.n);
  for (let i = 0; i < tree.n; i++) if (out[i] === -Infinity) open[i] = 1;
  for (let r = tree.n - 1; r >= 0; r--) {
    const i = tree.order[r]!;
    if (open[i] && out[i]! < starts[i]!) out[i] = starts[i]!;
    const p = tree.parent[i]!;
    if (p >= 0 && open[p] && out[i]! > out[p]!) out[p] = out[i]!;
  }
  return out;
}

/**
 * Spans that overlap in time with a sibling: parallel tool calls, concurrent sub-agents. One
 * sweep per parent over its start-sorted children: a child starting before the latest end seen
 * so far overlaps the span holding that end (and both are marked).
 */
export function concurrentSiblings(tree: TraceTree, starts: ArrayLike<number>, effEnd: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(tree.n);
  const sweep = (from: number, to: number, list: ArrayLike<number>): void => {
    let maxEnd = -Infinity;
    let holder = -1;
    for (let k = from; k < to; k++) {
      const c = list[k]!;
      if (starts[c]! < maxEnd) {
        out[c] = 1;
        out[holder] = 1;
      }
      if (effEnd[c]! > maxEnd) {
        maxEnd = effEnd[c]!;
        holder = c;
      }
    }
  };
  for (let p = 0; p < tree.n; p++) {
    if (tree.childStart[p + 1]! - tree.childStart[p]! > 1) sweep(tree.childStart[p]!, tree.childStart[p + 1]!, tree.childIndex);
  }
  if (tree.roots.length > 1) sweep(0, tree.roots.length, tree.roots);
  return out;
}
