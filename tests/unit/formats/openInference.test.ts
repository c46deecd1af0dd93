import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBuffer, type ImportResult } from '../../../src/core/import/importFile';
import type { Span } from '../../../src/core/model/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values read off the fixture files (checked with a script, quoted in comments).

const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('Phoenix span export (18 spans: AGENT root, 9 LLM, 8 TOOL, one TOOL error)', () => {
  let ws: Workspace;
  let result: ImportResult;
  let spans: Span[];
  const span = (id: string) => spans.find((s) => s.spanId === id)!;

  beforeAll(async () => {
    const r = await importFixture(PHOENIX);
    cleanups.push(r.cleanup);
    ws = r.ws;
    result = r.result;
    spans = ws.getSpans('fixture-trace-1');
  });

  it('imports one trace of 18 spans under the AGENT root', () => {
    expect(result.format).toBe('openinference');
    expect(result.traceIds).toEqual(['fixture-trace-1']);
    expect(result.spanCount).toBe(18);
    expect(spans).toHaveLength(18);
    const root = span('s01');
    expect(root.parentId).toBeNull();
    expect(root.kind).toBe('agent');
    expect(root.name).toBe('pxi.turn');
    expect(spans.filter((s) => s.spanId !== 's01').every((s) => s.parentId === 's01')).toBe(true);
    expect(spans.filter((s) => s.kind === 'llm')).toHaveLength(9);
    expect(spans.filter((s) => s.kind === 'tool')).toHaveLength(8);
  });

  it('reads ISO times and the root input/output text', () => {
    const root = span('s01');
    expect(root.startMs).toBe(Date.UTC(2026, 6, 9, 0, 0, 0)); // 2026-07-09T00:00:00+00:00
    expect(root.endMs).toBe(Date.UTC(2026, 6, 9, 0, 0, 35));
    expect(root.input).toBe('can you save this trace to a dataset?');
    const t = ws.getTrace('fixture-trace-1')!;
    expect(t.durationMs).toBe(35_000);
    expect(t.meta.sessionId).toBe('fixture-session');
  });

  it('marks s11 (add_spans_to_dataset) as the one tool error, with its message and exception event', () => {
    const errors = spans.filter((s) => s.status === 'error');
    expect(errors.map((s) => s.spanId)).toEqual(['s11']);
    const s11 = span('s11');
    expect(s11.kind).toBe('tool');
    expect(s11.statusMessage).toMatch(/^Error fetching GraphQL query 'exampleMutation'/);
    expect(s11.events).toEqual([
      { name: 'exception', timeMs: Date.UTC(2026, 6, 9, 0, 0, 19), attributes: { 'exception.message': '[sanitized exception message]' } },
    ]);
    expect(s11.toolCall).toMatchObject({
      id: 'call-08',
      name: 'add_spans_to_dataset',
      arguments: { datasetName: 'golden_examples', spanIds: ['fx-otel-span-1'] },
      isError: true,
    });
    expect(String(s11.toolCall!.result)).toContain('an unexpected error occurred');
    const t = ws.getTrace('fixture-trace-1')!;
    expect([t.errorCount, t.toolCalls, t.toolErrors, t.llmCalls]).toEqual([1, 8, 1, 9]);
    // The AGENT root s01 says status_code OK: the agent recovered, so the run did not fail.
    expect(t.status).toBe('ok');
  });

  it('reads tool spans as calls with parsed arguments and results', () => {
    expect(span('s03').toolCall).toEqual({
      id: 'call-04',
      name: 'list_datasets',
      arguments: {},
      result: {
        datasets: [
          { id: 'fixture-dataset-1', name: 'dataset_alpha', exampleCount: 5 },
          { id: 'fixture-dataset-2', name: 'dataset_beta', exampleCount: 3 },
        ],
        hasNextPage: true,
        endCursor: 'fixture-cursor',
      },
    });
    expect(span('s13').toolCall?.arguments).toEqual({
      summary: "Looking up the span's node ID",
      command: 'example-cli --vars \'{"sid": "fx-otel-span-1"}\' \'query { spanNode }\'',
    });
    expect(span('s15').toolCall?.result).toEqual({
      status: 'accepted',
      acceptedBy: 'user',
      message: 'Added 1 span(s) to dataset "golden_examples".',
    });
  });

  it('reads LLM usage (with cache details), model, and the tool calls the model asked for', () => {
    const s02 = span('s02');
    expect(s02.model).toBe('claude-fable-5');
    expect(s02.provider).toBe('anthropic');
    expect(s02.usage).toEqual({
      inputTokens: 32321,
      outputTokens: 119,
      totalTokens: 32440,
      cacheReadTokens: 31559,
      cacheWriteTokens: 760,
    });
    expect(s02.outputMessages).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'call-04', name: 'list_datasets', arguments: '' }] },
    ]);
    // s02 replays 10 messages: system, user, 3 × (assistant tool call, tool result), the previous
    // answer, and the new user request
    expect(s02.inputMessages?.map((m) => m.role)).toEqual([
      'system', 'user', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'tool', 'assistant', 'user',
    ]);
    expect(s02.inputMessages?.[9]?.content).toBe('can you save this trace to a dataset?');
    expect(s02.inputMessages?.[2]?.toolCalls).toEqual([{ id: 'call-01', name: 'load_skill', arguments: { skill_name: 'example-skill' } }]);
    expect(s02.inputMessages?.[3]?.toolCallId).toBe('call-01');
    const s12 = span('s12');
    expect(s12.outputMessages?.[0]?.content).toBe("The first attempt failed - let me look up the span's node ID and retry.");
    expect(s12.outputMessages?.[0]?.toolCalls?.[0]?.name).toBe('bash');
  });

  it('sums tokens over the 9 LLM calls', () => {
    const t = ws.getTrace('fixture-trace-1')!;
    // Σ llm.token_count.prompt = 310222, Σ llm.token_count.completion = 1895
    expect(t.inputTokens).toBe(310222);
    expect(t.outputTokens).toBe(1895);
  });
});

