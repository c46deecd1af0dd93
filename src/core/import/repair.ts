/**
 * Structural repairs of one trace, done once all its spans are known. Everything here is
 * iterative and O(n): traces can hold 1M spans in 100k-deep parent chains, so no recursion.
 *
 * Documented repairs (README "Import repairs"):
 *  - a parent id that is not in the trace → the span becomes a root, the id is kept in
 *    attributes['tracedeck.missing_parent'];
 *  - a parent cycle → broken at the span where the walk re-enters the cycle, which becomes a root
 *    (attributes['tracedeck.cycle_broken'] = old parent);
 *  - several roots → one synthetic root span 'tracedeck.root' (kind other) spanning them all.
 */

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
}

export const SYNTHETIC_ROOT_ID = 'tracedeck.root';

export function repairTree(input: RepairInput): RepairResult {
  const n = input.ids.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(input.ids[i]!, i);

  const parentIndex = new Int32Array(n);
  const missingParent = new Map<number, string>();
  const reparent = new Map<number, string | null>();
  const adoptive = input.orphanParent === undefined ? undefined : index.get(input.orphanParent);
  const adoptOk = adoptive !== undefined && !input.parents[adoptive];
  for (let i = 0; i < n; i++) {
    const p = input.parents[i];
    if (p === null || p === undefined || p === '') {
      parentIndex[i] = -1;
      continue;
    }
    const pi = index.get(p);
    if (pi === undefined || pi === i) {
      missingParent.set(i, p);
      if (adoptOk && adoptive !== i) {
        parentIndex[i] = adoptive!;
        reparent.set(i, input.ids[adoptive!]!);
      } else {
        parentIndex[i] = -1;
        reparent.set(i, null);
      }
    } else parentIndex[i] = pi;
  }

  // Cycle detection: walk up from every unvisited span, marking the path; meeting a span on the
  // current path means a cycle, broken by detaching that span.
  const state = new Uint8Array(n); // 0 new, 1 on current path, 2 done
  const cycleBroken = new Map<number, string>();
  const path: number[] = [];
  for (let s = 0; s < n; s++) {
    if (state[s] !== 0) continue;
    let cur = s;
    while (cur >= 0 && state[cur] === 0) {
      state[cur] = 1;
      path.push(cur);
      cur = parentIndex[cur]!;
    }
    if (cur >= 0 && state[cur] === 1) {
      cycleBroken.set(cur, input.ids[parentIndex[cur]!]!);
      parentIndex[cur] = -1;
      reparent.set(cur, null);
    }
    for (const i of path) state[i] = 2;
    path.length = 0;
  }

  let roots = 0;
  for (let i = 0; i < n; i++) if (parentIndex[i] === -1) roots++;

  let syntheticRoot: RepairResult['syntheticRoot'] = null;
  if (roots > 1) {
    let id = SYNTHETIC_ROOT_ID;
    for (let k = 2; index.has(id); k++) id = `${SYNTHETIC_ROOT_ID}.${k}`;
    let start = Infinity;
    let end = -Infinity;
    for (let i = 0; i < n; i++) {
      start = Math.min(start, input.starts[i]!);
      end = Math.max(end, input.ends[i] ?? input.starts[i]!);
    }
    syntheticRoot = { id, startMs: start, endMs: end };
    for (let i = 0; i < n; i++) {
      if (parentIndex[i] === -1) {
        parentIndex[i] = -2;
        reparent.set(i, id);
      }
    }
  }
  const adoptedBy = adoptOk && missingParent.size > 0 ? input.orphanParent! : null;
  return { reparent, missingParent, adoptedBy, cycleBroken, syntheticRoot, parentIndex };
}

/**
 * Order spans so parents come before children (BFS from the roots). Returns span indices.
 * Children of the synthetic root (-2) count as roots here.
 */
export function topologicalOrder(parentIndex: Int32Array): Int32Array {
  const n = parentIndex.length;
  const childCount = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const p = parentIndex[i]!;
    childCount[p < 0 ? n : p]!++;
  }
  // CSR layout of children lists, then BFS.
  const offsets = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) offsets[i + 1] = offsets[i]! + childCount[i]!;
  const fill = offsets.slice(0, n + 1);
  const children = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const p = parentIndex[i]!;
    children[fill[p < 0 ? n : p]!++] = i;
  }
  const order = new Int32Array(n);
  let head = 0;
  let tail = 0;
  for (let k = offsets[n]!; k < offsets[n + 1]!; k++) order[tail++] = children[k]!;
  while (head < tail) {
    const i = order[head++]!;
    for (let k = offsets[i]!; k < offsets[i + 1]!; k++) order[tail++] = children[k]!;
  }
  return order;
}
