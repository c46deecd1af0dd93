import { readerOf } from '../../../src/core/store/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { importFixture } from '../../helpers/workspace';
import { chat, startFakeOpenAI, toolCalls, type FakeOpenAI } from '../judges/support/fakeOpenAI';

/**
 * Replay of a recorded LLM call against the local scripted OpenAI-compatible server. The fixture
 * is the real OTel GenAI client span (Weather in Paris, a get_weather tool round trip, gpt-4,
 * temperature 0.5, top_p 0.9, max_tokens 200, 97/52 tokens).
 */
const FILE = 'otlp-json/otel-genai-flat-attrs-client-span-tool-calls.json';
const TRACE = '2abfb68d529e23debf7fed5219e31a47';
const SPAN = '75c7e40fb3da0b40';
const KEY = 'sk-replay-secret-0123456789';

let b: Backend;
let cleanup: () => void;
let server: FakeOpenAI;
const keychain = memoryKeychain();

beforeAll(async () => {
  const f = await importFixture(FILE);
  cleanup = f.cleanup;
  b = createBackend({ workspace: f.ws, mode: 'desktop', secrets: keychain });
  server = await startFakeOpenAI((req) =>
    req.body.messages.some((m: { content: string }) => /Lyon/.test(m.content ?? ''))
      ? { body: chat('It is sunny in Lyon.') }
      : req.body.messages.length === 1
        ? { body: toolCalls([['get_weather', { location: 'Nice' }]]) }
        : { status: 401, body: { error: { message: `bad key ${req.headers.authorization}` } } },
  );
});
afterAll(async () => {
  await b.close();
  await server.close();
  cleanup();
});

const expectedRequest = (model: string) => ({
  model,
  messages: [
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: 'Absolutely! Let me check the weather for you.',
      tool_calls: [{ id: '1234', type: 'function', function: { name: 'get_weather', arguments: '{"location":"Paris"}' } }],
    },
    { role: 'tool', content: 'rainy, 57°F', tool_call_id: '1234' },
  ],
  temperature: 0.5,
  top_p: 0.9,
  max_tokens: 200,
});

