import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values were read off the fixture files (post/patch runs, the JSONL lines).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`langsmith/${rel}`);
  cleanups.push(cleanup);
  expect(result.warnings).toEqual([]);
  expect(result.format).toBe('langsmith');
  return { ws, result };
}

async function loadText(name: string, text: string) {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const result = await importBuffer(t.ws, name, Buffer.from(text), { format: 'langsmith' });
  return { ws: t.ws, result };
}

describe('LangSmith JS batch {post, patch} (wrapOpenAI)', () => {
  it('merges create + update: end time and outputs come from the patch', async () => {
    const { ws, result } = await load('langsmith-js-batch-post-patch-wrap-openai-default.json');
    expect(result.traceIds).toEqual(['dc34609e-3eeb-459d-bc2a-6fedb01d2e6e']);
    const [span, ...rest] = ws.getSpans(result.traceIds[0]!);
    expect(rest).toHaveLength(0);
    expect(span!.spanId).toBe('dc34609e-3eeb-459d-bc2a-6fedb01d2e6e');
    expect(span!.parentId).toBeNull();
    expect(span!.startMs).toBe(1728803137170);
    expect(span!.endMs).toBe(1728803138285);
    expect(span!.status).toBe('ok');
    expect(span!.kind).toBe('llm');
    expect(span!.model).toBe('gpt-4o-mini');
    expect(span!.provider).toBe('openai');
    expect(span!.inputMessages).toEqual([{ role: 'user', content: 'howdy' }]);
    expect(span!.outputMessages).toEqual([{ role: 'assistant', content: 'Howdy! How can I assist you today?' }]);
    expect(span!.usage).toEqual({ inputTokens: 9, outputTokens: 9, totalTokens: 18, cacheReadTokens: 0, reasoningTokens: 0 });
    const trace = ws.getTrace(result.traceIds[0]!)!;
    expect(trace.meta.metadata?.project).toBe('default');
    expect(trace.durationMs).toBe(1115);
  });

  it('reasoning tokens: 960 of 1901 output tokens', async () => {
    const { ws, result } = await load('langsmith-js-batch-post-patch-wrap-openai-reasoning.json');
    const [span] = ws.getSpans(result.traceIds[0]!);
    expect(span!.usage).toMatchObject({ inputTokens: 43, outputTokens: 1901, totalTokens: 1944, reasoningTokens: 960 });
    expect(span!.model).toBe('o1-mini');
    expect(span!.endMs! - span!.startMs).toBe(1728803148730 - 1728803138291);
  });

  it('streamed call: the accumulated message is the output', async () => {
    const { ws, result } = await load('langsmith-js-batch-post-patch-wrap-openai-stream.json');
    const [span] = ws.getSpans(result.traceIds[0]!);
    expect(span!.outputMessages?.[0]?.content).toBe('Howdy! How can I assist you today?');
    expect(span!.endMs! - span!.startMs).toBe(854);
    expect(ws.getTrace(result.traceIds[0]!)!.outputTokens).toBe(9);
  });
});

