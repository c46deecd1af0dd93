import { describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';
import { buildTraceTree } from '../../../src/core/analysis/traceTree';
import { computeTraceMetrics, type MetricsSpan } from '../../../src/core/analysis/traceMetrics';

async function metricsOf(rel: string) {
  const { ws, result, cleanup } = await importFixture(rel);
  const spans = ws.getSpanSummaries(result.traceIds[0]!);
  const m = computeTraceMetrics(spans, buildTraceTree(spans));
  cleanup();
  return m;
}

describe('computeTraceMetrics on real traces (values read from the files)', () => {
  it('Phoenix agent turn: 9 model turns, 8 tool calls, 1 failed and retried', async () => {
    // File: AGENT root s01 00:00:00–00:00:35; LLM s02,s04,…,s18 (9); TOOL s03,…,s17 (8), each 1 s;
    // s11 add_spans_to_dataset is ERROR and s15 calls add_spans_to_dataset again.
    // llm.token_count.prompt: 32321+33286+33789+34248+34504+34743+35446+35602+36283 = 310222
    // llm.token_count.completion: 119+168+402+212+102+406+104+196+186 = 1895; no llm.cost.*
    const m = await metricsOf('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
    expect(m).toMatchObject({
      spans: 18,
      steps: 9,
      llmCalls: 9,
      llmErrors: 0,
      toolCalls: 8,
      toolFailures: 1,
      toolFailureRatio: 1 / 8,
      toolRetries: 1,
      errors: 1,
      inputTokens: 310222,
      outputTokens: 1895,
      costUsd: null,
      latencyMs: 35_000,
      llmTimeMs: 9000,
      toolTimeMs: 8000,
      maxDepth: 1,
    });
  });

  it('Inspect AI browser agent: 5 model events, 4 web_browser tool calls', async () => {
    // samples[0].events: model usage input 1124+1568+2732+3896+5915 = 15235, output
    // 23+17+17+17+207 = 281; tool events web_browser_go, web_browser_click ×3, none with error.
    const m = await metricsOf('inspect-ai/inspect-browser-agent-tools.json');
    expect(m).toMatchObject({
      steps: 5,
      llmCalls: 5,
      toolCalls: 4,
      toolFailures: 0,
      toolFailureRatio: 0,
      errors: 0,
      inputTokens: 15235,
      outputTokens: 281,
      costUsd: null,
    });
  });

  it('Claude Code session: one API message with two rejected tool calls', async () => {
    // Lines 5–10: message msg_01MKH1… (usage input_tokens 3, output_tokens 13, repeated on every
    // line) with tool_use Bash and Glob; lines 11–12: both tool_results is_error=true.
    const m = await metricsOf('claude-code/cc-spotter-short-tool-errors.jsonl');
    expect(m).toMatchObject({
      steps: 1,
      llmCalls: 1,
      toolCalls: 2,
      toolFailures: 2,
      toolFailureRatio: 1,
      inputTokens: 3,
      outputTokens: 13,
    });
  });
});

describe('computeTraceMetrics rules', () => {
  const span = (spanId: string, parentId: string | null, kind: MetricsSpan['kind'], startMs: number, endMs: number, extra: Partial<MetricsSpan> = {}): MetricsSpan => ({
    spanId,
    parentId,
    kind,
    status: 'ok',
    startMs,
    endMs,
    name: spanId,
    toolName: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    ...extra,
  });

  it('a failed model call retried before any tool ran is the same step', () => {
    const spans = [
      span('root', null, 'agent', 0, 100),
      span('llm1', 'root', 'llm', 0, 10, { status: 'error' }),
      span('llm1-retry', 'root', 'llm', 11, 20),
      span('tool', 'root', 'tool', 21, 30),
      span('llm2', 'root', 'llm', 31, 40, { status: 'error' }),
      span('tool2', 'root', 'tool', 41, 50),
      span('llm3', 'root', 'llm', 51, 60),
    ];
    const m = computeTraceMetrics(spans, buildTraceTree(spans));
    expect(m.llmCalls).toBe(4);
    expect(m.llmErrors).toBe(2);
    // llm1 + its retry = 1 turn; llm2 (failed, then a tool ran) = 1; llm3 = 1
    expect(m.steps).toBe(3);
  });

  it('counts usage only on the innermost spans that carry it (wrappers roll it up)', () => {
    const spans = [
      span('root', null, 'agent', 0, 100, { inputTokens: 300, outputTokens: 30, costUsd: 3 }),
      span('wrap', 'root', 'chain', 0, 50, { inputTokens: 100, outputTokens: 10 }),
      span('call', 'wrap', 'llm', 0, 40, { inputTokens: 100, outputTokens: 10, costUsd: 1 }),
      span('call2', 'root', 'llm', 50, 90, { inputTokens: 200, outputTokens: 20, costUsd: 2 }),
    ];
    const m = computeTraceMetrics(spans, buildTraceTree(spans));
    expect([m.inputTokens, m.outputTokens, m.costUsd]).toEqual([300, 30, 3]);
  });
});
