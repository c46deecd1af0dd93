import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildTraceTree } from '../../../src/core/analysis/traceTree';
import { computeCriticalPath } from '../../../src/core/analysis/criticalPath';

interface S {
  id: string;
  parent: string | null;
  start: number;
  end: number | null;
}

function path(spans: S[]): string[] {
  const tree = buildTraceTree(spans.map((s) => ({ spanId: s.id, parentId: s.parent, startMs: s.start })));
  const cp = computeCriticalPath(tree, { starts: spans.map((s) => s.start), ends: spans.map((s) => s.end) });
  return cp.segments.map((g) => `${spans[g.span]!.id}[${g.startMs},${g.endMs}]`);
}

describe('computeCriticalPath on hand-checked traces', () => {
  it('sequential children: parent self-time around them', () => {
    // root [0,100] → A [10,40], B [50,90]
    expect(
      path([
        { id: 'root', parent: null, start: 0, end: 100 },
        { id: 'A', parent: 'root', start: 10, end: 40 },
        { id: 'B', parent: 'root', start: 50, end: 90 },
      ]),
    ).toEqual(['root[0,10]', 'A[10,40]', 'root[40,50]', 'B[50,90]', 'root[90,100]']);
  });

  it('parallel calls: only the one that finished last is critical', () => {
    // root [0,100] → A [10,60] ∥ B [10,80], then C [85,95]
    expect(
      path([
        { id: 'root', parent: null, start: 0, end: 100 },
        { id: 'A', parent: 'root', start: 10, end: 60 },
        { id: 'B', parent: 'root', start: 10, end: 80 },
        { id: 'C', parent: 'root', start: 85, end: 95 },
      ]),
    ).toEqual(['root[0,10]', 'B[10,80]', 'root[80,85]', 'C[85,95]', 'root[95,100]']);
  });

  it('clips children to the parent and ignores children that start after it ended', () => {
    expect(
      path([
        { id: 'root', parent: null, start: 0, end: 50 },
        { id: 'over', parent: 'root', start: 10, end: 70 },
        { id: 'late', parent: 'root', start: 60, end: 65 },
      ]),
    ).toEqual(['root[0,10]', 'over[10,50]']);
  });

  it('walks into nested spans and treats touching boundaries as sequential', () => {
    // root [0,100] → agent [0,100] → llm [0,30], tool [30,60], llm2 [60,100]
    expect(
      path([
        { id: 'root', parent: null, start: 0, end: 100 },
        { id: 'agent', parent: 'root', start: 0, end: 100 },
        { id: 'llm', parent: 'agent', start: 0, end: 30 },
        { id: 'tool', parent: 'agent', start: 30, end: 60 },
        { id: 'llm2', parent: 'agent', start: 60, end: 100 },
      ]),
    ).toEqual(['llm[0,30]', 'tool[30,60]', 'llm2[60,100]']);
  });

  it('gives an open span (no end) the end of its last child', () => {
    expect(
      path([
        { id: 'root', parent: null, start: 0, end: null },
        { id: 'A', parent: 'root', start: 5, end: 20 },
      ]),
    ).toEqual(['root[0,5]', 'A[5,20]']);
  });
});

