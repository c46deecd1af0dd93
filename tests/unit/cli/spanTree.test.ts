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
  it('draws children in source order with connectors and labels', () => {
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

  it('draws each span once even if parents form a cycle', () => {
    const lines = [...spanTreeLines([span('a', null), span('b', 'c'), span('c', 'b')])];
    expect(lines).toEqual(['a [other] 5ms']);
  });

  it('keeps control characters from trace names out of the output', () => {
    // Line breaks fold into the one line; every other control is made visible where the CLI
    // writes (terminalSafe in output.ts), so the terminal never acts on it.
    const [line] = [...spanTreeLines([span('x', null, { name: 'evil\u001b[2J\nname' })])];
    expect(terminalSafe(line!)).toBe('evil\\u001b[2J name [other] 5ms');
  });
});
