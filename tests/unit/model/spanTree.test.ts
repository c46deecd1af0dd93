import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  buildSpanTree,
  buildTraceTree,
  childrenOf,
  descendantsOf,
  preorderExtents,
  type TreeInput,
} from '../../../src/core/model/spanTree';

const span = (spanId: string, parentId: string | null, startMs: number): TreeInput => ({ spanId, parentId, startMs });
const ids = (spans: TreeInput[], ix: ArrayLike<number>) => Array.from(ix, (i) => spans[i]!.spanId);

describe('the span-tree index', () => {
  it('orders siblings and roots by start time, ties by source order', () => {
    // source order is shuffled; t1 and t2 start together (t2 first in the file)
    const spans = [
      span('late', null, 100), // 0: a second root, after the main one
      span('t2', 'root', 20), //  1
      span('root', null, 0), //  2
      span('t1', 'root', 20), //  3
      span('a', 'root', 10), //  4
      span('a1', 'a', 11), //  5
      span('z', 'root', 5), //  6
    ];
    const t = buildTraceTree(spans);
    expect(ids(spans, t.roots)).toEqual(['root', 'late']);
    expect(ids(spans, childrenOf(t, 2))).toEqual(['z', 'a', 't2', 't1']);
    expect(ids(spans, t.order)).toEqual(['root', 'z', 'a', 'a1', 't2', 't1', 'late']);
    // rows: root 0, z 1, a 2, a1 3, t2 4, t1 5, late 6
    expect(Array.from(t.subtreeEnd)).toEqual([6, 2, 4, 4, 5, 6, 7]);
    expect(Array.from(t.depth)).toEqual([0, 1, 0, 1, 1, 2, 1]);
    expect(t.maxDepth).toBe(2);
    expect(ids(spans, descendantsOf(t, 2))).toEqual(['z', 'a', 'a1', 't2', 't1']);
    expect(ids(spans, ancestorsOf(t, 5))).toEqual(['a', 'root']);
    expect(t.detached.length).toBe(0);
    for (let r = 0; r < spans.length; r++) expect(t.rowOf[t.order[r]!]).toBe(r);
  });

  it('makes spans with an unknown or their own parent id roots, and records them', () => {
    const spans = [span('r', null, 0), span('orphan', 'gone', 5), span('kid', 'orphan', 6), span('self', 'self', 1)];
    const t = buildTraceTree(spans);
    expect(ids(spans, t.roots)).toEqual(['r', 'self', 'orphan']);
    expect(ids(spans, t.missing)).toEqual(['orphan', 'self']);
    expect(ids(spans, t.detached)).toEqual(['orphan', 'self']);
    expect(t.parent[2]).toBe(1); // kid keeps its (present) parent
    expect(ids(spans, t.order)).toEqual(['r', 'self', 'orphan', 'kid']);
  });

  it('hangs orphans under the named trace root when asked', () => {
    const spans = [span('trace', null, 0), span('o', 'gone', 3), span('p', 'gone', 1)];
    const t = buildSpanTree({
      n: spans.length,
      id: (i) => spans[i]!.spanId,
      parent: (i) => spans[i]!.parentId,
      start: (i) => spans[i]!.startMs,
      adoptOrphansUnder: 'trace',
    });
    expect(ids(spans, t.roots)).toEqual(['trace']);
    expect(ids(spans, childrenOf(t, 0))).toEqual(['p', 'o']);
    expect(ids(spans, t.missing)).toEqual(['o', 'p']);
    expect(t.detached.length).toBe(0);
  });

  it('cuts a parent cycle at its earliest span; spans hanging off the cycle keep their parent', () => {
    // x → y → w → x is a cycle (x's parent is w); h hangs off y and starts before all of them.
    const spans = [span('h', 'y', 1), span('x', 'w', 8), span('y', 'x', 4), span('w', 'y', 6), span('r', null, 0)];
    const t = buildTraceTree(spans);
    // earliest cycle member is y (start 4): y loses its parent x and becomes a root
    expect(ids(spans, t.cycleCut)).toEqual(['y']);
    expect(ids(spans, t.detached)).toEqual(['y']);
    expect(t.parent[0]).toBe(2); // h still under y
    expect(ids(spans, t.roots)).toEqual(['r', 'y']);
    // y's children by start: h (1), w (6); w → x (8)
    expect(ids(spans, t.order)).toEqual(['r', 'y', 'h', 'w', 'x']);
    expect(Array.from(t.depth)).toEqual([1, 2, 0, 1, 0]); // h, x (y→w→x), y, w, r
  });

  it('breaks a cycle whose members start together at the first in source order', () => {
    const spans = [span('b', 'a', 5), span('a', 'b', 5)];
    const t = buildTraceTree(spans);
    expect(ids(spans, t.cycleCut)).toEqual(['b']);
    expect(ids(spans, t.order)).toEqual(['b', 'a']);
  });

  it('attaches children to the first of two spans with the same id', () => {
    const spans = [span('d', null, 0), span('d', null, 1), span('c', 'd', 2)];
    const t = buildTraceTree(spans);
    expect(t.parent[2]).toBe(0);
    expect(t.byId.get('d')).toBe(0);
  });

  it('indexes a 100k-deep chain, deepest span first in the input, without recursion', () => {
    const n = 100_000;
    const spans: TreeInput[] = [];
    for (let i = n - 1; i >= 0; i--) spans.push(span(`s${i}`, i === 0 ? null : `s${i - 1}`, i));
    const t = buildTraceTree(spans);
    expect(t.maxDepth).toBe(n - 1);
    expect(t.order[0]).toBe(n - 1); // s0 is the last input span
    expect(t.order[n - 1]).toBe(0);
    expect(t.subtreeEnd[0]).toBe(n);
    expect(t.subtreeEnd[n - 1]).toBe(n);
    expect(t.depth[0]).toBe(n - 1);
    expect(ancestorsOf(t, 0).length).toBe(n - 1);
    expect(descendantsOf(t, n - 1).length).toBe(n - 1);
  });

  it('cuts a 100k-long cycle once, without recursion', () => {
    const n = 100_000;
    const spans: TreeInput[] = [];
    // s_i's parent is s_{i-1}, and s0's parent is the last span: one big ring; s500 starts first
    for (let i = 0; i < n; i++) spans.push(span(`s${i}`, `s${(i + n - 1) % n}`, i === 500 ? -1 : i));
    const t = buildTraceTree(spans);
    expect(ids(spans, t.cycleCut)).toEqual(['s500']);
    expect(t.order[0]).toBe(500);
    expect(t.order[n - 1]).toBe(499);
    expect(t.maxDepth).toBe(n - 1);
  });
});

describe('preorderExtents', () => {
  it('derives depth, subtree end and child count from parents given as depth-first rows', () => {
    // 0 ─┬─ 1 ── 2
    //    └─ 3
    // 4
    const e = preorderExtents(Int32Array.from([-1, 0, 1, 0, -1]));
    expect(Array.from(e.depth)).toEqual([0, 1, 2, 1, 0]);
    expect(Array.from(e.subtreeEnd)).toEqual([4, 3, 3, 4, 5]);
    expect(Array.from(e.childCount)).toEqual([2, 1, 0, 0, 0]);
    expect(e.maxDepth).toBe(2);
  });
});
