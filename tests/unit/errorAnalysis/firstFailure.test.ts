import { describe, expect, it } from 'vitest';
import { firstFailureMatrix, firstFailureTransition, START_STEP } from '../../../src/core/labels/firstFailure';
import type { SpanSummary } from '../../../src/core/model/types';

function span(spanId: string, parentId: string | null, kind: SpanSummary['kind'], startMs: number, endMs: number, extra: Partial<SpanSummary> = {}): SpanSummary {
  return { spanId, parentId, seq: Number(spanId.replace(/\D/g, '')), name: spanId, kind, status: 'ok', startMs, endMs, model: null, toolName: null, inputTokens: null, outputTokens: null, costUsd: null, ...extra };
}

// The shape of the Phoenix agent turn: an agent span over alternating LLM and tool calls.
const TURN = [
  span('s1', null, 'agent', 0, 100),
  span('s2', 's1', 'llm', 1, 2),
  span('s3', 's1', 'tool', 3, 4, { toolName: 'list_datasets' }),
  span('s4', 's1', 'llm', 5, 6),
  span('s5', 's1', 'tool', 7, 8, { toolName: 'add_spans', status: 'error' }),
  span('s6', 's1', 'llm', 9, 10),
  span('s7', 's1', 'tool', 11, 12, { toolName: 'bash' }),
];

describe('first-failure transition', () => {
  it('pairs the last step that ended before the failing one with the failing step', () => {
    expect(firstFailureTransition(TURN, 's5')).toEqual({ from: 'llm', to: 'add_spans' });
    expect(firstFailureTransition(TURN, 's4')).toEqual({ from: 'list_datasets', to: 'llm' });
    // an error before the marked span is not a success
    expect(firstFailureTransition(TURN, 's6')).toEqual({ from: 'llm', to: 'llm' });
    expect(firstFailureTransition(TURN, 's7')).toEqual({ from: 'llm', to: 'bash' });
  });

  it('starts from (start) when nothing succeeded before, and names containers by kind', () => {
    expect(firstFailureTransition(TURN, 's2')).toEqual({ from: START_STEP, to: 'llm' });
    // the agent span: its children are inside it, never before it
    expect(firstFailureTransition(TURN, 's1')).toEqual({ from: START_STEP, to: 'agent' });
    expect(firstFailureTransition(TURN, 'nope')).toBeNull();
  });

  it('ignores the failing span’s own children and ancestors', () => {
    const nested = [
      span('s1', null, 'agent', 0, 50),
      span('s2', 's1', 'llm', 0, 0),
      span('s3', 's1', 'chain', 1, 20),
      span('s4', 's3', 'tool', 1, 1, { toolName: 'inner' }),
    ];
    // s4 ended at 1 = s3's start, but it is s3's child
    expect(firstFailureTransition(nested, 's3')).toEqual({ from: 'llm', to: 'chain' });
  });
});

describe('first-failure matrix', () => {
  it('counts transitions and keeps the traces of each cell', () => {
    const m = firstFailureMatrix(
      [
        { traceId: 't1', from: 'llm', to: 'add_spans' },
        { traceId: 't2', from: 'llm', to: 'add_spans' },
        { traceId: 't3', from: START_STEP, to: 'llm' },
        { traceId: 't4', from: 'list_datasets', to: 'llm' },
      ],
      1,
    );
    expect(m.traces).toBe(4);
    expect(m.missing).toBe(1);
    expect(m.rows).toEqual(['llm', '(start)', 'list_datasets']);
    expect(m.cols).toEqual(['add_spans', 'llm']);
    expect(m.cells[0]).toEqual({ from: 'llm', to: 'add_spans', count: 2, traceIds: ['t1', 't2'] });
    expect(m.cells).toHaveLength(3);
  });
});
