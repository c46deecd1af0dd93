import { terminalSafe } from '../../../src/cli/text';
import { describe, expect, it } from 'vitest';
import { spanTreeLines } from '../../../src/cli/spanTree';
import type { SpanSummary } from '../../../src/shared/api';

const span = (spanId: string, parentId: string | null, extra: Partial<SpanSummary> = {}): SpanSummary => ({
  spanId,
  parentId,
  seq: 0,
  name: spanId,
  kind: 'other',
  status: 'ok',
  startMs: 0,
  endMs: 5,
  model: null,
  toolName: null,
  inputTokens: null,
  outputTokens: null,
  costUsd: null,
  ...extra,
});

describe('spanTreeLines', () => {
  it('draws children with connectors and labels', () => {
    const lines = [
      ...spanTreeLines([
        span('root', null, { kind: 'agent' }),
        span('llm', 'root', { kind: 'llm', model: 'gpt-4o', inputTokens: 10, outputTokens: 2 }),
        span('tool', 'root', { kind: 'tool', toolName: 'search', status: 'error' }),
        span('inner', 'tool'),
        span('orphan', 'missing-parent'),
      ]),
    ];
    expect(lines).toEqual([
      'root [agent] 5ms',
      '├─ llm [llm] 5ms model=gpt-4o tokens=10/2',
      '└─ tool [tool] 5ms tool=search ERROR',
      '   └─ inner [other] 5ms',
      'orphan [other] 5ms',
    ]);
  });

  it('handles a 100k-deep chain without recursion and caps the indentation', () => {
    const n = 100_000;
    const spans = Array.from({ length: n }, (_, i) => span(`s${i}`, i === 0 ? null : `s${i - 1}`));
    const lines = [...spanTreeLines(spans)];
    expect(lines).toHaveLength(n);
    expect(lines[n - 1]).toMatch(/\[depth 99999\] s99999 \[other\] 5ms$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(200);
  });

  it('draws every span once even if parents form a cycle (cut at its earliest span)', () => {
    // b and c start together: the tie goes to source order, so b becomes the root of the pair
    const lines = [...spanTreeLines([span('a', null), span('b', 'c'), span('c', 'b')])];
    expect(lines).toEqual(['a [other] 5ms', 'b [other] 5ms', '└─ c [other] 5ms']);
  });

  it('orders siblings by start time like the UI, ties by source order', () => {
    // source order late, early, tie1, tie2 under root; roots too are ordered by start
    const lines = [
      ...spanTreeLines([
        span('late-root', null, { startMs: 100, endMs: 105 }),
        span('root', null, { startMs: 0, endMs: 50 }),
        span('late', 'root', { startMs: 30, endMs: 35 }),
        span('early', 'root', { startMs: 10, endMs: 15 }),
        span('tie1', 'root', { startMs: 20, endMs: 25 }),
        span('tie2', 'root', { startMs: 20, endMs: 25 }),
      ]),
    ].map((l) => l.replace(/ \[other\].*$/, ''));
    expect(lines).toEqual(['root', '├─ early', '├─ tie1', '├─ tie2', '└─ late', 'late-root']);
  });

  it('keeps control characters from trace names out of the output', () => {
    // Line breaks fold into the one line; every other control is made visible where the CLI
    // writes (terminalSafe in output.ts), so the terminal never acts on it.
    const [line] = [...spanTreeLines([span('x', null, { name: 'evil\u001b[2J\nname' })])];
    expect(terminalSafe(line!)).toBe('evil\\u001b[2J name [other] 5ms');
  });
});
