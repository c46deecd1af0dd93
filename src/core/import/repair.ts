/**
 * Structural repairs of one trace, done once all its spans are known, on top of the one span-tree
 * index (src/core/model/spanTree.ts: iterative, O(n), it decides missing parents and cycles).
 *
 * Documented repairs (README "Import repairs"):
 *  - a parent id that is not in the trace → the span becomes a root, the id is kept in
 *    attributes['tracedeck.missing_parent'];
 *  - a parent cycle → broken at the cycle's earliest span (start time, then source order), which
 *    becomes a root
 *    (attributes['tracedeck.cycle_broken'] = old parent);
 *  - several roots → one synthetic root span 'tracedeck.root' (kind other) spanning them all.
 */

import { buildSpanTree } from '../model/spanTree';

export interface RepairInput {
  ids: string[];
  parents: (string | null)[];
  starts: number[];
  ends: (number | null)[];
  /**
   * Span id that adopts spans whose parent is missing, when the source has one root that stands for
   * the whole trace (a Langfuse trace object): orphans hang under it instead of a synthetic root.
   */
  orphanParent?: string;
}

export interface RepairResult {
  /** New parent per span index (only the ones that changed). */
  reparent: Map<number, string | null>;
  missingParent: Map<number, string>;
  /** The span that adopted the spans with a missing parent (input.orphanParent), if it did. */
  adoptedBy: string | null;
  cycleBroken: Map<number, string>;
  /** Set when a synthetic root must be added; its id and time range. */
  syntheticRoot: { id: string; startMs: number; endMs: number } | null;
  /** Final parent index per span (-1 = root, -2 = child of synthetic root). */
  parentIndex: Int32Array;
  /** Span indices with every parent before its children (the tree's depth-first rows). */
  order: Int32Array;
}

export const SYNTHETIC_ROOT_ID = 'tracedeck.root';

export function repairTree(input: RepairInput): RepairResult {
  const n = input.ids.length;
  const tree = buildSpanTree({
    n,
    id: (i) => input.ids[i]!,
    parent: (i) => input.parents[i],
    start: (i) => input.starts[i]!,
    adoptOrphansUnder: input.orphanParent,
  });
  const parentIndex = Int32Array.from(tree.parent);
  const reparent = new Map<number, string | null>();
  const missingParent = new Map<number, string>();
  for (const i of tree.missing) {
    missingParent.set(i, input.parents[i]!);
    reparent.set(i, parentIndex[i]! >= 0 ? input.ids[parentIndex[i]!]! : null);
  }
  const cycleBroken = new Map<number, string>();
  for (const i of tree.cycleCut) {
    cycleBroken.set(i, input.parents[i]!);
    reparent.set(i, null);
  }

  let syntheticRoot: RepairResult['syntheticRoot'] = null;
  if (tree.roots.length > 1) {
    let id = SYNTHETIC_ROOT_ID;
    for (let k = 2; tree.byId.has(id); k++) id = `${SYNTHETIC_ROOT_ID}.${k}`;
    let start = Infinity;
    let end = -Infinity;
    for (let i = 0; i < n; i++) {
      start = Math.min(start, input.starts[i]!);
      end = Math.max(end, input.ends[i] ?? input.starts[i]!);
    }
    syntheticRoot = { id, startMs: start, endMs: end };
    for (const i of tree.roots) {
      parentIndex[i] = -2;
      reparent.set(i, id);
    }
  }
  const adoptedBy = tree.missing.length > 0 && tree.parent[tree.missing[0]!]! >= 0 ? input.orphanParent! : null;
  return { reparent, missingParent, adoptedBy, cycleBroken, syntheticRoot, parentIndex, order: tree.order };
}
