import { describe, expect, it } from 'vitest';
import {
  ancestorsOf,
  buildTraceTree,
  childrenOf,
  concurrentSiblings,
  effectiveEnds,
  type TreeInput,
} from '../../../src/core/analysis/traceTree';

const span = (spanId: string, parentId: string | null, startMs: number): TreeInput => ({ spanId, parentId, startMs });
const rowsOf = (spans: TreeInput[], order: Int32Array) => Array.from(order, (i) => spans[i]!.spanId);

describe('buildTraceTree', () => {
  it('orders rows depth-first with children by start time, whatever the input order', () => {
    // input order is "children before parents" (how BatchSpanProcessor exports), starts shuffled
    const spans = [
      span('b2', 'b', 35),
      span('c', 'root', 50),
      span('b1', 'b', 31),
      span('a', 'root', 10),
      span('b', 'root', 30),
      span('root', null, 0),
      span('a1', 'a', 12),
    ];
    const t = buildTraceTree(spans);
    expect(rowsOf(spans, t.order)).toEqual(['root', 'a', 'a1', 'b', 'b1', 'b2', 'c']);
    const depthById = Object.fromEntries(spans.map((s, i) => [s.spanId, t.depth[i]]));
    expect(depthById).toEqual({ root: 0, a: 1, a1: 2, b: 1, b1: 2, b2: 2, c: 1 });
    // subtree of 'b' (row 3) is rows 3..5
    expect(t.subtreeEnd[3]).toBe(6);
    expect(t.subtreeEnd[0]).toBe(7);
    expect(t.subtreeEnd[1]).toBe(3);
    expect(Array.from(childrenOf(t, 5), (i) => spans[i]!.spanId)).toEqual(['a', 'b', 'c']);
    expect(ancestorsOf(t, 0).map((i) => spans[i]!.spanId)).toEqual(['b', 'root']);
    expect(t.maxDepth).toBe(2);
    expect(t.detached.length).toBe(0);
    for (let r = 0; r < spans.length; r++) expect(t.rowOf[t.order[r]!]).toBe(r);
  });

  it('makes spans with unknown or self parents roots, and breaks parent cycles', () => {
    const spans = [
      span('r', null, 0),
      span('orphan', 'not-in-trace', 5),
      span('self', 'self', 6),
      span('x', 'y', 7),
      span('y', 'x', 8),
      span('xc', 'x', 9),
    ];
    const t = buildTraceTree(spans);
    expect(t.order.length).toBe(6);
    expect(new Set(t.order).size).toBe(6);
    const roots = Array.from(t.roots, (i) => spans[i]!.spanId);
    expect(roots).toEqual(['r', 'orphan', 'self', 'x']); // cycle cut at its earliest span
    expect(Array.from(t.detached, (i) => spans[i]!.spanId).sort()).toEqual(['orphan', 'self', 'x']);
    expect(rowsOf(spans, t.order)).toEqual(['r', 'orphan', 'self', 'x', 'y', 'xc']);
    const yIndex = 4;
    expect(t.parent[yIndex]).toBe(3);
    expect(t.parent[3]).toBe(-1);
  });

  it('handles a 100k-deep parent chain without recursion', () => {
    const n = 100_000;
    const spans: TreeInput[] = [];
    // deepest span first, as an exporter writes children before parents
    for (let i = n - 1; i >= 0; i--) spans.push(span(`s${i}`, i === 0 ? null : `s${i - 1}`, i));
    const t = buildTraceTree(spans);
    expect(t.maxDepth).toBe(n - 1);
    expect(spans[t.order[0]!]!.spanId).toBe('s0');
    expect(spans[t.order[n - 1]!]!.spanId).toBe(`s${n - 1}`);
    for (let r = 0; r < n; r += 9973) {
      expect(t.subtreeEnd[r]).toBe(n);
      expect(t.depth[t.order[r]!]).toBe(r);
    }
    expect(ancestorsOf(t, 0).length).toBe(n - 1);
    const ends = effectiveEnds(
      t,
      spans.map((s) => s.startMs),
      spans.map(() => null),
    );
    // open spans take the latest end below them: the root ends where the deepest span starts
    expect(ends[spans.length - 1]).toBe(n - 1);
  });

  it('handles 100k siblings', () => {
    const n = 100_000;
    const spans: TreeInput[] = [span('root', null, 0)];
    for (let i = 1; i < n; i++) spans.push(span(`c${i}`, 'root', n - i));
    const t = buildTraceTree(spans);
    expect(t.maxDepth).toBe(1);
    expect(spans[t.order[1]!]!.spanId).toBe(`c${n - 1}`); // earliest start first
    expect(t.subtreeEnd[1]).toBe(2);
  });
});

describe('concurrentSiblings', () => {
  it('marks siblings that overlap in time, not sequential ones', () => {
    // root → llm [0,10], tools t1 [11,20] t2 [11.5,18] t3 [12,30] (parallel), llm2 [31,40], t4 [41,50]
    const spans = [
      span('root', null, 0),
      span('llm', 'root', 0),
      span('t1', 'root', 11),
      span('t2', 'root', 11.5),
      span('t3', 'root', 12),
      span('llm2', 'root', 31),
      span('t4', 'root', 41),
    ];
    const ends = [50, 10, 20, 18, 30, 40, 50];
    const t = buildTraceTree(spans);
    const c = concurrentSiblings(
      t,
      spans.map((s) => s.startMs),
      ends,
    );
    const marked = spans.filter((_, i) => c[i]).map((s) => s.spanId);
    expect(marked).toEqual(['t1', 't2', 't3']);
  });
});
