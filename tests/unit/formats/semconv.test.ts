import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenAttributes, interpretAttributes, unflattenIndexed } from '../../../src/core/formats/common/semconv';
import { fixture } from '../../helpers/workspace';

// Expected values are read off the fixture files themselves (quoted in comments where useful).

const load = (rel: string) => JSON.parse(readFileSync(fixture(rel), 'utf8')) as Record<string, unknown>;

const vercelSpans = JSON.parse(
  readFileSync(fixture('vercel-ai-sdk/vercel-ai-sdk-v6-otel-js-readablespans-all.json'), 'utf8'),
) as { name: string; attributes: Record<string, unknown> }[];
const vercel = (name: string, nth = 0) => vercelSpans.filter((s) => s.name === name)[nth]!.attributes;

describe('unflattenIndexed', () => {
  it('re-inflates OpenInference indexed keys, nested indices included, in index order', () => {
    const attrs = load('openinference/openinference-flat-attrs-llm-tool-calls.json');
    const msgs = unflattenIndexed(attrs, 'llm.input_messages') as { message: Record<string, unknown> }[];
    expect(msgs).toHaveLength(3);
    expect(msgs[0]!.message).toEqual({
      role: 'user',
      contents: [{ message_content: { type: 'text', text: 'Weather in Paris?' } }],
    });
    expect(msgs[1]!.message.tool_calls).toEqual([
      { tool_call: { id: '1234', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } } },
    ]);
    expect(msgs[2]!.message).toEqual({ role: 'tool', content: 'rainy, 57°F', tool_call_id: '1234' });
  });

  it('orders by numeric index (10 after 9), drops holes and ignores non-index keys', () => {
    const attrs: Record<string, unknown> = {
      'x.10.v': 'ten',
      'x.9.v': 'nine',
      'x.0.v': 'zero',
      'x.total': 3,
      'xy.0.v': 'other prefix',
    };
    expect(unflattenIndexed(attrs, 'x')).toEqual([{ v: 'zero' }, { v: 'nine' }, { v: 'ten' }]);
  });

  it('accepts the nested (legacy Phoenix) form with dotted keys inside elements', () => {
    const attrs = { 'llm.input_messages': [{ 'message.role': 'user', 'message.content': 'hi' }] };
    expect(unflattenIndexed(attrs, 'llm.input_messages')).toEqual([{ message: { role: 'user', content: 'hi' } }]);
  });

  it('keeps scalar elements (tag.tags.0)', () => {
    expect(unflattenIndexed({ 'tag.tags.0': 'a', 'tag.tags.1': 'b' }, 'tag.tags')).toEqual(['a', 'b']);
  });
});

describe('flattenAttributes', () => {
  it('expands nested objects next to their key and leaves flat maps untouched', () => {
    const flat = { 'a.b': 1 };
    expect(flattenAttributes(flat)).toBe(flat);
    const nested = flattenAttributes({ llm: { token_count: { prompt: 5 } } });
    expect(nested['llm.token_count.prompt']).toBe(5);
  });
});

