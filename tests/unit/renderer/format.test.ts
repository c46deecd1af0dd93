import { describe, expect, it } from 'vitest';
import { normaliseOutcomes } from '../../../src/renderer/client/outcomes';
import { baseName, formatCompact, formatCost, formatDuration } from '../../../src/renderer/util/format';

describe('table formatting', () => {
  it('formats durations compactly', () => {
    expect(formatDuration(0.1)).toBe('100µs');
    expect(formatDuration(5.25)).toBe('5.3ms');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(35_000)).toBe('35.0s');
    expect(formatDuration(3_723_000)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-5)).toBe('—');
  });

  it('formats counts and costs', () => {
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(310_222)).toBe('310.2k');
    expect(formatCompact(1895)).toBe('1.90k');
    expect(formatCompact(4_560_000)).toBe('4.56M');
    expect(formatCost(0.0042)).toBe('$0.0042');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(formatCost(null)).toBe('—');
  });

  it('takes base names of POSIX and Windows paths', () => {
    expect(baseName('/a/b/c.json')).toBe('c.json');
    expect(baseName('C:\\x\\y.jsonl')).toBe('y.jsonl');
    expect(baseName('plain')).toBe('plain');
  });

  it('accepts one outcome, a list or {outcomes}, and refuses error bodies', () => {
    const o = { source: 'f.json', ok: true, traceIds: ['t'], spanCount: 1, warnings: [] };
    expect(normaliseOutcomes(o)).toEqual([o]);
    expect(normaliseOutcomes([o, o])).toEqual([o, o]);
    expect(normaliseOutcomes({ outcomes: [o] })).toEqual([o]);
    expect(normaliseOutcomes({ error: { code: 'bad-input', message: 'x' } })).toBeNull();
    expect(normaliseOutcomes(null)).toBeNull();
  });
});