describe('LangSmith Python run operations (JSONL, handmade after the SDK dump format)', () => {
  const file = 'handmade-langsmith-python-run-ops.jsonl';
  const id = (n: number) => `5d8f2a10-1c3b-4e7a-9f10-aa${String(n).padStart(10, '0')}`;
  const T1 = id(1);
  const T2 = '5d8f2a10-1c3b-4e7a-9f10-bb0000000001';

  it('one span per run (18 ops → 9 runs), two traces', async () => {
    const { ws, result } = await load(file);
    expect([...result.traceIds].sort()).toEqual([T1, T2]);
    expect(ws.getSpans(T1)).toHaveLength(8);
    expect(ws.getSpans(T2)).toHaveLength(1);
  });

  it('parents from dotted_order (no parent_run_id in the ops)', async () => {
    const { ws } = await load(file);
    const parent = new Map(ws.getSpans(T1).map((s) => [s.spanId, s.parentId]));
    expect(parent.get(T1)).toBeNull();
    expect(parent.get(id(2))).toBe(T1);
    expect(parent.get(id(3))).toBe(id(2));
    expect(parent.get(id(4))).toBe(T1);
    expect(parent.get(id(5))).toBe(id(4));
    expect(parent.get(id(6))).toBe(id(4));
    expect(parent.get(id(8))).toBe(id(7));
  });

  it('naive ISO times are UTC; end times come from the update ops', async () => {
    const { ws } = await load(file);
    const root = ws.getSpan(T1, T1)!;
    expect(root.startMs).toBeCloseTo(Date.UTC(2024, 11, 4, 19, 59, 29) + 374.537, 6);
    expect(root.endMs).toBeCloseTo(Date.UTC(2024, 11, 4, 19, 59, 32) + 490.003, 6);
    expect(root.status).toBe('ok');
    expect(root.output).toBeDefined();
    const second = ws.getSpan(T2, T2)!;
    expect(second.endMs! - second.startMs).toBeCloseTo(250, 6);
  });

  it('LangChain LLM run: serialized messages, tool calls, llm_output usage, model', async () => {
    const { ws } = await load(file);
    const llm = ws.getSpan(T1, id(3))!;
    expect(llm.kind).toBe('llm');
    expect(llm.model).toBe('gpt-4o-mini');
    expect(llm.inputMessages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(llm.outputMessages?.[0]?.toolCalls).toEqual([
      { id: 'call_Wq1tY3bXc2', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'call_Fc7uR9pLk4', name: 'get_forecast', arguments: { city: 'Paris', days: 1 } },
    ]);
    expect(llm.usage).toMatchObject({ inputTokens: 131, outputTokens: 52, totalTokens: 183, cacheReadTokens: 64 });
    const streamed = ws.getSpan(T1, id(8))!;
    expect(streamed.usage).toBeUndefined();
    expect(streamed.events.filter((e) => e.name === 'new_token')).toHaveLength(3);
    expect(streamed.outputMessages?.[0]?.content).toMatch(/^It is sunny and 22°C in Paris/);
  });

  it('tool runs: ToolMessage result with its call id; an error run keeps the traceback', async () => {
    const { ws } = await load(file);
    const ok = ws.getSpan(T1, id(5))!;
    expect(ok.kind).toBe('tool');
    expect(ok.toolCall).toMatchObject({ id: 'call_Wq1tY3bXc2', name: 'get_weather', result: 'Sunny, 22°C' });
    const failed = ws.getSpan(T1, id(6))!;
    expect(failed.status).toBe('error');
    expect(failed.statusMessage).toBe("ValueError('forecast service unavailable')");
    expect(failed.toolCall?.isError).toBe(true);
    expect(String(failed.attributes.error)).toContain('Traceback (most recent call last):');
    expect(String(failed.attributes.error)).toContain('ValueError: forecast service unavailable');
    const trace = ws.getTrace(T1)!;
    expect(trace.toolCalls).toBe(2);
    expect(trace.toolErrors).toBe(1);
    expect(trace.llmCalls).toBe(2);
    expect(trace.inputTokens).toBe(131);
    expect(trace.meta.sessionId).toBe('3f2b7c1e-5a44-4e0b-9d0c-1b2a3c4d5e6f');
    expect(trace.name).toBe('LangGraph');
  });
});

describe('LangSmith other shapes', () => {
  const create = {
    id: 'a1', name: 'root', run_type: 'chain', start_time: '2025-01-02T03:04:05.000006Z', trace_id: 'a1',
    dotted_order: '20250102T030405000006Za1', inputs: { q: 'hi' },
  };
  const update = { id: 'a1', end_time: '2025-01-02T03:04:06.500006Z', outputs: { answer: 'hello' }, error: null };

  it('an update line before its create line still wins for the fields it sets', async () => {
    const { ws } = await loadText('ops.jsonl', `${JSON.stringify(update)}\n${JSON.stringify(create)}\n`);
    const s = ws.getSpan('a1', 'a1')!;
    expect(s.endMs! - s.startMs).toBeCloseTo(1500, 6);
    expect(s.output).toEqual({ answer: 'hello' });
    expect(s.input).toEqual({ q: 'hi' });
  });

  it('API export {runs: [...]} with parent_run_id and server-side token counts', async () => {
    const runs = {
      runs: [
        { id: 'r1', name: 'agent', run_type: 'chain', start_time: '2025-01-02T03:04:05Z', end_time: '2025-01-02T03:04:09Z', trace_id: 'r1', status: 'success', total_tokens: 30 },
        {
          id: 'r2', name: 'ChatAnthropic', run_type: 'llm', parent_run_id: 'r1', trace_id: 'r1', status: 'error',
          start_time: '2025-01-02T03:04:05.5Z', end_time: '2025-01-02T03:04:08Z', error: 'RateLimitError: 429',
          prompt_tokens: 20, completion_tokens: 10, total_tokens: 30, total_cost: '0.00045',
        },
      ],
    };
    const { ws } = await loadText('export.json', JSON.stringify(runs));
    const llm = ws.getSpan('r1', 'r2')!;
    expect(llm.parentId).toBe('r1');
    expect(llm.status).toBe('error');
    expect(llm.statusMessage).toBe('RateLimitError: 429');
    expect(llm.usage).toEqual({ inputTokens: 20, outputTokens: 10, totalTokens: 30, costUsd: 0.00045 });
    expect(ws.getSpan('r1', 'r1')!.usage).toBeUndefined();
    expect(ws.getTrace('r1')!.inputTokens).toBe(20);
  });

  it('a run tree with nested child_runs', async () => {
    const tree = [{ ...create, child_runs: [{ id: 'a2', name: 'search', run_type: 'tool', start_time: 1735787045100, end_time: 1735787045200, inputs: { input: 'x' }, outputs: { output: 'y' } }] }];
    const { ws } = await loadText('tree.json', JSON.stringify(tree));
    const tool = ws.getSpan('a1', 'a2')!;
    expect(tool.parentId).toBe('a1');
    expect(tool.toolCall).toEqual({ name: 'search', arguments: 'x', result: 'y' });
    expect(tool.endMs! - tool.startMs).toBe(100);
  });

  it('bad JSON on a JSONL line names that line', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const text = `${JSON.stringify(create)}\n${JSON.stringify(update)}\n{"id": "a3", "name": \n`;
    const err = await importBuffer(t.ws, 'bad.jsonl', Buffer.from(text), { format: 'langsmith' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).line).toBe(3);
  });
});