describe('Phoenix span JSON in other envelopes', () => {
  const raw = JSON.parse(readFileSync(fixture(PHOENIX), 'utf8')) as Record<string, unknown>[];

  async function importText(name: string, text: string) {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const result = await importBuffer(t.ws, name, Buffer.from(text));
    return { ws: t.ws, result };
  }

  it('reads a REST page {"data": [...], "next_cursor": …}', async () => {
    const { ws, result } = await importText('page.json', JSON.stringify({ data: raw, next_cursor: null }));
    expect(result.format).toBe('openinference');
    expect(result.spanCount).toBe(18);
    expect(ws.getTrace('fixture-trace-1')!.toolErrors).toBe(1);
  });

  it('reads JSON Lines and groups spans by trace id', async () => {
    const other = { ...raw[1], context: { trace_id: 'second-trace', span_id: 'x1' }, parent_id: null };
    const text = [...raw, other].map((s) => JSON.stringify(s)).join('\n');
    const { ws, result } = await importText('spans.jsonl', text);
    expect(result.traceIds.sort()).toEqual(['fixture-trace-1', 'second-trace']);
    expect(ws.getTrace('fixture-trace-1')!.spanCount).toBe(18);
    expect(ws.getSpans('second-trace')[0]!.kind).toBe('llm');
  });

  it('reads nested legacy attributes', async () => {
    const legacy = {
      name: 'ChatOpenAI',
      context: { trace_id: 't-nested', span_id: 'n1' },
      span_kind: 'LLM',
      parent_id: null,
      start_time: '2024-01-01T00:00:00.123456+00:00',
      end_time: '2024-01-01T00:00:01+00:00',
      status_code: 'OK',
      status_message: '',
      attributes: {
        llm: { model_name: 'gpt-4', token_count: { prompt: 10, completion: 5 } },
        'llm.input_messages': [{ 'message.role': 'user', 'message.content': 'hi' }],
      },
      events: [],
    };
    const { ws } = await importText('legacy.jsonl', JSON.stringify(legacy) + '\n');
    const [s] = ws.getSpans('t-nested');
    expect(s!.startMs).toBeCloseTo(Date.UTC(2024, 0, 1) + 123.456, 3);
    expect(s!.model).toBe('gpt-4');
    expect(s!.usage).toEqual({ inputTokens: 10, outputTokens: 5 });
    expect(s!.inputMessages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('names file and line of a span without a trace id', async () => {
    const bad = { ...raw[2], context: { span_id: 'zz' } };
    const text = [raw[0], bad].map((s) => JSON.stringify(s)).join('\n');
    const e = await importText('bad.jsonl', text).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toContain('bad.jsonl (line 2');
    expect((e as ImportError).message).toContain('no context.trace_id');
  });
});

describe('single-span attribute maps', () => {
  const hashOf = (rel: string) => createHash('sha256').update(readFileSync(fixture(rel))).digest('hex');

  async function load(rel: string) {
    const r = await importFixture(rel);
    cleanups.push(r.cleanup);
    expect(r.result.format).toBe('openinference');
    expect(r.result.spanCount).toBe(1);
    const traceId = hashOf(rel).slice(0, 32);
    expect(r.result.traceIds).toEqual([traceId]);
    const [s] = r.ws.getSpans(traceId);
    expect(s!.spanId).toBe(hashOf(rel).slice(32, 48));
    // no times in the file: placed at 0 with an open end, and the user is told
    expect(s!.startMs).toBe(0);
    expect(s!.endMs).toBeNull();
    expect(r.result.warnings.join('\n')).toContain('records no times');
    return { span: s!, trace: r.ws.getTrace(traceId)! };
  }

  it('openinference-flat-attrs-llm-tool-calls.json → one LLM span with messages, tool call and usage', async () => {
    const { span, trace } = await load('openinference/openinference-flat-attrs-llm-tool-calls.json');
    expect(span.name).toBe('LLM gpt-4-0613');
    expect(span.kind).toBe('llm');
    expect(span.usage).toEqual({ inputTokens: 97, outputTokens: 52, totalTokens: 149 });
    expect(span.inputMessages?.[1]?.toolCalls).toEqual([{ id: '1234', name: 'get_weather', arguments: { location: 'Paris' } }]);
    expect(span.inputMessages?.[2]).toEqual({ role: 'tool', content: 'rainy, 57°F', toolCallId: '1234' });
    expect(span.attributes['llm.input_messages.0.message.role']).toBe('user'); // source attributes kept
    expect([trace.llmCalls, trace.inputTokens, trace.outputTokens]).toEqual([1, 97, 52]);
  });

  it('otel-genai-flat-attrs-client-span-tool-calls.json → "chat gpt-4" llm span', async () => {
    const { span, trace } = await load('otlp-json/otel-genai-flat-attrs-client-span-tool-calls.json');
    expect(span.name).toBe('chat gpt-4'); // gen_ai.operation.name + gen_ai.request.model
    expect(span.kind).toBe('llm');
    expect(span.model).toBe('gpt-4-0613');
    expect(span.usage).toEqual({ inputTokens: 97, outputTokens: 52 });
    expect(span.inputMessages?.[1]?.toolCalls?.[0]).toEqual({ id: '1234', name: 'get_weather', arguments: { location: 'Paris' } });
    expect(span.outputMessages?.[0]?.content).toBe('The weather in Paris is currently rainy with a temperature of 57°F.');
    expect([trace.llmCalls, trace.inputTokens, trace.outputTokens]).toEqual([1, 97, 52]);
  });

  it('otel-genai-flat-attrs-execute-tool-span.json → "execute_tool get_weather" tool span', async () => {
    const { span, trace } = await load('otlp-json/otel-genai-flat-attrs-execute-tool-span.json');
    expect(span.name).toBe('execute_tool get_weather');
    expect(span.kind).toBe('tool');
    expect(span.toolCall).toEqual({
      id: '1234',
      name: 'get_weather',
      arguments: { city: 'New York' },
      result: {
        status: 'success',
        report: 'The weather in New York is sunny with a temperature of 25 degrees Celsius (77 degrees Fahrenheit).',
      },
    });
    expect([trace.toolCalls, trace.toolErrors]).toEqual([1, 0]);
  });

  it('refuses an object that is neither spans nor an attribute map', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    await expect(importBuffer(t.ws, 'x.json', Buffer.from('{"hello": "world"}'), { format: 'openinference' })).rejects.toThrow(
      /x\.json \(line 1\): not a Phoenix span/,
    );
  });
});
