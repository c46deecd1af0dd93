/**
 * The span tree of one trace as flat typed arrays: parent/child index (CSR), depth-first rows
 * (children by start time), depth and subtree extents. Built in O(n) plus one sort of the spans
 * by start time, with no recursion: traces can be 100k spans deep, where a recursive walk
 * overflows the stack (Jaeger UI's does at ~10k).
 *
 * Two index spaces: a span *index* is its position in the input array; a *row* is its position
 * in the depth-first order (what a tree view shows top to bottom). A subtree is the contiguous
 * row range [row, subtreeEnd[row]), which is what makes collapse, filters and critical path
 * lookups cheap.
 */

export interface TreeInput {
  spanId: string;
  parentId: string | null;
  startMs: number;
}

export interface TraceTree {
  n: number;
  /** Parent span index per span index; -1 for roots (and for spans whose parent is unknown). */
  parent: Int32Array;
  /** Children of span i are childIndex[childStart[i] .. childStart[i+1]), sorted by start time. */
  childStart: Int32Array;
  childIndex: Int32Array;
  /** Root span indices, by start time. */
  roots: Int32Array;
  /** row → span index (depth-first, children by start time). */
  order: Int32Array;
  /** span index → row. */
  rowOf: Int32Array;
  /** Depth per span index (roots are 0). */
  depth: Int32Array;
  /** Exclusive end row of the subtree rooted at each row. */
  subtreeEnd: Int32Array;
  maxDepth: number;
  /** Span indices whose parent link had to be cut (unknown parent, self-parent or cycle). */
  detached: Int32Array;
  /** span id → span index (the first span with that id). */
  byId: Map<string, number>;
}

/** Span indices sorted by start time, ties by input position (stable, deterministic). */
export function indicesByStart(starts: ArrayLike<number>): Int32Array {
  const n = starts.length;
  const idx = new Int32Array(n);
  let sorted = true;
  for (let i = 0; i < n; i++) {
    idx[i] = i;
    if (i > 0 && starts[i]! < starts[i - 1]!) sorted = false;
  }
  if (!sorted) idx.sort((a, b) => starts[a]! - starts[b]! || a - b);
  return idx;
}

export function buildTraceTree(spans: readonly TreeInput[]): TraceTree {
  const n = spans.length;
  const byId = new Map<string, number>();
  for (let i = 0; i < n; i++) if (!byId.has(spans[i]!.spanId)) byId.set(spans[i]!.spanId, i);

  const parent = new Int32Array(n);
  const detachedList: number[] = [];
  for (let i = 0; i < n; i++) {
    const p = spans[i]!.parentId;
    const pi = p === null || p === '' ? undefined : byId.get(p);
    parent[i] = pi === undefined || pi === i ? -1 : pi;
    if (p !== null && p !== '' && parent[i] === -1) detachedList.push(i);
  }

  const starts = new Float64Array(n);
  for (let i = 0; i < n; i++) starts[i] = spans[i]!.startMs;
  const byStart = indicesByStart(starts);

  // CSR children lists; filling in start order makes every list start-sorted.
  const { childStart, childIndex } = childLists(parent, byStart);

  const order = new Int32Array(n);
  const rowOf = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const cursor = new Int32Array(n);
  const stack = new Int32Array(n);
  let rows = 0;
  let maxDepth = 0;

  const walkFrom = (root: number): void => {
    let sp = 0;
    stack[sp++] = root;
    depth[root] = 0;
    rowOf[root] = rows;
    order[rows++] = root;
    cursor[root] = childStart[root]!;
    while (sp > 0) {
      const node = stack[sp - 1]!;
      const end = childStart[node + 1]!;
      let k = cursor[node]!;
      // A child already placed can only happen inside a cycle; skipping it breaks the cycle.
      while (k < end && rowOf[childIndex[k]!] !== -1) k++;
      if (k >= end) {
        sp--;
        continue;
      }
      cursor[node] = k + 1;
      const c = childIndex[k]!;
      const d = depth[node]! + 1;
      depth[c] = d;
      if (d > maxDepth) maxDepth = d;
      rowOf[c] = rows;
      order[rows++] = c;
      cursor[c] = childStart[c]!;
      stack[sp++] = c;
    }
  };

  const rootList: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = byStart[k]!;
    if (parent[i] === -1) {
      rootList.push(i);
      walkFrom(i);
    }
  }
  // Whatever is still unplaced sits on a parent cycle: cut it at its earliest span.
  if (rows < n) {
    for (let k = 0; k < n; k++) {
      const i = byStart[k]!;
      if (rowOf[i] !== -1) continue;
      detachedList.push(i);
      parent[i] = -1;
      rootList.push(i);
      walkFrom(i);
    }
    // Parent links changed: rebuild the children lists so they match `parent` again.
    const rebuilt = childLists(parent, byStart);
    childStart.set(rebuilt.childStart);
    childIndex.set(rebuilt.childIndex);
  }

  // Subtree sizes: in depth-first order a parent's row precedes its descendants', so one
  // reverse pass accumulates sizes.
  const size = new Int32Array(n).fill(1);
  for (let r = n - 1; r >= 0; r--) {
    const p = parent[order[r]!]!;
    if (p >= 0) size[rowOf[p]!]! += size[r]!;
  }
  const subtreeEnd = new Int32Array(n);
  for (let r = 0; r < n; r++) subtreeEnd[r] = r + size[r]!;

  return {
    n,
    parent,
    childStart,
    childIndex,
    roots: Int32Array.from(rootList),
    order,
    rowOf,
    depth,
    subtreeEnd,
    maxDepth,
    detached: Int32Array.from(detachedList),
    byId,
  };
}

function childLists(parent: Int32Array, byStart: Int32Array): { childStart: Int32Array; childIndex: Int32Array } {
  const n = parent.length;
  const childStart = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) if (parent[i]! >= 0) childStart[parent[i]! + 1]!++;
  for (let i = 0; i < n; i++) childStart[i + 1]! += childStart[i]!;
  const fill = childStart.slice(0, n);
  const childIndex = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = byStart[k]!;
    const p = parent[i]!;
    if (p >= 0) childIndex[fill[p]!++] = i;
  }
  return { childStart, childIndex };
}

/** Span indices from the span up to its root (the span first). Iterative. */
export function ancestorsOf(tree: TraceTree, index: number): number[] {
  const out: number[] = [];
  let cur = tree.parent[index]!;
  // Bounded by n: the tree has no cycles after buildTraceTree, this is only a guard.
  for (let guard = 0; cur >= 0 && guard < tree.n; guard++) {
    out.push(cur);
    cur = tree.parent[cur]!;
  }
  return out;
}

/** Children of a span, by start time. */
export function childrenOf(tree: TraceTree, index: number): Int32Array {
  return tree.childIndex.subarray(tree.childStart[index]!, tree.childStart[index + 1]!);
}

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
