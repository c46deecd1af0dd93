import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// No real MLflow trace file exists in public repositories (see tests/fixtures/HANDMADE.md); the
// two fixtures follow MLflow's serializers. Expected values were read off those files
// (ns integers checked with Python's exact ints).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`mlflow/${rel}`);
  cleanups.push(cleanup);
  expect(result.warnings).toEqual([]);
  expect(result.format).toBe('mlflow');
  return { ws, result };
}

async function loadText(name: string, text: string) {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const result = await importBuffer(t.ws, name, Buffer.from(text), { format: 'mlflow' });
  return { ws: t.ws, result };
}

const V2 = 'handmade-mlflow2-trace.json';
const V3 = 'handmade-mlflow3-trace.json';
const V2_ID = '7c1a9e3b2f5d4c6e8a0b1c2d3e4f5a6b';
const V3_ID = 'tr-0000a68a45347c8636c2a21872b1bfc8';

describe('MLflow 2 Trace JSON (context.span_id "0x…", ns ints, status_code)', () => {
  it('spans, "0x" ids as plain hex, parent links', async () => {
    const { ws, result } = await load(V2);
    expect(result.traceIds).toEqual([V2_ID]);
    const spans = ws.getSpans(V2_ID);
    expect(spans.map((s) => s.spanId)).toEqual(['84f212578f747953', '0c4f52fb3dbf2cc4', '056333b3bc5c32b8', 'c54af7be21c96a13', '9a3e5d7c1b2f4e60']);
    expect(spans[0]!.parentId).toBeNull();
    for (const s of spans.slice(1)) expect(s.parentId).toBe('84f212578f747953');
    expect(spans.map((s) => [s.kind, s.sourceKind])).toEqual([
      ['agent', 'AGENT'],
      ['llm', 'CHAT_MODEL'],
      ['tool', 'TOOL'],
      ['tool', 'TOOL'],
      ['llm', 'CHAT_MODEL'],
    ]);
  });

  it('nanosecond times', async () => {
    const { ws } = await load(V2);
    const root = ws.getSpan(V2_ID, '84f212578f747953')!;
    expect(root.startMs).toBeCloseTo(1731124123079.267123, 3);
    expect(root.endMs! - root.startMs).toBeCloseTo(1843.500077, 3);
    const tool = ws.getSpan(V2_ID, '056333b3bc5c32b8')!;
    expect(tool.endMs! - tool.startMs).toBeCloseTo(1.234567, 3);
  });

  it('decoded attributes: inputs/outputs, messages, token usage', async () => {
    const { ws } = await load(V2);
    const llm = ws.getSpan(V2_ID, '0c4f52fb3dbf2cc4')!;
    expect(llm.attributes['mlflow.spanType']).toBe('CHAT_MODEL');
    expect(llm.attributes.temperature).toBe(0);
    expect(llm.model).toBe('gpt-4o-mini');
    expect(llm.usage).toEqual({ inputTokens: 82, outputTokens: 17, totalTokens: 99 });
    expect(llm.inputMessages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(llm.outputMessages?.[0]?.toolCalls).toEqual([{ id: 'call_7dKq2', name: 'get_weather', arguments: { city: 'Paris' } }]);
    const tool = ws.getSpan(V2_ID, '056333b3bc5c32b8')!;
    expect(tool.toolCall).toEqual({ name: 'get_weather', arguments: { city: 'Paris' }, result: 'Sunny, 22°C' });
    const trace = ws.getTrace(V2_ID)!;
    expect(trace.inputTokens).toBe(82 + 121);
    expect(trace.outputTokens).toBe(17 + 24);
    expect(trace.llmCalls).toBe(2);
  });

  it('an ERROR span takes its message from the exception event', async () => {
    const { ws } = await load(V2);
    const failed = ws.getSpan(V2_ID, 'c54af7be21c96a13')!;
    expect(failed.status).toBe('error');
    expect(failed.statusMessage).toBe('PermissionError: account service denied access');
    expect(failed.toolCall?.isError).toBe(true);
    expect(failed.events[0]!.name).toBe('exception');
    expect(failed.events[0]!.timeMs).toBeCloseTo(1731124123719.517123, 3);
    expect(ws.getTrace(V2_ID)!.toolErrors).toBe(1);
  });

  it('trace info v2 → meta', async () => {
    const { ws } = await load(V2);
    const trace = ws.getTrace(V2_ID)!;
    expect(trace.name).toBe('run_agent');
    expect(trace.meta.input).toEqual({ question: "What's the weather in Paris? Also tell me my account tier." });
    expect(trace.meta.metadata).toMatchObject({ experimentId: '0', state: 'OK', executionDurationMs: 1843, requestTimeMs: 1731124123079 });
  });
});

describe('MLflow 3 Trace JSON (base64 ids, *_unix_nano beyond 2^53, STATUS_CODE_*)', () => {
  it('base64 span ids become hex; the trace keeps its tr- id', async () => {
    const { ws, result } = await load(V3);
    expect(result.traceIds).toEqual([V3_ID]);
    const spans = ws.getSpans(V3_ID);
    expect(spans).toHaveLength(6);
    // "2XT8hYzntzo=" is base64 of d9 74 fc 85 8c e7 b7 3a.
    expect(spans[0]!.spanId).toBe('d974fc858ce7b73a');
    expect(spans[0]!.parentId).toBeNull();
    expect(spans.slice(1).every((s) => s.parentId === 'd974fc858ce7b73a')).toBe(true);
    expect(spans.map((s) => s.kind)).toEqual(['agent', 'llm', 'tool', 'llm', 'tool', 'llm']);
  });

  it('times from start_time_unix_nano / end_time_unix_nano', async () => {
    const { ws } = await load(V3);
    const root = ws.getSpan(V3_ID, 'd974fc858ce7b73a')!;
    expect(root.startMs).toBeCloseTo(1764694340818.061307, 3);
    expect(root.endMs! - root.startMs).toBeCloseTo(5098.717066, 3);
    const llm = ws.getSpan(V3_ID, '4539c22ac764ff1b')!;
    expect(llm.endMs! - llm.startMs).toBeCloseTo(2100.456686, 3);
  });

  it('model, provider, usage with cache reads, cost', async () => {
    const { ws } = await load(V3);
    const llm = ws.getSpan(V3_ID, '4539c22ac764ff1b')!;
    expect(llm.model).toBe('claude-sonnet-4-5-20250929');
    expect(llm.provider).toBe('anthropic');
    expect(llm.usage).toMatchObject({ inputTokens: 310, outputTokens: 96, totalTokens: 406, cacheReadTokens: 1200 });
    expect(llm.usage?.costUsd).toBeCloseTo(0.00237, 9);
    expect(llm.inputMessages).toEqual([
      { role: 'system', content: 'You are a travel agent.' },
      { role: 'user', content: 'Find me a flight from SFO to JFK on 2025-12-20 and book the cheapest.' },
    ]);
    expect(llm.outputMessages?.[0]).toMatchObject({
      role: 'assistant',
      content: 'Let me search for flights.',
      toolCalls: [{ id: 'toolu_01A', name: 'search_flights', arguments: { origin: 'SFO', destination: 'JFK', date: '2025-12-20' } }],
    });
    const trace = ws.getTrace(V3_ID)!;
    expect(trace.inputTokens).toBe(310 + 455 + 530);
    expect(trace.outputTokens).toBe(96 + 58 + 41);
    expect(trace.costUsd).toBeCloseTo(0.00237 + 0.002235 + 0.002205, 9);
  });

  it('tool spans; STATUS_CODE_ERROR with its message', async () => {
    const { ws } = await load(V3);
    expect(ws.getSpan(V3_ID, '2a1b3c4d5e6f7081')!.toolCall).toEqual({
      name: 'search_flights',
      arguments: { origin: 'SFO', destination: 'JFK', date: '2025-12-20' },
      result: [
        { flight_id: 'UA-1542', price_usd: 289 },
        { flight_id: 'DL-0413', price_usd: 312 },
      ],
    });
    const failed = ws.getSpan(V3_ID, '6c7d8e9fa0b1c2d3')!;
    expect(failed.status).toBe('error');
    expect(failed.statusMessage).toBe('RuntimeError: payment declined');
    expect(failed.events[0]!.attributes['exception.type']).toBe('RuntimeError');
  });

  it('trace info v3 → meta: roll-up token usage, session, user, assessments', async () => {
    const { ws } = await load(V3);
    const trace = ws.getTrace(V3_ID)!;
    expect(trace.name).toBe('travel_agent');
    expect(trace.meta.sessionId).toBe('sess-42');
    expect(trace.meta.metadata).toMatchObject({
      experimentId: '412',
      user: 'traveller@example.com',
      tokenUsage: { input_tokens: 1295, output_tokens: 195, total_tokens: 1490 },
      executionDurationMs: 5098,
      requestTimeMs: Date.parse('2025-12-02T16:52:20.818Z'),
    });
    expect(trace.meta.metadata?.assessments).toHaveLength(1);
    expect(trace.meta.output).toBe('I found UA-1542 for $289, but booking failed: the payment was declined.');
  });
});

describe('MLflow other packagings', () => {
  const v2 = JSON.parse(readFileSync(fixture(`mlflow/${V2}`), 'utf8'));
  const v3 = JSON.parse(readFileSync(fixture(`mlflow/${V3}`), 'utf8'));

  it('artifact traces.json {spans}: the trace id comes from mlflow.traceRequestId', async () => {
    const { ws, result } = await loadText('traces.json', JSON.stringify({ spans: v2.data.spans }));
    expect(result.traceIds).toEqual([V2_ID]);
    expect(ws.getSpans(V2_ID)).toHaveLength(5);
    expect(ws.getTrace(V2_ID)!.name).toBe('run_agent');
  });

  it('a list of traces', async () => {
    const { result } = await loadText('traces.json', JSON.stringify([v2, v3]));
    expect([...result.traceIds].sort()).toEqual([V2_ID, V3_ID].sort());
  });

  it('newest span dicts: hex ids, trace_id "tr-…", status code "OK"', async () => {
    const span = {
      trace_id: 'tr-4f2a9c0e11d34b7b9a3e5c1d2b6f8a90',
      span_id: '1a2b3c4d5e6f7a8b',
      parent_span_id: null,
      name: 'predict',
      start_time_unix_nano: 1764694340818061307,
      end_time_unix_nano: 1764694341818061307,
      events: [],
      status: { code: 'OK', message: '' },
      attributes: { 'mlflow.traceRequestId': '"tr-4f2a9c0e11d34b7b9a3e5c1d2b6f8a90"', 'mlflow.spanType': '"CHAIN"', 'mlflow.spanInputs': '{"x": 1}' },
      otel_trace_id: '4f2a9c0e11d34b7b9a3e5c1d2b6f8a90',
    };
    // JSON.stringify would round the ns ints: write them as the producer does.
    const text = JSON.stringify({ spans: [span] })
      .replace('"start_time_unix_nano":1764694340818061300', '"start_time_unix_nano":1764694340818061307')
      .replace('"end_time_unix_nano":1764694341818061300', '"end_time_unix_nano":1764694341818061307');
    const { ws } = await loadText('traces.json', text);
    const s = ws.getSpan('tr-4f2a9c0e11d34b7b9a3e5c1d2b6f8a90', '1a2b3c4d5e6f7a8b')!;
    expect(s.status).toBe('ok');
    expect(s.kind).toBe('chain');
    expect(s.input).toEqual({ x: 1 });
    expect(s.endMs! - s.startMs).toBeCloseTo(1000, 3);
  });

  it('MLflow 2 mlflow.chat.messages (whole conversation, reply last) fills the messages', async () => {
    const span = {
      name: 'chat', context: { span_id: '0x00000000000000aa', trace_id: '0x0000000000000000000000000000abcd' }, parent_id: null,
      start_time: 1731124123000000000, end_time: 1731124124000000000, status_code: 'OK', status_message: '', events: [],
      attributes: {
        'mlflow.traceRequestId': '"r-1"', 'mlflow.spanType': '"CHAT_MODEL"', 'mlflow.spanInputs': '{"prompt_id": 7}',
        'mlflow.chat.messages': JSON.stringify([{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello!' }]),
      },
    };
    const { ws } = await loadText('t.json', JSON.stringify({ spans: [span] }));
    const s = ws.getSpan('r-1', '00000000000000aa')!;
    expect(s.inputMessages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(s.outputMessages).toEqual([{ role: 'assistant', content: 'hello!' }]);
  });

  it('not an MLflow trace → ImportError', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const err = await importBuffer(t.ws, 'x.json', Buffer.from('{"info": {}, "data": {}}'), { format: 'mlflow' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(String(err.message)).toMatch(/not an MLflow trace/);
  });
});