describe('LLM-call replay', () => {
  it('says when no model is configured, and calls nothing', async () => {
    const s = await b.call('getLlmSettings', {});
    await b.call('setLlmSettings', { settings: { ...s.settings, baseUrl: 'https://api.example.com/v1', model: 'gpt-x' } });
    const d = await b.call('replayDraft', { traceId: TRACE, spanId: SPAN });
    expect(d.modelProblem).toMatch(/^model not configured: no API key for https:\/\/api\.example\.com\/v1/);
    expect(d.recordedModel).toBe('gpt-4-0613');
    expect(d.recordedOutput).toEqual([{ role: 'assistant', content: 'The weather in Paris is currently rainy with a temperature of 57°F.' }]);
    const r = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: d.requestJson });
    expect(r).toEqual({ ok: false, error: d.modelProblem });
    expect(server.requests).toHaveLength(0);
  });

  it('rebuilds the request, re-runs an edited one, and saves the answer as a variant judges can run on', async () => {
    const s = await b.call('getLlmSettings', {});
    await b.call('setLlmSettings', { settings: { ...s.settings, baseUrl: server.baseUrl, model: 'replay-model' } });
    await b.call('setLlmApiKey', { apiKey: KEY });
    const d = await b.call('replayDraft', { traceId: TRACE, spanId: SPAN });
    expect(d.modelProblem).toBeNull();
    expect(JSON.parse(d.requestJson)).toEqual(expectedRequest('replay-model'));

    // invalid edits are refused before any call, naming the line
    const bad = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: '{\n  "model": "m",,\n}' });
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^the request is not valid JSON \(line 2\)/);
    const noMsgs = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: '{"model": "m", "messages": []}' });
    expect(noMsgs).toEqual({ ok: false, error: 'request.messages must be a non-empty array' });
    expect(server.requests).toHaveLength(0);

    const edited = d.requestJson.replace('Weather in Paris?', 'Weather in Lyon?');
    const r = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: edited });
    if (!r.ok) throw new Error(r.error);
    expect(r.response).toMatchObject({
      messages: [{ role: 'assistant', content: 'It is sunny in Lyon.' }],
      model: 'fake-model',
      finishReason: 'stop',
      inputTokens: 100,
      outputTokens: 20,
    });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body).toEqual({ ...expectedRequest('replay-model'), messages: expect.any(Array), stream: false });
    expect(server.requests[0]!.body.messages[0]).toEqual({ role: 'user', content: 'Weather in Lyon?' });
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    const v = await b.call('saveReplayVariant', { replayId: r.replayId });
    expect(v).toMatchObject({ traceId: `${TRACE}~replay-1`, sourceTraceId: TRACE, sourceSpanId: SPAN, model: 'fake-model', name: 'chat gpt-4 · replay 1' });
    // a replay is saved once
    await expect(b.call('saveReplayVariant', { replayId: r.replayId })).rejects.toThrow(/no longer held/);

    const t = await b.call('getTrace', { traceId: v.traceId });
    // tokens: 97 − 97 + 100 in, 52 − 52 + 20 out
    expect(t!.summary).toMatchObject({ inputTokens: 100, outputTokens: 20, spanCount: 1, format: 'openinference' });
    const span = await b.call('getSpan', { traceId: v.traceId, spanId: SPAN });
    expect(span!.outputMessages).toEqual([{ role: 'assistant', content: 'It is sunny in Lyon.' }]);
    expect(span!.inputMessages![0]).toEqual({ role: 'user', content: 'Weather in Lyon?' });
    expect(span!.attributes['tracedeck.replay.of_span']).toBe(SPAN);
    // the original is untouched
    const orig = await b.call('getSpan', { traceId: TRACE, spanId: SPAN });
    expect(orig!.outputMessages![0]!.content).toMatch(/rainy/);

    expect(await b.call('listVariants', { traceId: TRACE, spanId: SPAN })).toMatchObject({ variants: [{ traceId: v.traceId }], variantOf: null });
    expect((await b.call('listVariants', { traceId: v.traceId })).variantOf).toMatchObject({ sourceTraceId: TRACE, sourceSpanId: SPAN });

    // judges run on the variant like on any trace
    const judge = `export default (t) => ({ pass: /sunny/.test(t.llmCalls()[0].outputText), rationale: t.llmCalls()[0].outputText })`;
    const onVariant = await b.call('previewJudge', { traceId: v.traceId, kind: 'code', source: judge });
    expect(onVariant).toMatchObject({ status: 'pass', rationale: 'It is sunny in Lyon.' });
    const onOriginal = await b.call('previewJudge', { traceId: TRACE, kind: 'code', source: judge });
    expect(onOriginal.status).toBe('fail');

    // the API key is nowhere in the workspace
    const db = readerOf(b.workspace);
    const hits = db.prepare(`SELECT count(*) AS n FROM spans WHERE instr(body, ?) > 0`).get(KEY) as { n: number };
    const req = db.prepare(`SELECT count(*) AS n FROM trace_variants WHERE instr(request, ?) > 0`).get(KEY) as { n: number };
    expect([hits.n, req.n]).toEqual([0, 0]);
  });

  it('keeps requested tool calls of the new answer, and reports endpoint errors without the key', async () => {
    const one = JSON.stringify({ model: 'replay-model', messages: [{ role: 'user', content: 'Weather in Nice?' }] });
    const r = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: one });
    if (!r.ok) throw new Error(r.error);
    expect(r.response.messages[0]!.toolCalls).toEqual([{ id: expect.any(String), name: 'get_weather', arguments: { location: 'Nice' } }]);
    expect(r.response.finishReason).toBe('tool_calls');
    const two = JSON.stringify({ model: 'replay-model', messages: [{ role: 'user', content: 'a' }, { role: 'user', content: 'b' }] });
    const e = await b.call('replayRun', { traceId: TRACE, spanId: SPAN, request: two });
    expect(e.ok).toBe(false);
    expect(!e.ok && e.error).toMatch(/401/);
    expect(!e.ok && e.error).not.toContain(KEY);
  });

  it('refuses spans that are not LLM calls or unknown', async () => {
    await expect(b.call('replayDraft', { traceId: TRACE, spanId: 'nope' })).rejects.toThrow(/no span 'nope'/);
  });
});
