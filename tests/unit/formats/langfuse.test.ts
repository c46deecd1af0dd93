import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import type { Span } from '../../../src/core/model/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values below were read off the fixture files (observations[].usageDetails,
// costDetails, startTime/endTime, input/output), not from the importer's output.

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`langfuse/${rel}`);
  cleanups.push(cleanup);
  expect(result.warnings).toEqual([]);
  expect(result.format).toBe('langfuse');
  expect(result.traceIds).toHaveLength(1);
  const traceId = result.traceIds[0]!;
  const spans = ws.getSpans(traceId);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return { ws, traceId, spans, span: (id: string) => byId.get(id)!, summary: ws.getTrace(traceId)! };
}

async function loadBuffer(name: string, data: unknown) {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const result = await importBuffer(t.ws, name, Buffer.from(JSON.stringify(data)), { format: 'langfuse' });
  return { ws: t.ws, result, spans: t.ws.getSpans(result.traceIds[0]!) };
}

const byKind = (spans: Span[], kind: Span['kind']) => spans.filter((s) => s.kind === kind);

describe('Langfuse export: OpenAI Agents SDK run (serializer A)', () => {
  const file = 'langfuse-openai-agents-2025-09-30.trace.json';

  it('builds one tree: a root for the trace, observations with null parent under it', async () => {
    const { traceId, spans, span } = await load(file);
    expect(traceId).toBe('fee618f96dc31e0ca38b2f7b26eb8b29');
    expect(spans).toHaveLength(6); // 5 observations + the trace root
    const roots = spans.filter((s) => s.parentId === null);
    expect(roots.map((s) => s.spanId)).toEqual([traceId]);
    expect(span(traceId).name).toBe('Agent workflow');
    expect(span('e5a76f27f51ad40e').parentId).toBe(traceId);
    expect(span('d950b668796240b5').parentId).toBe('e5a76f27f51ad40e');
    for (const id of ['90d94774e8e3724d', '98870087af69bf06', '5b99c3e3411ed17b']) expect(span(id).parentId).toBe('d950b668796240b5');
  });

  it('maps types to kinds and keeps the Langfuse type', async () => {
    const { spans, span } = await load(file);
    expect(byKind(spans, 'agent').map((s) => s.name).sort()).toEqual(['Agent workflow', 'Hello world']);
    expect(byKind(spans, 'llm')).toHaveLength(2);
    expect(span('5b99c3e3411ed17b').kind).toBe('tool');
    expect(span('5b99c3e3411ed17b').sourceKind).toBe('TOOL');
    expect(span('90d94774e8e3724d').sourceKind).toBe('GENERATION');
  });

  it('TOOL get_weather carries its arguments and result', async () => {
    const { span } = await load(file);
    expect(span('5b99c3e3411ed17b').toolCall).toMatchObject({
      name: 'get_weather',
      arguments: { city: 'Tokyo' },
      result: 'The weather in Tokyo is sunny.',
    });
  });

  it('generations: usage, cost, model, messages from Responses API items', async () => {
    const { span, summary } = await load(file);
    const first = span('98870087af69bf06');
    expect(first.usage).toMatchObject({ inputTokens: 55, outputTokens: 15, totalTokens: 70, cacheReadTokens: 0, reasoningTokens: 0 });
    expect(first.usage?.costUsd).toBeCloseTo(0.00023, 9);
    expect(first.model).toBe('gpt-4.1-2025-04-14');
    expect(first.outputMessages?.[0]?.toolCalls).toEqual([
      { id: 'call_Kud0j0DxWSmLzv9W5m6qVqXn', name: 'get_weather', arguments: { city: 'Tokyo' } },
    ]);
    const second = span('90d94774e8e3724d');
    expect(second.usage).toMatchObject({ inputTokens: 85, outputTokens: 29, totalTokens: 114 });
    expect(second.inputMessages?.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(second.inputMessages?.[2]).toMatchObject({ toolCallId: 'call_Kud0j0DxWSmLzv9W5m6qVqXn', content: 'The weather in Tokyo is sunny.' });
    expect(second.outputMessages?.[0]?.content).toMatch(/^The weather in Tokyo is currently sunny\./);
    expect(summary.llmCalls).toBe(2);
    expect(summary.toolCalls).toBe(1);
    expect(summary.inputTokens).toBe(55 + 85);
    expect(summary.outputTokens).toBe(15 + 29);
    expect(summary.costUsd).toBeCloseTo(0.00023 + 0.000402, 9);
  });

  it('times: ISO start/end; the trace root spans trace.timestamp + latency', async () => {
    const { span, traceId } = await load(file);
    const gen = span('90d94774e8e3724d');
    expect(gen.startMs).toBe(Date.parse('2025-09-30T09:04:01.001Z'));
    expect(gen.endMs! - gen.startMs).toBe(1150);
    const root = span(traceId);
    expect(root.startMs).toBe(Date.parse('2025-09-30T09:03:59.962Z'));
    expect(root.endMs! - root.startMs).toBeCloseTo(2190, 6);
  });

  it('trace scores go to the trace metadata', async () => {
    const { summary } = await load(file);
    const scores = summary.meta.metadata?.scores as { name: string; value: number }[];
    expect(scores.map((s) => [s.name, s.value])).toEqual([
      ['toxicity', 0.8],
      ['hallucination', 0],
    ]);
    expect(summary.name).toBe('Agent workflow');
  });
});

describe('Langfuse export: Claude Agent SDK run', () => {
  const file = 'langfuse-claude-agent-2025-12-22.trace.json';

  it('7 observations under the trace root; the SPAN is the parent of the rest', async () => {
    const { spans, span, traceId } = await load(file);
    expect(spans).toHaveLength(8);
    expect(span('805dc5dff9e33e32').parentId).toBe(traceId);
    expect(spans.filter((s) => s.parentId === '805dc5dff9e33e32')).toHaveLength(6);
  });

  it('sums 4 generations once: tokens and cost', async () => {
    const { summary, spans } = await load(file);
    expect(byKind(spans, 'llm')).toHaveLength(4);
    expect(summary.inputTokens).toBe(5 + 5 + 5 + 19);
    expect(summary.outputTokens).toBe(94 + 56 + 53 + 29);
    expect(summary.costUsd).toBeCloseTo(0.001425 + 0.000855 + 0.00081 + 0.000492, 9);
    expect(byKind(spans, 'llm').every((s) => s.model === 'claude-sonnet-4-5-20250929')).toBe(true);
  });

  it('tool spans and tool_use blocks (not doubled by toolCalls[])', async () => {
    const { span } = await load(file);
    expect(span('edbd987c5f361fdf').toolCall).toMatchObject({
      name: 'mcp__weather__get_weather',
      arguments: { input: { city: 'New York' } },
      result: { content: [{ type: 'text', text: 'Weather in New York: Sunny, 75°F' }] },
    });
    const calls = span('f8e8f040dc94e67e').outputMessages?.flatMap((m) => m.toolCalls ?? []);
    expect(calls).toEqual([{ id: 'toolu_01NtVat4vJLFfVd5TqdLHcA7', name: 'mcp__weather__get_weather', arguments: { city: 'New York' } }]);
  });

  it('toolCalls[] (JSON strings, names in toolCallNames[]) fill in calls the output lacks', async () => {
    const data = JSON.parse(readFileSync(fixture(`langfuse/${file}`), 'utf8'));
    const gen = data.observations.find((o: { id: string }) => o.id === '2cc13e77781787fd');
    gen.output = JSON.stringify({ content: [{ type: 'text', text: 'Checking Berlin.' }], role: 'assistant' });
    const { spans } = await loadBuffer('claude.json', data);
    const out = spans.find((s) => s.spanId === '2cc13e77781787fd')!.outputMessages!;
    expect(out).toHaveLength(1);
    expect(out[0]!.content).toBe('Checking Berlin.');
    expect(out[0]!.toolCalls).toEqual([{ id: 'toolu_01TKoqQLvY2UWuC49qnD48y7', name: 'mcp__weather__get_weather', arguments: { city: 'Berlin' } }]);
  });

  it('decodes the twice-encoded trace input', async () => {
    const { span, traceId, summary } = await load(file);
    expect(span(traceId).input).toEqual({
      prompt: "What's the weather like in Berlin and New York?",
      system: 'You are a friendly travel assistant who helps with weather information.',
    });
    expect((summary.meta.input as { prompt: string }).prompt).toBe("What's the weather like in Berlin and New York?");
    expect(summary.meta.metadata?.scores).toHaveLength(3);
  });
});

describe('Langfuse export: LangGraph via the Langfuse callback', () => {
  const file = 'langfuse-langgraph-python-2025-08-22.trace.json';

  it('tree and usage', async () => {
    const { spans, span, traceId, summary } = await load(file);
    expect(spans).toHaveLength(10);
    expect(span('b024c7ee7680b708').parentId).toBe(traceId);
    expect(span('4f6535aaebcda355').parentId).toBe('98d3e02591797c04');
    expect(span('5ba09605e0929d78').parentId).toBe('3b239b11cbb2ac0b');
    expect(summary.inputTokens).toBe(60 + 108);
    expect(summary.outputTokens).toBe(15 + 51);
    expect(summary.costUsd).toBeCloseTo(0.000075 + 0.000159, 9);
    expect(span('4f6535aaebcda355').model).toBe('gpt-4o-2024-08-06');
  });

  it('the LangChain tool run (a plain SPAN whose output is a ToolMessage) is a tool call', async () => {
    const { span } = await load(file);
    const tool = span('21441266a9f21251');
    expect(tool.kind).toBe('tool');
    expect(tool.sourceKind).toBe('SPAN');
    expect(tool.toolCall).toMatchObject({
      id: 'call_1oGK863sxQHlPreFhDdEs3yl',
      name: 'Web-Search',
      result: [{ url: 'https://example.com', title: 'Example Result', q: 'example' }],
    });
    expect(span('4f6535aaebcda355').outputMessages?.[0]?.toolCalls?.[0]).toMatchObject({ name: 'Web-Search', arguments: { query: 'example' } });
  });
});

describe('Langfuse export: pydantic-ai (serializer B: real JSON, latency in ms)', () => {
  const file = 'langfuse-pydantic-ai-tools-2025-12-04.trace.json';

  it('agent-run spans roll usage up in their attributes, but only generations count', async () => {
    const { spans, span, summary } = await load(file);
    expect(spans).toHaveLength(13);
    const agentRun = span('5b5c52d029f28206');
    expect(agentRun.usage).toBeUndefined();
    expect((agentRun.attributes.metadata as { attributes: Record<string, unknown> }).attributes['gen_ai.usage.input_tokens']).toBe('682');
    expect(byKind(spans, 'llm')).toHaveLength(4);
    expect(summary.inputTokens).toBe(417 + 131 + 502 + 265);
    expect(summary.outputTokens).toBe(53 + 69 + 14 + 73);
    expect(summary.costUsd).toBeCloseTo(9.435e-5 + 6.1049999e-5 + 8.37e-5 + 8.355e-5, 9);
  });

  it('tool names and call ids come from the OTel attributes, not the decorated observation name', async () => {
    const { spans, span } = await load(file);
    expect(byKind(spans, 'tool').map((s) => s.toolCall!.name).sort()).toEqual([
      'get_dad_joke_suggestion',
      'get_one_liner_suggestion',
      'get_pun_suggestion',
    ]);
    expect(span('99ec63d0b5ecdbf5').toolCall).toMatchObject({
      id: 'call_X0OSgjUukT5inyEQvuZQnHrk',
      arguments: { topic: 'programming' },
      result: "Pun idea: Play on words related to 'programming' - think about homophones or double meanings",
    });
    expect(span('99ec63d0b5ecdbf5').parentId).toBe('93d5543f7340c2e6');
  });

  it('GenAI parts messages', async () => {
    const { span } = await load(file);
    const gen = span('be64c23f44dd98be');
    expect(gen.inputMessages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(gen.outputMessages?.[0]?.toolCalls?.map((t) => t.name)).toEqual([
      'get_pun_suggestion',
      'get_dad_joke_suggestion',
      'get_one_liner_suggestion',
    ]);
    expect(gen.endMs! - gen.startMs).toBe(2362);
  });

  it('trace tags and user metadata', async () => {
    const { summary } = await load(file);
    expect(summary.meta.metadata?.tags).toEqual(['example', 'joke-generator']);
    expect(summary.meta.output).toBe('Why do programmers hate nature?  \nIt has too many bugs!');
  });
});

describe('Langfuse export: Vercel AI SDK run', () => {
  const file = 'langfuse-vercel-aisdk-2025-11-17.trace.json';

  it('ai.generateText wraps ai.generateText.doGenerate: only the inner call is an LLM call with usage', async () => {
    const { span, summary } = await load(file);
    const outer = span('1dc6768109615657');
    const inner = span('91a17a2274bfd23f');
    expect(outer.kind).toBe('chain');
    expect(outer.usage).toBeUndefined();
    expect(inner.kind).toBe('llm');
    expect(inner.usage).toMatchObject({ inputTokens: 62, outputTokens: 85, totalTokens: 147 });
    expect(inner.usage?.costUsd).toBeCloseTo(0.000927499999, 12);
    expect(summary.llmCalls).toBe(1);
    expect(summary.inputTokens).toBe(62);
    expect(summary.outputTokens).toBe(85);
  });

  it('tool call from the tool-call list and the TOOL observation', async () => {
    const { span } = await load(file);
    expect(span('91a17a2274bfd23f').outputMessages?.[0]?.toolCalls).toEqual([
      { id: 'call_DgKARp7a7IhJPDczfifMp6Ra', name: 'getWeather', arguments: { location: 'San Francisco' } },
    ]);
    expect(span('e9bb8c191e1e4706').toolCall).toMatchObject({
      id: 'call_DgKARp7a7IhJPDczfifMp6Ra',
      name: 'getWeather',
      arguments: { location: 'San Francisco' },
      result: { location: 'San Francisco', temperature: 64 },
    });
    expect(span('91a17a2274bfd23f').inputMessages).toEqual([{ role: 'user', content: 'What is the weather like today in San Francisco?' }]);
  });
});

describe('Langfuse latency units (observations without endTime)', () => {
  const withoutEnd = (rel: string) => {
    const data = JSON.parse(readFileSync(fixture(`langfuse/${rel}`), 'utf8'));
    for (const o of data.observations) delete o.endTime;
    for (const o of data.trace.observations ?? []) delete o.endTime;
    return data;
  };

  it('serializer A: latency in seconds', async () => {
    const { spans } = await loadBuffer('a.json', withoutEnd('langfuse-openai-agents-2025-09-30.trace.json'));
    const gen = spans.find((s) => s.spanId === '90d94774e8e3724d')!;
    expect(gen.endMs! - gen.startMs).toBeCloseTo(1150, 6);
  });

  it('serializer B: latency in milliseconds', async () => {
    const { spans } = await loadBuffer('b.json', withoutEnd('langfuse-pydantic-ai-tools-2025-12-04.trace.json'));
    const gen = spans.find((s) => s.spanId === '00d2804abb764b1b')!;
    expect(gen.endMs! - gen.startMs).toBe(1707);
    const root = spans.find((s) => s.spanId === '00d3f40ee8e3b716')!;
    expect(root.endMs! - root.startMs).toBe(7424);
  });

  it('the unit is learned from observations that still have an end time', async () => {
    const data = JSON.parse(readFileSync(fixture('langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json'), 'utf8'));
    const gen = data.observations.find((o: { id: string }) => o.id === 'eb0cc14cf7943ad5');
    delete gen.endTime;
    data.trace.observations = []; // would suggest serializer A (seconds) if no observation said otherwise
    const { spans } = await loadBuffer('c.json', data);
    const s = spans.find((x) => x.spanId === 'eb0cc14cf7943ad5')!;
    expect(s.endMs! - s.startMs).toBe(2050);
  });
});

describe('Langfuse edge cases', () => {
  it('level ERROR → error status with the status message', async () => {
    const data = JSON.parse(readFileSync(fixture('langfuse/langfuse-openai-agents-2025-09-30.trace.json'), 'utf8'));
    const tool = data.observations.find((o: { id: string }) => o.id === '5b99c3e3411ed17b');
    tool.level = 'ERROR';
    tool.statusMessage = 'weather API timed out';
    const { ws, result, spans } = await loadBuffer('err.json', data);
    const s = spans.find((x) => x.spanId === '5b99c3e3411ed17b')!;
    expect(s.status).toBe('error');
    expect(s.statusMessage).toBe('weather API timed out');
    expect(s.toolCall?.isError).toBe(true);
    expect((ws as Workspace).getTrace(result.traceIds[0]!)!.toolErrors).toBe(1);
  });

  it('an observation without id is refused with its JSON path', async () => {
    const data = JSON.parse(readFileSync(fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json'), 'utf8'));
    delete data.observations[1].id;
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const err = await importBuffer(t.ws, 'bad.json', Buffer.from(JSON.stringify(data)), { format: 'langfuse' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).path).toBe('observations[1]');
  });

  it('truncated JSON names the line', async () => {
    const text = readFileSync(fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json'), 'utf8');
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const err = await importBuffer(t.ws, 'cut.json', Buffer.from(text.slice(0, 5000)), { format: 'langfuse' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as ImportError).line).toBeGreaterThan(1);
  });
});

describe('Langfuse export with an observation whose parent is missing', () => {
  const file = 'handmade-langfuse-langgraph-parent-missing.trace.json';

  it('hangs the orphans under the trace node (8 observations → 9 nodes), with the repair warning', async () => {
    const { ws, result, cleanup } = await importFixture(`langfuse/${file}`);
    cleanups.push(cleanup);
    const traceId = 'e1fde3efec57ce8a69bafd3fb928a7eb';
    expect(result.traceIds).toEqual([traceId]);
    expect(result.warnings).toHaveLength(1);
    expect(result.warnings[0]).toMatch(
      new RegExp(`${file.replace(/\./g, '\\.')}: trace ${traceId}: 3 span\\(s\\) name a parent that is not in the trace; attached to the trace root ${traceId}$`),
    );
    const spans = ws.getSpans(traceId);
    expect(spans).toHaveLength(9); // the trace + 8 observations; no tracedeck.root
    expect(spans.some((s) => s.spanId.startsWith('tracedeck.root'))).toBe(false);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    expect(byId.get(traceId)!.parentId).toBeNull();
    // agent, agent, tools named the removed LangGraph observation b024c7ee7680b708 as parent
    for (const id of ['3b239b11cbb2ac0b', '98d3e02591797c04', 'c8a18a38a3a115cb']) {
      expect(byId.get(id)!.parentId).toBe(traceId);
      expect(byId.get(id)!.attributes['tracedeck.source_parent']).toBe('b024c7ee7680b708');
    }
    expect(byId.get('21441266a9f21251')!.parentId).toBe('c8a18a38a3a115cb');
    expect(ws.getTrace(traceId)!.spanCount).toBe(9);
  });
});