describe('interpretAttributes: OpenInference', () => {
  const attrs = load('openinference/openinference-flat-attrs-llm-tool-calls.json');
  const f = interpretAttributes(attrs);

  it('reads kind, model, provider and usage', () => {
    expect(f.kind).toBe('llm');
    expect(f.sourceKind).toBe('LLM');
    expect(f.model).toBe('gpt-4-0613'); // llm.model_name
    expect(f.provider).toBe('openai'); // llm.provider
    expect(f.usage).toEqual({ inputTokens: 97, outputTokens: 52, totalTokens: 149 });
  });

  it('rebuilds the messages, tool call and tool result included', () => {
    expect(f.inputMessages).toEqual([
      { role: 'user', content: 'Weather in Paris?' },
      {
        role: 'assistant',
        content: 'Absolutely! Let me check the weather for you.',
        toolCalls: [{ id: '1234', name: 'get_weather', arguments: { location: 'Paris' } }],
      },
      { role: 'tool', content: 'rainy, 57°F', toolCallId: '1234' },
    ]);
    expect(f.outputMessages).toEqual([
      { role: 'assistant', content: 'The weather in Paris is currently rainy with a temperature of 57°F.' },
    ]);
  });

  it('parses input.value / output.value as JSON because the mime type says so', () => {
    expect((f.input as { model: string }).model).toBe('gpt-4');
    expect(f.output).toEqual({
      text: 'The weather in Paris is currently rainy with a temperature of 57°F.',
      finish_reason: 'stop',
    });
  });

  it('keeps text/plain values as text and reads cache/reasoning/cost details', () => {
    const g = interpretAttributes({
      'openinference.span.kind': 'LLM',
      'input.value': '{"not": "parsed"}',
      'input.mime_type': 'text/plain',
      'llm.token_count.prompt': 100,
      'llm.token_count.completion': 20,
      'llm.token_count.prompt_details.cache_read': 80,
      'llm.token_count.prompt_details.cache_write': 15,
      'llm.token_count.completion_details.reasoning': 12,
      'llm.cost.prompt': 0.001,
      'llm.cost.completion': 0.002,
    });
    expect(g.input).toBe('{"not": "parsed"}');
    expect(g.usage).toEqual({
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 80,
      cacheWriteTokens: 15,
      reasoningTokens: 12,
      costUsd: 0.003,
    });
    expect(interpretAttributes({ 'openinference.span.kind': 'LLM', 'llm.cost.total': 0.5 }).usage?.costUsd).toBe(0.5);
  });

  it('reads the same span in nested form', () => {
    const g = interpretAttributes({
      openinference: { span: { kind: 'LLM' } },
      llm: { model_name: 'm', token_count: { prompt: 3, completion: 4 } },
      'llm.input_messages': [{ 'message.role': 'user', 'message.content': 'hi' }],
    });
    expect(g.kind).toBe('llm');
    expect(g.model).toBe('m');
    expect(g.usage).toEqual({ inputTokens: 3, outputTokens: 4 });
    expect(g.inputMessages).toEqual([{ role: 'user', content: 'hi' }]);
  });

  it('makes TOOL spans a tool call from tool.* and input/output values', () => {
    const g = interpretAttributes({
      'openinference.span.kind': 'TOOL',
      'tool.name': 'search',
      'tool.id': 'call-9',
      'input.value': '{"q": "x"}',
      'input.mime_type': 'application/json',
      'output.value': 'found',
    });
    expect(g.kind).toBe('tool');
    expect(g.toolCall).toEqual({ name: 'search', id: 'call-9', arguments: { q: 'x' }, result: 'found' });
  });

  it('does not give usage to AGENT/CHAIN spans that roll it up', () => {
    const g = interpretAttributes({ 'openinference.span.kind': 'AGENT', 'llm.token_count.prompt': 500 });
    expect(g.kind).toBe('agent');
    expect(g.usage).toBeUndefined();
    expect(g.isRollup).toBe(true);
  });

  it('turns retrieval.documents into the output', () => {
    const g = interpretAttributes({
      'openinference.span.kind': 'RETRIEVER',
      'retrieval.documents.0.document.id': 'd1',
      'retrieval.documents.0.document.content': 'alpha',
      'retrieval.documents.0.document.score': 0.9,
      'retrieval.documents.1.document.id': 'd2',
    });
    expect(g.kind).toBe('retrieval');
    expect(g.output).toEqual([{ id: 'd1', content: 'alpha', score: 0.9 }, { id: 'd2' }]);
  });
});