/** Jaeger UI's algorithm, transcribed recursively, as a reference for small random traces. */
function reference(spans: S[]): string[] {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const kids = new Map<string, S[]>();
  for (const s of spans) if (s.parent) kids.set(s.parent, [...(kids.get(s.parent) ?? []), s]);
  const root = spans.find((s) => s.parent === null)!;
  // sanitise: clip children to parents, drop children starting after the parent end (top-down)
  const clipped = new Map<string, { start: number; end: number }>();
  const dropped = new Set<string>();
  const visit = (s: S, p: { start: number; end: number } | null) => {
    if (p && s.start > p.end) {
      dropped.add(s.id);
      for (const c of kids.get(s.id) ?? []) visit(c, { start: -Infinity, end: -Infinity });
      return;
    }
    const start = p ? Math.max(s.start, p.start) : s.start;
    const end = p ? Math.max(start, Math.min(s.end!, p.end)) : s.end!;
    clipped.set(s.id, { start, end });
    for (const c of kids.get(s.id) ?? []) visit(c, { start, end });
  };
  visit(root, null);
  const used = new Set<string>();
  const out: string[] = [];
  const walk = (id: string, returning?: number) => {
    const me = clipped.get(id)!;
    const cursor = returning ?? me.end;
    const candidates = (kids.get(id) ?? [])
      .filter((c) => !dropped.has(c.id) && !used.has(c.id) && clipped.get(c.id)!.end <= cursor)
      .sort((a, b) => clipped.get(b.id)!.end - clipped.get(a.id)!.end || spans.indexOf(a) - spans.indexOf(b));
    // in end order, children that ended after the cursor are never reconsidered
    const last = candidates[0];
    if (last) {
      for (const c of kids.get(id) ?? []) if (clipped.get(c.id) && clipped.get(c.id)!.end > cursor) used.add(c.id);
      used.add(last.id);
      const lastEnd = clipped.get(last.id)!.end;
      if (lastEnd < cursor) out.push(`${id}[${lastEnd},${cursor}]`);
      walk(last.id);
    } else {
      if (cursor > me.start) out.push(`${id}[${me.start},${cursor}]`);
      const s = byId.get(id)!;
      if (s.parent) walk(s.parent, me.start);
    }
  };
  walk(root.id);
  return out.reverse();
}

describe('computeCriticalPath against the recursive reference', () => {
  it('agrees on random small trees', () => {
    const arb = fc.array(fc.tuple(fc.nat(1000), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 40 })), {
      minLength: 1,
      maxLength: 25,
    });
    fc.assert(
      fc.property(arb, (raw) => {
        const spans: S[] = [{ id: 's0', parent: null, start: 0, end: 100 }];
        raw.forEach(([p, start, dur], i) => {
          spans.push({ id: `s${i + 1}`, parent: `s${p % (i + 1)}`, start, end: start + dur });
        });
        expect(path(spans)).toEqual(reference(spans));
      }),
      { numRuns: 300 },
    );
  });
});

describe('computeCriticalPath at scale', () => {
  it('walks a 100k-deep chain (where a recursive walk overflows) and tiles the root range', () => {
    const n = 100_000;
    const spans: S[] = [];
    for (let i = 0; i < n; i++) spans.push({ id: `s${i}`, parent: i ? `s${i - 1}` : null, start: i, end: 2 * n - i });
    const tree = buildTraceTree(spans.map((s) => ({ spanId: s.id, parentId: s.parent, startMs: s.start })));
    const cp = computeCriticalPath(tree, { starts: spans.map((s) => s.start), ends: spans.map((s) => s.end) });
    expect(cp.onPath.every((x) => x === 1)).toBe(true);
    // every span contributes its head [i, i+1] and its tail; the deepest its whole range
    expect(cp.segments.length).toBe(2 * (n - 1) + 1);
    expect(cp.segments[0]).toEqual({ span: 0, startMs: 0, endMs: 1 });
    const gaps = cp.segments.filter((g, k) => k > 0 && g.startMs !== cp.segments[k - 1]!.endMs);
    expect(gaps).toEqual([]);
    expect(cp.segments.at(-1)!.endMs).toBe(2 * n);
  });

  it('does not rescan a 100k-child parent per child (linear time)', () => {
    const n = 100_000;
    const spans: S[] = [{ id: 'root', parent: null, start: 0, end: n * 10 }];
    for (let i = 1; i < n; i++) spans.push({ id: `c${i}`, parent: 'root', start: i * 10, end: i * 10 + 5 });
    const t = performance.now();
    const tree = buildTraceTree(spans.map((s) => ({ spanId: s.id, parentId: s.parent, startMs: s.start })));
    const cp = computeCriticalPath(tree, { starts: spans.map((s) => s.start), ends: spans.map((s) => s.end) });
    expect(performance.now() - t).toBeLessThan(2000);
    expect(cp.onPath.every((x) => x === 1)).toBe(true);
    const total = cp.segments.reduce((a, g) => a + g.endMs - g.startMs, 0);
    expect(total).toBe(n * 10);
  });
});
