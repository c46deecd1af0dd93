import { describe, expect, it } from 'vitest';
import { saturation, wilsonInterval } from '../../../src/core/labels/saturation';

describe('Wilson score interval (95%)', () => {
  it('matches hand-worked values', () => {
    // 1 of 10: p = 0.1, z² = 3.8415, centre = (0.1 + 0.19207)/1.38415 = 0.21101,
    // half = 1.41602 · √(0.009 + 0.0096036) = 0.19314 → [0.01788, 0.40415]
    const [lo, hi] = wilsonInterval(1, 10);
    expect(lo).toBeCloseTo(0.01788, 4);
    expect(hi).toBeCloseTo(0.40415, 4);
    // 0 of 10: lower bound exactly 0, upper z²/(n + z²) = 3.8415 / 13.8415 = 0.27753
    expect(wilsonInterval(0, 10)[0]).toBe(0);
    expect(wilsonInterval(0, 10)[1]).toBeCloseTo(0.27753, 4);
    // 5 of 10: symmetric around 0.5, half = 1.41602 · √(0.025 + 0.0096036) = 0.26340
    const mid = wilsonInterval(5, 10);
    expect(mid[0]).toBeCloseTo(0.2366, 4);
    expect(mid[1]).toBeCloseTo(0.7634, 4);
    expect(wilsonInterval(10, 10)[1]).toBe(1);
  });

  it('says nothing without traces and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual([0, 1]);
    expect(() => wilsonInterval(3, 2)).toThrow(/3 successes out of 2/);
  });
});

describe('saturation curve', () => {
  it('counts distinct modes in review order, with counts and intervals per mode', () => {
    const v = saturation(
      [
        { traceId: 'a', modes: [] },
        { traceId: 'b', modes: ['wrong answer'] },
        { traceId: 'c', modes: ['wrong answer', 'false success'] },
        { traceId: 'd', modes: ['false success'] },
        { traceId: 'e', modes: [] },
      ],
      new Map([
        ['wrong answer', 'answer differs from target'],
        ['never seen', ''],
      ]),
    );
    expect(v.reviewed).toBe(5);
    expect(v.target).toBe(100);
    expect(v.curve.map((p) => [p.reviewed, p.modes, p.newModes])).toEqual([
      [1, 0, []],
      [2, 1, ['wrong answer']],
      [3, 2, ['false success']],
      [4, 2, []],
      [5, 2, []],
    ]);
    // The last new mode came with trace 3: two traces since.
    expect(v.sinceLastNew).toBe(2);
    expect(v.modes.map((m) => [m.name, m.count, m.rate])).toEqual([
      ['false success', 2, 0.4],
      ['wrong answer', 2, 0.4],
      ['never seen', 0, 0],
    ]);
    expect(v.modes[1]!.definition).toBe('answer differs from target');
    // 2 of 5: centre (0.4 + 0.38415)/1.76830 = 0.44345, half 1.10838·√(0.048 + 0.038415) = 0.32580
    expect(v.modes[0]!.ci[0]).toBeCloseTo(0.1176, 3);
    expect(v.modes[0]!.ci[1]).toBeCloseTo(0.7693, 3);
  });

  it('is empty before any review', () => {
    const v = saturation([]);
    expect(v).toMatchObject({ reviewed: 0, curve: [], modes: [], sinceLastNew: 0 });
  });
});
