import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  DEFAULT_SORT,
  EMPTY_FILTERS,
  invalidFields,
  parseCountInput,
  parseDurationInput,
  toTraceQuery,
} from '../../../src/renderer/library/filters';
import { TraceQuerySchema } from '../../../src/shared/api';

describe('library filter inputs', () => {
  it('parses durations with units; bare numbers are seconds', () => {
    expect(parseDurationInput('250ms')).toBe(250);
    expect(parseDurationInput('1.5s')).toBe(1500);
    expect(parseDurationInput('2m')).toBe(120_000);
    expect(parseDurationInput('1h')).toBe(3_600_000);
    expect(parseDurationInput('3')).toBe(3000);
    expect(parseDurationInput(' 40 us ')).toBeCloseTo(0.04);
    expect(parseDurationInput('')).toBeUndefined();
    expect(parseDurationInput('fast')).toBeUndefined();
    expect(parseDurationInput('-1s')).toBeUndefined();
  });

  it('parses counts with k/M suffixes', () => {
    expect(parseCountInput('12')).toBe(12);
    expect(parseCountInput('12k')).toBe(12_000);
    expect(parseCountInput('1.5M')).toBe(1_500_000);
    expect(parseCountInput('abc')).toBeUndefined();
  });

  it('builds a query the backend schema accepts, leaving out empty and invalid fields', () => {
    const q = toTraceQuery(
      {
        ...EMPTY_FILTERS,
        text: '  pxi  ',
        status: 'error',
        formats: ['openinference', 'otlp-json'],
        minDuration: '2s',
        minSpans: '10',
        minTokens: 'lots', // invalid: dropped, and flagged
        minToolCalls: '1k',
        since: '2026-07-09T00:00:00',
      },
      { sort: 'spans', dir: 'asc' },
    );
    expect(q).toEqual({
      sort: 'spans',
      dir: 'asc',
      text: 'pxi',
      status: ['error'],
      formats: ['openinference', 'otlp-json'],
      minDurationMs: 2000,
      minSpans: 10,
      minToolCalls: 1000,
      since: new Date('2026-07-09T00:00:00').getTime(),
    });
    expect(TraceQuerySchema.safeParse({ ...q, limit: 200, offset: 400 }).success).toBe(true);
    expect(invalidFields({ ...EMPTY_FILTERS, minTokens: 'lots', minDuration: '1x' })).toEqual(
      new Set(['minTokens', 'minDuration']),
    );
  });

  it('"No errors" means ok or unset; the default query is just the sort', () => {
    expect(toTraceQuery({ ...EMPTY_FILTERS, status: 'ok' }, DEFAULT_SORT).status).toEqual(['ok', 'unset']);
    expect(toTraceQuery(EMPTY_FILTERS, DEFAULT_SORT)).toEqual({ sort: 'start', dir: 'desc' });
    expect(activeFilterCount(EMPTY_FILTERS)).toBe(0);
    expect(activeFilterCount({ ...EMPTY_FILTERS, text: 'x', since: '2026-01-01T00:00', until: '2026-02-01T00:00' })).toBe(2);
  });
});
