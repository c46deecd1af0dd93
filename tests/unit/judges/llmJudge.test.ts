import { writerOf } from '../../../src/core/store/connection';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createChatClient, retryDelay } from '../../../src/core/judges/llm/client';
import { runLlmJudge, type LlmRunContext } from '../../../src/core/judges/llmJudge';
import { parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import { runJudges } from '../../../src/core/judges/runs';
import { JudgeStore } from '../../../src/core/store/judges';
import { createTrace } from '../../../src/core/judges/traceAccess';
import type { Trace } from '../../../src/core/judges/traceApi';
import { TraceLoader } from '../../../src/core/store/judgeTraces';
import { DEFAULT_LLM_SETTINGS, type LlmSettings } from '../../../src/core/judges/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { importFixture } from '../../helpers/workspace';
import { chat, startFakeOpenAI, type FakeOpenAI, type Script, type ScriptedReply } from './support/fakeOpenAI';

const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const KEY = 'sk-test-SECRET0123456789abcdef';

const judge = parseJudgeFile(
  'quality.judge.md',
  `---
{ "kind": "llm", "name": "Quality", "gating": false }
---
Request: {{ inputs }}
Answer: {{ outputs }}
Expected: {{ expectations }}
Trace:
{{ trace }}
`,
);

let ws: Workspace;
let cleanup: () => void;
let trace: Trace;
let server: FakeOpenAI | null = null;

beforeAll(async () => {
  const f = await importFixture(PHOENIX);
  ws = f.ws;
  cleanup = f.cleanup;
  trace = createTrace(new TraceLoader(ws).traceData('fixture-trace-1')!);
});
afterAll(() => cleanup());
afterEach(async () => {
  await server?.close();
  server = null;
});

async function serve(script: Script | ScriptedReply[]): Promise<LlmSettings> {
  server = await startFakeOpenAI(script);
  return { ...DEFAULT_LLM_SETTINGS, baseUrl: server.baseUrl, model: 'judge-model', timeoutMs: 5000, maxRetries: 3 };
}

function ctx(settings: LlmSettings, extra: Partial<Parameters<typeof createChatClient>[0]> = {}): LlmRunContext {
  return {
    client: createChatClient({ settings, apiKey: KEY, backoffBaseMs: 10, backoffMaxMs: 100, ...extra }),
    temperature: settings.temperature,
    structuredOutput: settings.structuredOutput,
  };
}

const verdictJson = (pass: boolean, rationale: string, ids: string[]) => JSON.stringify({ pass, rationale, evidenceSpanIds: ids });

describe('LLM judges through the openai client', () => {
  it('sends the rendered prompt with structured output and reads the verdict', async () => {
    const settings = await serve([{ body: chat(verdictJson(false, 'the dataset write in s11 failed', ['s11', 'made-up'])) }]);
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out).toMatchObject({ status: 'fail', rationale: 'the dataset write in s11 failed', evidenceSpanIds: ['s11'], model: 'judge-model' });
    expect(out.usage).toEqual({ inputTokens: 100, outputTokens: 20 });

    const req = server!.requests[0]!;
    expect(req.path).toBe('/v1/chat/completions');
    expect(req.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req.body.model).toBe('judge-model');
    expect(req.body.temperature).toBe(0);
    expect(req.body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'judge_verdict', strict: true } });
    expect(req.body.response_format.json_schema.schema.required).toEqual(['pass', 'rationale', 'evidenceSpanIds']);
    const user = req.body.messages[1].content as string;
    expect(req.body.messages[0].role).toBe('system');
    // {{ inputs }}: the root span's input.value; {{ trace }}: one line per span with its id.
    expect(user).toContain('Request: can you save this trace to a dataset?');
    expect(user).toMatch(/- \[s11\] tool "add_spans_to_dataset" error/);
    expect(user).toContain('[s18] llm');
    expect(user).not.toContain('{{');
  });

  it('falls back to plain JSON when the server refuses response_format, and parses fenced JSON', async () => {
    const settings = await serve((req) =>
      req.body.response_format
        ? { status: 400, body: { error: { message: "response_format 'json_schema' is not supported", type: 'invalid_request_error' } } }
        : { body: chat('Sure! Here is my verdict:\n```json\n' + verdictJson(true, 'fine', ['s02']) + '\n```') },
    );
    const c = ctx(settings);
    const out = await runLlmJudge(judge, trace, c);
    expect(out).toMatchObject({ status: 'pass', rationale: 'fine', evidenceSpanIds: ['s02'] });
    expect(server!.requests.map((r) => !!r.body.response_format)).toEqual([true, false]);
    // Remembered for the rest of the run.
    await runLlmJudge(judge, trace, c);
    expect(server!.requests.map((r) => !!r.body.response_format)).toEqual([true, false, false]);
  });

  it('reports malformed model output as an error, not a fail', async () => {
    const settings = await serve([{ body: chat('I think the agent did a good job overall.') }, { body: chat('{"pass": "maybe"}') }]);
    const a = await runLlmJudge(judge, trace, ctx(settings));
    expect(a.status).toBe('error');
    expect(a.error).toMatch(/^malformed model output: no verdict JSON/);
    const b = await runLlmJudge(judge, trace, ctx(settings));
    expect(b.status).toBe('error');
  });

  it('retries 429 honouring Retry-After, and 5xx with backoff', async () => {
    const settings = await serve([
      { status: 429, headers: { 'retry-after-ms': '150' }, body: { error: { message: 'rate limited' } } },
      { status: 503, body: { error: { message: 'overloaded' } } },
      { body: chat(verdictJson(true, 'ok', [])) },
    ]);
    const t0 = Date.now();
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out.status).toBe('pass');
    expect(server!.requests).toHaveLength(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(150);
  });

  it('gives up after maxRetries and says how often it tried', async () => {
    const settings = await serve(() => ({ status: 429, body: { error: { message: 'slow down' } } }));
    const out = await runLlmJudge(judge, trace, ctx({ ...settings, maxRetries: 2 }));
    expect(out.status).toBe('error');
    expect(out.error).toMatch(/answered 429.*\(after 3 attempts\)/);
    expect(server!.requests).toHaveLength(3);
  });

  it('does not retry client errors', async () => {
    const settings = await serve(() => ({ status: 404, body: { error: { message: 'model not found' } } }));
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out.error).toMatch(/answered 404/);
    expect(server!.requests).toHaveLength(1);
  });

  it('times out slow requests (and retries them)', async () => {
    const settings = await serve(() => ({ delayMs: 3000, body: chat(verdictJson(true, 'late', [])) }));
    const t0 = Date.now();
    const out = await runLlmJudge(judge, trace, ctx({ ...settings, timeoutMs: 200, maxRetries: 1 }));
    expect(out.status).toBe('error');
    expect(out.error).toMatch(/timed out/);
    expect(server!.requests).toHaveLength(2);
    expect(Date.now() - t0).toBeLessThan(2500);
  });

  it('never lets the API key into an error', async () => {
    const settings = await serve(() => ({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}.` } } }));
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out.status).toBe('error');
    expect(out.error).toContain('[redacted]');
    expect(JSON.stringify(out)).not.toContain(KEY);
    expect(JSON.stringify(out)).not.toContain('SECRET0123456789');
  });

  it('redacts the key when the server echoes it upper- or lower-cased (issue 11 item 10)', async () => {
    // A proxy that normalises case echoes the key in capitals; the old split/join missed it.
    const settings = await serve(() => ({
      status: 401,
      body: { error: { message: `key ${KEY.toUpperCase()} rejected; tried ${KEY.toLowerCase()}` } },
    }));
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out.status).toBe('error');
    expect(out.error).toMatch(/key \[redacted\] rejected; tried \[redacted\]/);
    expect(JSON.stringify(out).toLowerCase()).not.toContain(KEY.toLowerCase());
  });

  it('reports a refusal as an error', async () => {
    const settings = await serve([{ body: chat(null, { refusal: 'I cannot help with that.' }) }]);
    const out = await runLlmJudge(judge, trace, ctx(settings));
    expect(out).toMatchObject({ status: 'error', error: 'the model refused: I cannot help with that.' });
  });

  it('uses equal jitter: between half and all of the exponential delay', () => {
    expect(retryDelay(new Error('x'), 1, 100, 10_000, () => 0)).toBe(50);
    expect(retryDelay(new Error('x'), 3, 100, 10_000, () => 1)).toBe(400);
    expect(retryDelay(new Error('x'), 20, 100, 1000, () => 1)).toBe(1000);
  });
});

describe('LLM judges in runs', () => {
  it('caches by (judge hash, trace, model) and records the model', async () => {
    const settings = await serve(() => ({ body: chat(verdictJson(true, 'good', [])) }));
    const run = (model: string) => runJudges(ws, { judges: [judge], selection: { mode: 'all' }, llm: { settings: { ...settings, model }, apiKey: KEY } });
    const a = await run('model-a');
    expect(a.run).toMatchObject({ total: 1, passed: 1, cached: 0, model: 'model-a' });
    expect(a.run.judges[0]!.model).toBe('model-a');
    const b = await run('model-a');
    expect(b.run.cached).toBe(1);
    const c = await run('model-b');
    expect(c.run.cached).toBe(0);
    expect(server!.requests.map((r) => r.body.model)).toEqual(['model-a', 'model-b']);
    const rows = new JudgeStore(ws).listVerdicts({ runId: c.run.id }).rows;
    expect(rows[0]).toMatchObject({ model: 'model-b', status: 'pass' });
  });

  it('reports no endpoint as an error per verdict', async () => {
    const { run } = await runJudges(ws, { judges: [judge], selection: { mode: 'all' } });
    expect(run.errored).toBe(1);
  });

  it('keeps the key out of stored errors', async () => {
    const settings = await serve(() => ({ status: 401, body: { error: { message: `bad key ${KEY}` } } }));
    const { run } = await runJudges(ws, { judges: [judge], selection: { mode: 'all' }, llm: { settings, apiKey: KEY }, useCache: false });
    const dump = JSON.stringify(writerOf(ws).prepare('SELECT * FROM verdicts WHERE run_id = ?').all(run.id));
    expect(dump).toContain('[redacted]');
    expect(dump).not.toContain(KEY);
    expect(JSON.stringify(writerOf(ws).prepare('SELECT * FROM judge_settings').all())).not.toContain(KEY);
  });
});
