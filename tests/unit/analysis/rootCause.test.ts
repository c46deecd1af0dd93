import { describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';
import { buildTraceTree } from '../../../src/core/analysis/traceTree';
import { computeRootCause, type RootCauseSpan } from '../../../src/core/analysis/rootCause';
import type { Message, Span } from '../../../src/core/model/types';

describe('computeRootCause on the Phoenix agent turn', () => {
  // From the file: s11 add_spans_to_dataset (tool.id call-08) is the one span with status_code
  // ERROR, status_message "Error fetching GraphQL query 'exampleMutation' …" and an exception
  // event; s10 (LLM) is the call whose llm.output_messages request call-08; s15 calls the same
  // tool again later; all spans are children of the AGENT root s01.
  const load = async () => {
    const { ws, result, cleanup } = await importFixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
    const traceId = result.traceIds[0]!;
    const spans = ws.getSpanSummaries(traceId);
    const tree = buildTraceTree(spans);
    const body = (i: number) => ws.getSpan(traceId, spans[i]!.spanId);
    const index = (id: string) => spans.findIndex((s) => s.spanId === id);
    return { spans, tree, body, index, cleanup };
  };

  it('explains the failing tool call: requested by s10, failed with an exception, retried by s15', async () => {
    const { spans, tree, body, index, cleanup } = await load();
    try {
      const rc = computeRootCause(spans, tree, index('s11'), body);
      expect(rc.targetSpanId).toBe('s11');
      expect(rc.steps.map((s) => [s.spanId, s.relation])).toEqual([
        ['s10', 'requested-by'],
        ['s11', 'self'],
      ]);
      expect(rc.steps[0]!.note).toContain('add_spans_to_dataset');
      expect(rc.steps[0]!.note).toContain('call-08');
      const codes = rc.steps[1]!.anomalies.map((a) => a.code);
      expect(codes).toContain('error-status');
      expect(codes).toContain('exception');
      expect(rc.steps[1]!.anomalies[0]!.message).toContain("Error fetching GraphQL query 'exampleMutation'");
      expect(rc.firstAnomaly).toBe(1);
      expect(rc.ancestors.map((a) => a.spanId)).toEqual(['s01']);
      expect(rc.retriedBy).toEqual(['s15']);
    } finally {
      cleanup();
    }
  });

  it('from the root, the earliest anomaly inside it is the failed tool call', async () => {
    const { spans, tree, body, index, cleanup } = await load();
    try {
      const rc = computeRootCause(spans, tree, index('s01'), body);
      expect(rc.steps.at(-1)!.spanId).toBe('s01');
      expect(rc.steps[rc.firstAnomaly]!.spanId).toBe('s11');
      // s15 repeats the tool that failed under the same parent: a retry
      const s15 = rc.steps.find((s) => s.spanId === 's15');
      expect(s15?.anomalies.map((a) => a.code)).toEqual(['retry']);
    } finally {
      cleanup();
    }
  });
});

describe('computeRootCause on a cascading failure', () => {
  // root (error) → llm1, r1 retrieval returning [], llm2, A sub-agent (error) → llm3 asks for
  // parse (c3), t1 parse fails with an exception, t2 parse again (fails), llm4 receives the
  // failed result; then llm5.
  const defs: [string, string | null, Span['kind'], number, number, Partial<Span>][] = [
    ['root', null, 'agent', 0, 100, { status: 'error' }],
    ['llm1', 'root', 'llm', 0, 10, {}],
    ['r1', 'root', 'retrieval', 11, 20, { output: [] }],
    ['llm2', 'root', 'llm', 21, 30, {}],
    ['A', 'root', 'agent', 31, 90, { status: 'error', statusMessage: 'sub-agent gave up' }],
    ['llm3', 'A', 'llm', 31, 40, { outputMessages: [assistantCall('c3', 'parse')] }],
    [
      't1',
      'A',
      'tool',
      41,
      50,
      {
        status: 'error',
        toolCall: { id: 'c3', name: 'parse', arguments: { text: '{' }, result: 'bad json', isError: true },
        events: [{ name: 'exception', timeMs: 45, attributes: { 'exception.type': 'ValueError', 'exception.message': 'bad json' } }],
      },
    ],
    ['t2', 'A', 'tool', 51, 60, { status: 'error', toolCall: { id: 'c3b', name: 'parse', arguments: { text: '{' } } }],
    ['llm4', 'A', 'llm', 61, 70, { inputMessages: [toolResult('c3', 'bad json')] }],
    ['llm5', 'root', 'llm', 91, 99, { inputMessages: [toolResult('c3', 'bad json')] }],
  ];
  const spans: RootCauseSpan[] = defs.map(([spanId, parentId, kind, startMs, endMs, extra]) => ({
    spanId,
    parentId,
    kind,
    startMs,
    endMs,
    name: spanId,
    status: extra.status ?? 'ok',
    toolName: extra.toolCall?.name ?? null,
  }));
  const bodies: Span[] = defs.map(([spanId, parentId, kind, startMs, endMs, extra]) => ({
    traceId: 't',
    spanId,
    parentId,
    kind,
    startMs,
    endMs,
    name: spanId,
    status: 'ok',
    attributes: {},
    events: [],
    ...extra,
  }));
  const tree = buildTraceTree(spans);
  const idx = (id: string) => spans.findIndex((s) => s.spanId === id);

  it('walks a sub-agent error back to the empty retrieval that preceded it', () => {
    const rc = computeRootCause(spans, tree, idx('A'), (i) => bodies[i]!);
    expect(rc.steps.map((s) => s.spanId)).toEqual(['r1', 't1', 't2', 'llm4', 'A']);
    expect(rc.firstAnomaly).toBe(0);
    expect(rc.steps[0]!.anomalies.map((a) => a.code)).toEqual(['empty-retrieval']);
    expect(rc.steps[0]!.relation).toBe('earlier-sibling');
    expect(rc.steps[1]!.anomalies.map((a) => a.code)).toEqual(['error-status', 'exception', 'failed-tool-result']);
    expect(rc.steps[1]!.atMs).toBe(45); // the exception's time, not the span end
    expect(rc.steps[2]!.anomalies.map((a) => a.code)).toEqual(['error-status', 'retry']);
    expect(rc.steps[3]!.anomalies.map((a) => a.code)).toEqual(['failed-tool-result']);
    expect(rc.steps[4]!.relation).toBe('self');
    expect(rc.ancestors.map((a) => [a.spanId, a.anomalies.length > 0])).toEqual([['root', true]]);
  });

  it('for a retried tool call: requester, earlier failure, and the retry flagged on the target', () => {
    const rc = computeRootCause(spans, tree, idx('t2'), (i) => bodies[i]!);
    expect(rc.steps.map((s) => [s.spanId, s.relation])).toEqual([
      ['r1', 'earlier-sibling'],
      ['llm3', 'requested-by'],
      ['t1', 'earlier-sibling'],
      ['t2', 'self'],
    ]);
    // t2's call id (c3b) is in no reply: the nearest earlier model call is named instead
    expect(rc.steps[1]!.note).toBe('nearest model call before parse');
    expect(rc.steps[3]!.anomalies.map((a) => a.code)).toEqual(['error-status', 'retry']);
    expect(rc.ancestors.map((a) => a.spanId)).toEqual(['root', 'A']);
    expect(rc.retriedBy).toEqual([]);
  });

  it('only the first model call that received a failed tool result is flagged', () => {
    const rc = computeRootCause(spans, tree, idx('root'), (i) => bodies[i]!);
    const flagged = rc.steps.filter((s) => s.anomalies.some((a) => a.message.startsWith('model received'))).map((s) => s.spanId);
    expect(flagged).toEqual(['llm4']);
    expect(rc.steps[rc.firstAnomaly]!.spanId).toBe('r1');
  });
});

function assistantCall(id: string, name: string): Message {
  return { role: 'assistant', content: '', toolCalls: [{ id, name, arguments: { text: '{' } }] };
}

function toolResult(id: string, content: string): Message {
  return { role: 'tool', content, toolCallId: id, isError: true };
}

describe('computeRootCause at scale', () => {
  it('finds an error deep in a big subtree even when the body budget is small', () => {
    const n = 5000;
    const spans: RootCauseSpan[] = [{ spanId: 'root', parentId: null, kind: 'agent', status: 'error', name: 'root', startMs: 0, endMs: n + 10 }];
    for (let i = 1; i <= n; i++) {
      spans.push({ spanId: `t${i}`, parentId: 'root', kind: 'tool', status: i === n ? 'error' : 'ok', name: 'fetch', toolName: 'fetch', startMs: i, endMs: i + 0.5 });
    }
    const tree = buildTraceTree(spans);
    let loads = 0;
    const rc = computeRootCause(spans, tree, 0, (i) => {
      loads++;
      const s = spans[i]!;
      return { traceId: 't', ...s, parentId: s.parentId, attributes: {}, events: [], endMs: s.endMs } as Span;
    }, { maxDescendants: 100 });
    expect(rc.steps[rc.firstAnomaly]!.spanId).toBe(`t${n}`);
    expect(loads).toBeLessThanOrEqual(101); // 100 descendants + the target itself
  });
});
