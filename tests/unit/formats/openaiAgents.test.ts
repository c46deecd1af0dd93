import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importBuffer } from '../../../src/core/import/importFile';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// OpenAI Agents SDK trace export, one `export()` dict per line (handmade after the SDK's
// tracing/spans.py, traces.py, span_data.py; see HANDMADE.md). Expectations read off the file:
// Triage Agent (1 generation 143/14, handoff) → Refund Agent (3 generations 260/19, 331/24,
// 402/41; lookup_order ok, issue_refund failed with "Error running tool").

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const FILE = 'openai-agents/handmade-openai-agents-handoff-tool-error.jsonl';
const TRACE = 'trace_6f1c2a9e8b7d4e3fa0b1c2d3e4f5a6b7';

describe('OpenAI Agents SDK trace export', async () => {
  const { ws, result, cleanup } = await importFixture(FILE);
  cleanups.push(cleanup);
  const spans = ws.getSpans(TRACE);
  const byName = (n: string) => spans.filter((s) => s.name === n);

  it('is detected; the trace object is the root, named by the workflow; tool error is not a failed run', () => {
    expect(result.format).toBe('openai-agents');
    expect(result.traceIds).toEqual([TRACE]);
    const t = ws.getTrace(TRACE)!;
    expect(t).toMatchObject({ name: 'Customer service', status: 'ok', llmCalls: 4, toolCalls: 2, toolErrors: 1 });
    expect(t).toMatchObject({ inputTokens: 143 + 260 + 331 + 402, outputTokens: 14 + 19 + 24 + 41 });
    expect(t.meta.sessionId).toBe('conv_1a2b3c');
    expect(spans.find((s) => s.parentId === null)).toMatchObject({ spanId: TRACE, name: 'Customer service' });
    expect(spans.filter((s) => s.kind === 'agent').map((s) => [s.name, s.parentId])).toEqual([
      ['Triage Agent', TRACE],
      ['Refund Agent', TRACE],
    ]);
    expect(byName('handoff Triage Agent → Refund Agent')).toHaveLength(1);
  });

  it('reads generations as model calls with messages, tool calls and usage', () => {
    const gens = spans.filter((s) => s.kind === 'llm');
    expect(gens.map((g) => [g.model, g.usage?.inputTokens, g.usage?.outputTokens])).toEqual([
      ['gpt-4o-mini', 143, 14],
      ['gpt-4o-mini', 260, 19],
      ['gpt-4o-mini', 331, 24],
      ['gpt-4o-mini', 402, 41],
    ]);
    expect(gens[0]!.inputMessages!.map((m) => m.role)).toEqual(['system', 'user']);
    expect(gens[0]!.outputMessages![0]!.toolCalls).toEqual([{ id: 'call_Hx1', name: 'transfer_to_refund_agent', arguments: {} }]);
    expect(gens[3]!.outputMessages![0]!.content).toMatch(/^I found the duplicate \$49\.99 charge on order 1042/);
  });

  it('reads function spans as tool calls; the failed one carries the SDK error', () => {
    const [lookup] = byName('lookup_order');
    expect(lookup!.toolCall).toEqual({
      name: 'lookup_order',
      arguments: { order_id: '1042' },
      result: "{'order_id': '1042', 'charges': [49.99, 49.99], 'status': 'delivered'}",
    });
    const [refund] = byName('issue_refund');
    expect(refund).toMatchObject({ status: 'error', statusMessage: 'Error running tool: RefundLimitExceeded: refunds above $40 need approval' });
    expect(refund!.toolCall).toEqual({ name: 'issue_refund', arguments: { order_id: '1042', amount: 49.99 }, isError: true });
    expect(refund!.attributes.error_data).toEqual({ tool_name: 'issue_refund', error: 'RefundLimitExceeded: refunds above $40 need approval' });
  });

  it('reads the ingest body {"data": [...]} too, and a span exported at start and end once', async () => {
    const lines = readFileSync(fixture(FILE), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const agentStart = { ...lines.find((l) => l.span_data?.name === 'Refund Agent'), ended_at: null };
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const r = await importBuffer(t.ws, 'ingest.json', Buffer.from(JSON.stringify({ data: [lines[0], agentStart, ...lines.slice(1)] })));
    expect(r.format).toBe('openai-agents');
    const got = t.ws.getSpans(TRACE);
    expect(got).toHaveLength(spans.length);
    expect(got.find((s) => s.name === 'Refund Agent')!.endMs).toBeCloseTo(Date.parse('2025-09-30T14:02:15.195Z') + 0.518, 6);
  });
});
