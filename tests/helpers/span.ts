import type { Span } from '../../src/core/model/types';

/** A minimal valid span of trace 't1' for writer-level tests; `over` sets what the test is about. */
export const span = (over: Partial<Span>): Span => ({
  traceId: 't1',
  spanId: 's1',
  parentId: null,
  name: 'span',
  kind: 'other',
  status: 'unset',
  startMs: 1000,
  endMs: 2000,
  attributes: {},
  events: [],
  ...over,
});
