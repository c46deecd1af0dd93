import { describe, expect, it } from 'vitest';
import { STATUS_ERROR, STATUS_OK, type TraceModel } from '../../../../src/renderer/trace/model/traceModel';
import {
  coverageRuns,
  mergeIntervals,
  minimapPixels,
  minimapViewport,
  rowRangeOnScreen,
  rowsByStart,
  subtreeUnion,
} from '../../../../src/renderer/trace/timeline/timelineMath';

/** A model with just the fields the timeline maths read; rows are depth-first. */
function model(rows: { parent: number; start: number; end: number; kind?: number; error?: boolean }[]): TraceModel {
  const n = rows.length;
  const subtreeEnd = new Int32Array(n);
  const size = new Int32Array(n).fill(1);
  for (let r = n - 1; r >= 0; r--) if (rows[r]!.parent >= 0) size[rows[r]!.parent]! += size[r]!;
  for (let r = 0; r < n; r++) subtreeEnd[r] = r + size[r]!;
  return {
    n,
    startMs: Math.min(...rows.map((r) => r.start)),
    endMs: Math.max(...rows.map((r) => r.end)),
    subtreeEnd,
    start: Float64Array.from(rows.map((r) => r.start)),
    drawEnd: Float64Array.from(rows.map((r) => r.end)),
    kind: Uint8Array.from(rows.map((r) => r.kind ?? 0)),
    status: Uint8Array.from(rows.map((r) => (r.error ? STATUS_ERROR : STATUS_OK))),
  } as unknown as TraceModel;
}

describe('rows on screen', () => {
  it('covers partly visible rows at both edges (24 px rows)', () => {
    // scrolled 30 px: row 1 starts at 24 (cut), a 100 px viewport ends at 130, inside row 5
    expect(rowRangeOnScreen(30, 100, 1000)).toEqual([1, 6]);
    expect(rowRangeOnScreen(0, 100, 3)).toEqual([0, 3]);
  });
});

describe('rows by start time', () => {
  it('sorts like a comparator sort, ties by row, negative and fractional times included', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const starts = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? 42 : Math.round((rnd() - 0.2) * 1e6) / 8));
    starts[3] = -0;
    starts[4] = 1e12;
    const m = { n: starts.length, start: Float64Array.from(starts) } as unknown as TraceModel;
    const expected = starts.map((_, i) => i).sort((a, b) => starts[a]! - starts[b]! || a - b);
    expect(Array.from(rowsByStart(m))).toEqual(expected);
  });
});

describe('level of detail for a collapsed subtree', () => {
  it('merges the descendants into sorted, disjoint intervals, errors separately', () => {
    // root [0,100] ─┬─ a [10,20] ── a1 [15,30] (error)
    //               ├─ b [50,60]
    //               └─ c [55,58]
    const m = model([
      { parent: -1, start: 0, end: 100 },
      { parent: 0, start: 10, end: 20 },
      { parent: 1, start: 15, end: 30, error: true },
      { parent: 0, start: 50, end: 60 },
      { parent: 0, start: 55, end: 58 },
    ]);
    const u = subtreeUnion(m, 0);
    expect(Array.from(u.starts)).toEqual([10, 50]);
    expect(Array.from(u.ends)).toEqual([30, 60]);
    expect(Array.from(u.errStarts)).toEqual([15]);
    expect(Array.from(u.errEnds)).toEqual([30]);
    // a's subtree is only a1
    expect(Array.from(subtreeUnion(m, 1).starts)).toEqual([15]);
  });

  it('treats an end before the start as a point', () => {
    const [s, e] = mergeIntervals([0, 1], [5, 7], [2, 9]);
    expect(Array.from(s)).toEqual([5, 7]);
    expect(Array.from(e)).toEqual([5, 9]);
  });

  it('draws intervals in view as pixel runs, at least 1 px, merged where they touch', () => {
    const starts = Float64Array.from([0, 10, 10.2, 40, 95]);
    const ends = Float64Array.from([5, 10.1, 12, 41, 200]);
    // domain [8, 48] over 80 px: 2 px per ms. [0,5] ends before 8: skipped by the search.
    // [10,10.1] → px 4..5 (ceil 4.2); [10.2,12] → 4..8 → merged into 4..8; [40,41] → 64..66;
    // [95,200] starts after 48: stops the scan.
    expect(coverageRuns(starts, ends, 8, 48, 80)).toEqual([4, 8, 64, 66]);
    // a tiny interval still gets one pixel
    expect(coverageRuns(Float64Array.from([1]), Float64Array.from([1]), 0, 1000, 100)).toEqual([0, 1]);
  });
});

describe('the minimap', () => {
  it('colours each pixel by the kind with most spans over it, errors always on top', () => {
    // trace [0, 40] on 4 px wide (10 ms per px), 2 rows on 2 px high
    const m = model([
      { parent: -1, start: 0, end: 40, kind: 1 },
      { parent: 0, start: 10, end: 20, kind: 2, error: true },
    ]);
    const px = minimapPixels(m, [0, 1], 4, 2, 4); // colours 0..2 = kinds, 3 = error
    expect(Array.from(px)).toEqual([1, 1, 1, 1, -1, 3, -1, -1]);
  });

  it('lets an error win over more spans of another kind in the same pixel', () => {
    const m = model([
      { parent: -1, start: 0, end: 10, kind: 0 },
      { parent: 0, start: 0, end: 10, kind: 0 },
      { parent: 0, start: 0, end: 10, kind: 0, error: true },
    ]);
    expect(Array.from(minimapPixels(m, [0, 1, 2], 1, 1, 2))).toEqual([1]);
  });

  it('places the zoom window and the rows on screen', () => {
    const vp = minimapViewport({
      traceStartMs: 0,
      traceEndMs: 1000,
      domain: [250, 500],
      width: 400,
      height: 44,
      scrollTop: 240,
      viewHeight: 240,
      rowCount: 100,
    });
    // x: 250 ms → 100 px, 500 ms → 200 px; rows 10..20 of 100 over 40 px inside a 2 px margin
    expect(vp).toEqual({ x0: 100, x1: 200, y0: 6, y1: 10 });
  });
});