describe('interpretAttributes: OTel GenAI', () => {
  it('reads the client span fixture (JSON-string messages with parts)', () => {
    const f = interpretAttributes(load('otlp-json/otel-genai-flat-attrs-client-span-tool-calls.json'));
    expect(f.kind).toBe('llm');
    expect(f.sourceKind).toBe('chat');
    expect(f.model).toBe('gpt-4-0613'); // gen_ai.response.model wins over request model gpt-4
    expect(f.provider).toBe('openai');
    expect(f.usage).toEqual({ inputTokens: 97, outputTokens: 52 });
    expect(f.inputMessages?.map((m) => m.role)).toEqual(['user', 'assistant', 'tool']);
    expect(f.inputMessages?.[1]?.toolCalls).toEqual([{ id: '1234', name: 'get_weather', arguments: { location: 'Paris' } }]);
    expect(f.inputMessages?.[2]).toEqual({ role: 'tool', content: 'rainy, 57°F', toolCallId: '1234' });
    expect(f.outputMessages?.[0]?.content).toBe('The weather in Paris is currently rainy with a temperature of 57°F.');
  });

  it('reads the execute_tool fixture as a tool call with parsed input/output', () => {
    const f = interpretAttributes(load('otlp-json/otel-genai-flat-attrs-execute-tool-span.json'));
    expect(f.kind).toBe('tool');
    expect(f.toolCall).toEqual({
      name: 'get_weather',
      id: '1234',
      arguments: { city: 'New York' },
      result: {
        status: 'success',
        report: 'The weather in New York is sunny with a temperature of 25 degrees Celsius (77 degrees Fahrenheit).',
      },
    });
  });

  it('prefers gen_ai.tool.call.arguments/result and reads system instructions', () => {
    const f = interpretAttributes({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'calc',
      'gen_ai.tool.call.arguments': '{"a":1}',
      'gen_ai.tool.call.result': '{"sum":2}',
    });
    expect(f.toolCall).toEqual({ name: 'calc', arguments: { a: 1 }, result: { sum: 2 } });
    const g = interpretAttributes({
      'gen_ai.operation.name': 'chat',
      'gen_ai.system_instructions': '[{"type":"text","content":"Be brief."}]',
      'gen_ai.input.messages': '[{"role":"user","parts":[{"type":"text","content":"hi"}]}]',
    });
    expect(g.inputMessages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'hi' },
    ]);
  });

  it('reads the older flattened gen_ai.prompt.N / gen_ai.completion.N form and old token names', () => {
    const f = interpretAttributes({
      'gen_ai.system': 'openai',
      'gen_ai.request.model': 'gpt-4o',
      'llm.request.type': 'chat',
      'gen_ai.usage.prompt_tokens': 11,
      'gen_ai.usage.completion_tokens': 7,
      'gen_ai.prompt.0.role': 'user',
      'gen_ai.prompt.0.content': 'weather?',
      'gen_ai.completion.0.role': 'assistant',
      'gen_ai.completion.0.finish_reason': 'tool_calls',
      'gen_ai.completion.0.tool_calls.0.id': 'c1',
      'gen_ai.completion.0.tool_calls.0.name': 'get_weather',
      'gen_ai.completion.0.tool_calls.0.arguments': '{"city":"Oslo"}',
    });
    expect(f.kind).toBe('llm');
    expect(f.provider).toBe('openai');
    expect(f.usage).toEqual({ inputTokens: 11, outputTokens: 7 });
    expect(f.inputMessages).toEqual([{ role: 'user', content: 'weather?' }]);
    expect(f.outputMessages).toEqual([
      { role: 'assistant', content: '', toolCalls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Oslo' } }] },
    ]);
  });

  it('maps invoke_agent to agent and OpenLLMetry traceloop kinds', () => {
    expect(interpretAttributes({ 'gen_ai.operation.name': 'invoke_agent' }).kind).toBe('agent');
    expect(interpretAttributes({ 'gen_ai.operation.name': 'embeddings' }).kind).toBe('embedding');
    expect(interpretAttributes({ 'traceloop.span.kind': 'workflow' }).kind).toBe('chain');
    const t = interpretAttributes({
      'traceloop.span.kind': 'tool',
      'traceloop.entity.name': 'lookup',
      'traceloop.entity.input': '{"args":[1]}',
      'traceloop.entity.output': '"ok"',
    });
    expect(t.kind).toBe('tool');
    expect(t.toolCall).toEqual({ name: 'lookup', arguments: { args: [1] }, result: 'ok' });
  });

  it('infers the kind of unlabelled spans (unknown operation names kept as sourceKind)', () => {
    const f = interpretAttributes({ 'gen_ai.operation.name': 'responses', 'gen_ai.request.model': 'o3', 'gen_ai.usage.input_tokens': 5 });
    expect(f.kind).toBe('llm');
    expect(f.sourceKind).toBe('responses');
    expect(f.usage).toEqual({ inputTokens: 5 });
    const agent = interpretAttributes({ 'gen_ai.agent.name': 'support', 'gen_ai.request.model': 'o3', 'gen_ai.usage.input_tokens': 50 });
    expect(agent.kind).toBe('agent');
    expect(agent.usage).toBeUndefined();
    expect(interpretAttributes({}, 'execute_tool grep').toolCall).toEqual({ name: 'grep' });
  });

  it('says nothing for spans without GenAI attributes', () => {
    expect(interpretAttributes({ 'http.method': 'GET', 'http.status_code': 200 })).toEqual({});
  });
});

