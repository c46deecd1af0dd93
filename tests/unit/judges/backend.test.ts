import { writerOf } from '../../../src/core/store/connection';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createBackend, type Backend } from '../../../src/backend/handlers';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import type { ApiEvent } from '../../../src/shared/api';
import { importFixture } from '../../helpers/workspace';
import { chat, startFakeOpenAI } from './support/fakeOpenAI';

const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const EXAMPLES = join(__dirname, '../../../judges');
const TRACE = 'fixture-trace-1';

let b: Backend;
let cleanup: () => void;
const keychain = memoryKeychain();

beforeAll(async () => {
  const f = await importFixture(PHOENIX);
  cleanup = f.cleanup;
  b = createBackend({ workspace: f.ws, mode: 'desktop', secrets: keychain });
});
afterAll(() => cleanup());

const rejects = async (p: Promise<unknown>, code: string, re: RegExp) => {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(ApiError);
  expect((e as ApiError).code).toBe(code);
  expect((e as ApiError).message).toMatch(re);
};

describe('judge contract methods', () => {
  it('stores, lists and validates judges', async () => {
    const r = await b.call('importJudgesDir', { dir: EXAMPLES });
    expect(r.errors).toEqual([]);
    expect(r.imported.map((j) => j.id)).toEqual(['answer-quality', 'max-llm-calls', 'no-tool-errors', 'task-completion']);
    expect((await b.call('listJudges', {})).map((j) => j.kind)).toEqual(['llm', 'code', 'code', 'agentic']);
    const j = await b.call('getJudge', { id: 'no-tool-errors' });
    expect(j!.source).toBe(readFileSync(join(EXAMPLES, 'no-tool-errors.judge.ts'), 'utf8'));
    await rejects(b.call('saveJudge', { id: 'bad', kind: 'llm', source: 'no front matter' }), 'bad-input', /missing front matter/);
    await rejects(b.dispatch('saveJudge', { id: '../etc', kind: 'code', source: '' }), 'bad-input', /id/);
    const saved = await b.call('saveJudge', { id: 'tiny', kind: 'code', source: 'export default () => true;' });
    expect(saved.gating).toBe(true);
    expect((await b.call('deleteJudge', { id: 'tiny' })).deleted).toBe(true);
    expect((await b.call('judgeApiTypes', {})).dts).toContain("declare module 'tracedeck/judge'");
  });

  it('live-runs a code judge on one trace: verdict, evidence, logs, compile errors', async () => {
    const src = readFileSync(join(EXAMPLES, 'no-tool-errors.judge.ts'), 'utf8').replace('const failed', "console.log('hello');\n  const failed");
    const p = await b.call('previewJudge', { traceId: TRACE, kind: 'code', source: src });
    expect(p).toMatchObject({ status: 'fail', evidenceSpanIds: ['s11'], logs: ['hello'], diagnostics: [] });
    expect(p.rationale).toBe('1 of 8 tool call(s) failed: add_spans_to_dataset');
    const broken = await b.call('previewJudge', { traceId: TRACE, kind: 'code', source: 'export default function ( {' });
    expect(broken.status).toBe('error');
    expect(broken.diagnostics.length).toBeGreaterThan(0);
    expect(broken.diagnostics[0]).toMatchObject({ line: 1 });
    const loop = await b.call('previewJudge', { traceId: TRACE, kind: 'code', source: 'export default () => { for(;;){} }', timeoutMs: 200 });
    expect(loop).toMatchObject({ status: 'error', error: expect.stringMatching(/time limit/) });
    await rejects(b.call('previewJudge', { traceId: 'nope', kind: 'code', source: 'export default () => true' }), 'not-found', /no trace/);
  });

  it('orders an editor’s live re-runs by edit number, not arrival; runs naming no editor are never stopped', async () => {
    const slow = (tag: string) =>
      `export default () => { const t = Date.now(); while (Date.now() - t < 700) {} return { pass: true, rationale: '${tag}' }; }`;
    const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // Edit 2 reaches the server first; edit 1 arrives 300 ms later (another connection).
    const newer = b.call('previewJudge', { traceId: TRACE, kind: 'code', source: slow('edit 2'), edit: { editor: 'ed-1', seq: 2 } });
    await wait(300);
    const older = await b.call('previewJudge', { traceId: TRACE, kind: 'code', source: slow('edit 1'), edit: { editor: 'ed-1', seq: 1 } });
    expect(older).toMatchObject({ status: 'error', error: 'superseded by a newer run' });
    expect(await newer).toMatchObject({ status: 'pass', rationale: 'edit 2' });
    // A split evaluation's run (no editor) is neither stopped by an editor's edit nor stops it.
    const evalRun = b.call('previewJudge', { traceId: TRACE, kind: 'code', source: slow('eval') });
    await wait(300);
    const typed = b.call('previewJudge', { traceId: TRACE, kind: 'code', source: slow('edit 3'), edit: { editor: 'ed-1', seq: 3 } });
    expect(await evalRun).toMatchObject({ status: 'pass', rationale: 'eval' });
    expect(await typed).toMatchObject({ status: 'pass', rationale: 'edit 3' });
    // A newer edit of the same editor stops the older run that has been going for a while.
    const stuck = b.call('previewJudge', { traceId: TRACE, kind: 'code', source: 'export default () => { for (;;) {} }', edit: { editor: 'ed-1', seq: 4 } });
    await wait(400);
    const fixed = b.call('previewJudge', { traceId: TRACE, kind: 'code', source: "export default () => ({ pass: true, rationale: 'fixed' })", edit: { editor: 'ed-1', seq: 5 } });
    expect(await stuck).toMatchObject({ status: 'error', error: 'superseded by a newer run' });
    expect(await fixed).toMatchObject({ status: 'pass', rationale: 'fixed' });
  });

  it('renders prompt templates', async () => {
    const r = await b.call('renderJudgePrompt', { traceId: TRACE, template: 'Q: {{ inputs }} / {{ nope }}' });
    expect(r.prompt).toBe('Q: can you save this trace to a dataset? / {{ nope }}');
    expect(r.error).toMatch(/unknown variable\(s\) \{\{ nope \}\}/);
  });

  it('keeps the API key out of settings and answers', async () => {
    const s = await b.call('getLlmSettings', {});
    expect(s.apiKey).toEqual({ source: 'keychain', present: false, writable: true });
    await rejects(
      b.dispatch('setLlmSettings', { settings: { ...s.settings, apiKey: 'sk-should-not-store' } }),
      'bad-input',
      /apiKey/,
    );
    const status = await b.call('setLlmApiKey', { apiKey: 'sk-secret-123456789' });
    expect(status).toEqual({ source: 'keychain', present: true, writable: true });
    expect(keychain.stored).toBe('sk-secret-123456789');
    const after = await b.call('getLlmSettings', {});
    expect(JSON.stringify(after)).not.toContain('sk-secret');
    expect(JSON.stringify(writerOf(b.workspace).prepare('SELECT * FROM judge_settings').all())).not.toContain('sk-secret');
    await b.call('setLlmApiKey', { apiKey: null });
    expect(keychain.stored).toBeNull();
  });

  it('refuses to store a key where there is no keychain', async () => {
    const f = await importFixture(PHOENIX);
    try {
      const env = createBackend({ workspace: f.ws, mode: 'browser' });
      expect((await env.call('getLlmSettings', {})).apiKey.source).toBe('env');
      await rejects(env.call('setLlmApiKey', { apiKey: 'sk-x-123456' }), 'bad-input', /TRACEDECK_LLM_API_KEY/);
    } finally {
      f.cleanup();
    }
  });

  it('refuses model previews and runs without a configured model, before any call (issue 10 item 5)', async () => {
    // Default settings (https://api.openai.com/v1) and no key in the keychain.
    expect(keychain.stored).toBeNull();
    const src = readFileSync(join(EXAMPLES, 'answer-quality.judge.md'), 'utf8');
    const p = await b.call('previewJudge', { traceId: TRACE, kind: 'llm', source: src });
    expect(p).toMatchObject({
      status: 'error',
      error: 'model not configured: no API key for https://api.openai.com/v1: set TRACEDECK_LLM_API_KEY (or the key in Model settings), or point the base URL at a local server',
    });
    await rejects(b.call('startJudgeRun', { judgeIds: ['answer-quality'], selection: { mode: 'all' } }), 'bad-input', /^model not configured: no API key/);
  });

  it('previews an LLM judge against the configured endpoint', async () => {
    const server = await startFakeOpenAI([{ body: chat('{"pass": false, "rationale": "s11 failed", "evidenceSpanIds": ["s11"]}') }]);
    try {
      const { settings } = await b.call('getLlmSettings', {});
      await b.call('setLlmSettings', { settings: { ...settings, baseUrl: server.baseUrl, model: 'm1' } });
      keychain.stored = 'sk-preview-key-0001';
      const src = readFileSync(join(EXAMPLES, 'answer-quality.judge.md'), 'utf8');
      const p = await b.call('previewJudge', { traceId: TRACE, kind: 'llm', source: src });
      expect(p).toMatchObject({ status: 'fail', rationale: 's11 failed', evidenceSpanIds: ['s11'], model: 'm1' });
      expect(p.renderedPrompt).toContain('can you save this trace to a dataset?');
      expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-preview-key-0001');
      const bad = await b.call('previewJudge', { traceId: TRACE, kind: 'llm', source: '---\n{}\n---\nx' });
      expect(bad).toMatchObject({ status: 'error', error: expect.stringMatching(/front matter "kind": must be/) });
    } finally {
      keychain.stored = null;
      await server.close();
    }
  });

  it('runs judges in the background with progress events, then lists, exports and cancels', async () => {
    const events: ApiEvent[] = [];
    const off = b.events.subscribe((e) => events.push(e));
    const finished = new Promise<void>((resolve) => {
      const un = b.events.subscribe((e) => {
        if (e.type === 'judge-run-finished') {
          un();
          resolve();
        }
      });
    });
    const { runId, total } = await b.call('startJudgeRun', { judgeIds: ['no-tool-errors', 'max-llm-calls'], selection: { mode: 'all' }, name: 'bg' });
    expect(total).toBe(2);
    await finished;
    off();
    expect(events.some((e) => e.type === 'judge-run-progress' && e.progress.runId === runId)).toBe(true);
    const fin = events.find((e) => e.type === 'judge-run-finished');
    expect(fin && fin.type === 'judge-run-finished' && fin.run).toMatchObject({ id: runId, status: 'done', passed: 1, failed: 1, active: false });
    const run = await b.call('getJudgeRun', { runId });
    expect(run!.gateFailures).toEqual([{ judgeId: 'no-tool-errors', name: 'No tool errors', failed: 1, errored: 0 }]);
    const v = await b.call('listVerdicts', { runId, status: 'fail' });
    expect(v.rows.map((r) => [r.judgeId, r.evidenceSpanIds])).toEqual([['no-tool-errors', ['s11']]]);
    const exp = await b.call('exportVerdicts', { runId, format: 'csv' });
    expect(exp).toMatchObject({ fileName: `judge-run-${runId}.csv`, mimeType: 'text/csv' });
    expect(exp.content.split('\r\n')).toHaveLength(4); // header, 2 rows, trailing ''
    await rejects(b.call('startJudgeRun', { judgeIds: ['missing'], selection: { mode: 'all' } }), 'not-found', /no judge 'missing'/);
    expect((await b.call('cancelJudgeRun', { runId })).cancelled).toBe(false);
    expect((await b.call('deleteJudgeRun', { runId })).deleted).toBe(true);
    expect(await b.call('getJudgeRun', { runId })).toBeNull();
  });
});
