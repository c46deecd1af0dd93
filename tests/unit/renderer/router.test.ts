import { describe, expect, it } from 'vitest';
import { parseRoute, traceHash } from '../../../src/renderer/app/router';

describe('hash routes', () => {
  it('parses the library, trace and span routes', () => {
    expect(parseRoute('')).toEqual({ name: 'library' });
    expect(parseRoute('#/')).toEqual({ name: 'library' });
    expect(parseRoute('#/trace/fixture-trace-1')).toEqual({ name: 'trace', traceId: 'fixture-trace-1', spanId: null });
    expect(parseRoute('#/trace/t1/span/s11')).toEqual({ name: 'trace', traceId: 't1', spanId: 's11' });
    expect(parseRoute('#/trace/t1/span/')).toEqual({ name: 'not-found', hash: '/trace/t1/span/' });
    expect(parseRoute('#/nope')).toEqual({ name: 'not-found', hash: '/nope' });
    expect(parseRoute('#/trace/%E0%A4%A')).toEqual({ name: 'not-found', hash: '/trace/%E0%A4%A' });
  });

  it('round-trips arbitrary (untrusted) ids through the fragment', () => {
    for (const [t, s] of [
      ['a/b?c#d', 'x y'],
      ['<script>', '../../etc/passwd'],
      ['ünïcødé', '%2F'],
    ] as const) {
      const hash = traceHash(t, s);
      expect(hash).toMatch(/^#\/trace\/[^/]+\/span\/[^/]+$/);
      expect(parseRoute(hash)).toEqual({ name: 'trace', traceId: t, spanId: s });
    }
    expect(parseRoute(traceHash('only'))).toEqual({ name: 'trace', traceId: 'only', spanId: null });
  });
});
