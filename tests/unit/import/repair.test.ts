import { describe, expect, it } from 'vitest';
import { repairTree, SYNTHETIC_ROOT_ID } from '../../../src/core/import/repair';

const input = (pairs: [string, string | null][]) => ({
  ids: pairs.map((p) => p[0]),
  parents: pairs.map((p) => p[1]),
  starts: pairs.map((_, i) => i * 10),
  ends: pairs.map((_, i) => i * 10 + 5),
});

describe('repairTree', () => {
  it('leaves a well-formed tree alone', () => {
    const r = repairTree(input([['a', null], ['b', 'a'], ['c', 'b'], ['d', 'a']]));
    expect(r.reparent.size).toBe(0);
    expect(r.syntheticRoot).toBeNull();
    expect(Array.from(r.parentIndex)).toEqual([-1, 0, 1, 0]);
  });

  it('makes a span with an unknown parent a root, and records the missing id', () => {
    const r = repairTree(input([['a', 'not-in-file'], ['b', 'a']]));
    expect(r.missingParent.get(0)).toBe('not-in-file');
    expect(r.reparent.get(0)).toBeNull();
    expect(r.syntheticRoot).toBeNull(); // still a single root
  });

  it('adds one synthetic root spanning all roots when there are several', () => {
    const r = repairTree(input([['a', null], ['b', null], ['c', 'gone']]));
    expect(r.syntheticRoot).toEqual({ id: SYNTHETIC_ROOT_ID, startMs: 0, endMs: 25 });
    expect(r.reparent.get(0)).toBe(SYNTHETIC_ROOT_ID);
    expect(r.reparent.get(1)).toBe(SYNTHETIC_ROOT_ID);
    expect(r.reparent.get(2)).toBe(SYNTHETIC_ROOT_ID);
  });

  it('picks a synthetic root id that does not collide with a real span id', () => {
    const r = repairTree(input([[SYNTHETIC_ROOT_ID, null], ['b', null]]));
    expect(r.syntheticRoot?.id).toBe(`${SYNTHETIC_ROOT_ID}.2`);
  });

  it('breaks parent cycles, including self-parenting', () => {
    // a → b → c → a is a cycle; d hangs off it; e is its own parent
    const r = repairTree(input([['a', 'c'], ['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'e']]));
    expect(r.cycleBroken.size).toBe(1);
    // starts are 0, 10, 20 …: the cycle is cut at its earliest span, a (was child of c)
    expect([...r.cycleBroken]).toEqual([[0, 'c']]);
    // e names itself: treated as a missing parent, not a cycle through others
    expect(r.missingParent.get(4)).toBe('e');
    // After repair every span reaches a root without revisiting a span.
    const order = r.order;
    expect(new Set(order).size).toBe(5);
  });

  it('handles a 100k-deep parent chain without recursion', () => {
    const n = 100_000;
    const pairs: [string, string | null][] = [];
    for (let i = 0; i < n; i++) pairs.push([`s${i}`, i === 0 ? null : `s${i - 1}`]);
    const r = repairTree(input(pairs));
    expect(r.reparent.size).toBe(0);
    const order = r.order;
    expect(order.length).toBe(n);
    expect(order[0]).toBe(0);
    expect(order[n - 1]).toBe(n - 1);
  });

  it('breaks a 100k-long cycle without recursion', () => {
    const n = 100_000;
    const pairs: [string, string | null][] = [];
    for (let i = 0; i < n; i++) pairs.push([`s${i}`, `s${(i + n - 1) % n}`]);
    const r = repairTree(input(pairs));
    expect(r.cycleBroken.size).toBe(1);
    expect(r.order.length).toBe(n);
  });

  it('adopts spans with a missing parent under the named trace root', () => {
    const r = repairTree({ ...input([['t', null], ['a', 'gone'], ['b', 'a'], ['c', null]]), orphanParent: 't' });
    expect(r.adoptedBy).toBe('t');
    expect(r.reparent.get(1)).toBe('t');
    // c is a second true root, so t and c go under a synthetic root
    expect(r.syntheticRoot?.id).toBe(SYNTHETIC_ROOT_ID);
    expect(Array.from(r.parentIndex)).toEqual([-2, 0, 1, -2]);
    // parents before children: t, a, b then c (roots by start time)
    expect(Array.from(r.order)).toEqual([0, 1, 2, 3]);
  });
});