describe('interpretAttributes: Vercel AI SDK (attributes from the v6 capture)', () => {
  it('treats ai.generateText as a chain roll-up without usage', () => {
    const f = interpretAttributes(vercel('ai.generateText'), 'ai.generateText');
    expect(f.kind).toBe('chain');
    expect(f.isRollup).toBe(true);
    expect(f.usage).toBeUndefined(); // the file has ai.usage.promptTokens 14 here, repeated from doGenerate
    expect(f.input).toEqual({ prompt: 'Write a haiku about programming.' });
    expect(f.output).toBe('Lines of code align,  \nLogic dances through the night—  \nDreams in data flow.');
  });

  it('treats ai.generateText.doGenerate as the llm call with usage and messages', () => {
    const f = interpretAttributes(vercel('ai.generateText.doGenerate'), 'ai.generateText.doGenerate');
    expect(f.kind).toBe('llm');
    expect(f.isRollup).toBeUndefined();
    expect(f.model).toBe('gpt-4o-mini-2024-07-18');
    expect(f.provider).toBe('openai.responses');
    expect(f.usage).toEqual({ inputTokens: 14, outputTokens: 20 });
    expect(f.inputMessages).toEqual([{ role: 'user', content: 'Write a haiku about programming.' }]);
    expect(f.outputMessages?.[0]?.content).toBe('Lines of code align,  \nLogic dances through the night—  \nDreams in data flow.');
  });

  it('reads v5+ usage names on doStream (inputTokens/outputTokens/reasoningTokens/cachedInputTokens)', () => {
    const f = interpretAttributes(vercel('ai.streamText.doStream'), 'ai.streamText.doStream');
    expect(f.usage).toEqual({ inputTokens: 15, outputTokens: 112, totalTokens: 127, reasoningTokens: 0, cacheReadTokens: 0 });
  });

  it('treats ai.embed as an embedding roll-up and doEmbed as the call with ai.usage.tokens', () => {
    const outer = interpretAttributes(vercel('ai.embed'), 'ai.embed');
    expect(outer.kind).toBe('embedding');
    expect(outer.isRollup).toBe(true);
    expect(outer.usage).toBeUndefined();
    const inner = interpretAttributes(vercel('ai.embed.doEmbed'), 'ai.embed.doEmbed');
    expect(inner.kind).toBe('embedding');
    expect(inner.usage).toEqual({ inputTokens: 10 });
    expect(inner.input).toEqual(['The quick brown fox jumps over the lazy dog.']);
  });

  it('reads ai.toolCall spans and ai.response.toolCalls', () => {
    const tool = interpretAttributes({
      'ai.operationId': 'ai.toolCall',
      'ai.toolCall.name': 'weather',
      'ai.toolCall.id': 'call_1',
      'ai.toolCall.args': '{"city":"SF"}',
      'ai.toolCall.result': '{"temp":72}',
    });
    expect(tool.kind).toBe('tool');
    expect(tool.toolCall).toEqual({ name: 'weather', id: 'call_1', arguments: { city: 'SF' }, result: { temp: 72 } });
    const llm = interpretAttributes({
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.response.toolCalls': '[{"toolCallType":"function","toolCallId":"call_1","toolName":"weather","input":"{\\"city\\":\\"SF\\"}"}]',
    });
    expect(llm.outputMessages?.[0]?.toolCalls).toEqual([{ id: 'call_1', name: 'weather', arguments: { city: 'SF' } }]);
  });
});
