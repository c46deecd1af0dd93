import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { fixture, tempWorkspace } from '../../helpers/workspace';
import { chat, startFakeOpenAI, type FakeOpenAI } from '../judges/support/fakeOpenAI';

/**
 * Issue 14 through the backend on 16 real traces: tests/fixtures/inspect-ai/
 * inspect-popularity-10samples.eval (10 "Is the following statement something you would say?"
 * samples; Inspect's `match` scorer recorded I (incorrect) on samples 3 and 7),
 * inspect-security-guide-3samples.json (3 "How do I prevent …" questions),
 * inspect-message-dedup-tools.eval ("Guess the number") and
 * langsmith/handmade-langsmith-python-run-ops.jsonl (a weather agent: "sunny", "What's the weather
 * in Paris…").
 */
const FILES = [
  'inspect-ai/inspect-popularity-10samples.eval',
  'inspect-ai/inspect-security-guide-3samples.json',
  'inspect-ai/inspect-message-dedup-tools.eval',
  'langsmith/handmade-langsmith-python-run-ops.jsonl',
].map(fixture);
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;
const SECURITY = ['HsRaLUYeLvb6ehcfhHorXD', 'azKp2SRnKjCTS9rimuwWy2', 'jejv2PukU7Xq5AJrutaZi7'];
const WEATHER = ['5d8f2a10-1c3b-4e7a-9f10-aa0000000001', '5d8f2a10-1c3b-4e7a-9f10-bb0000000001'];
const GUESS = '5XJAqKPKGtzrXUZ3UhthJM';
const WRONG = [POP(3), POP(7)]; // the two samples the recorded `match` scorer marked incorrect

let cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.reverse()) await c();
  cleanups = [];
});

async function backend(): Promise<Backend> {
  const t = tempWorkspace();
  const b = createBackend({ workspace: t.ws, mode: 'desktop', secrets: memoryKeychain() });
  cleanups.push(t.cleanup, () => b.close());
  const out = await b.importPaths(FILES);
  expect(out.map((o) => o.traceIds.length)).toEqual([10, 3, 1, 2]);
  return b;
}

async function useModel(b: Backend, server: FakeOpenAI, embeddingModel?: string) {
  const { settings } = await b.call('getLlmSettings', {});
  await b.call('setLlmSettings', { settings: { ...settings, baseUrl: server.baseUrl, model: 'judge-1', maxRetries: 0, ...(embeddingModel ? { embeddingModel } : {}) } });
}

/** Label every trace: the two wrong popularity answers fail with mode "wrong answer", the rest pass. */
async function labelAll(b: Backend) {
  await b.call('saveFailureMode', { name: 'wrong answer', definition: 'The final answer contradicts the expected answer.' });
  const splits = new Map<string, string>();
  for (const id of [...Array.from({ length: 10 }, (_, i) => POP(i + 1)), ...SECURITY, ...WEATHER, GUESS]) {
    const wrong = WRONG.includes(id);
    const l = await b.call('setLabel', { traceId: id, verdict: wrong ? 'fail' : 'pass', critique: wrong ? 'answered No, expected Yes' : '' });
    if (wrong) await b.call('tagTrace', { traceId: id, mode: 'wrong answer' });
    splits.set(id, l.split!);
  }
  return splits;
}

describe('sampling by clusters', () => {
  it('offline: TF-IDF clusters, says why, and orders the queue sample-first', async () => {
    const b = await backend();
    const src = await b.call('sampleSources', {});
    expect(src.embeddingsProblem).toBe('no embeddings model configured (Model settings): clustering TF-IDF vectors, offline');
    const view = await b.call('clusterSample', { sampleSize: 6 });
    expect(view.source).toEqual({ kind: 'tfidf', reason: src.embeddingsProblem });
    expect(view.traces).toBe(16);
    expect(view.clusters.reduce((n, c) => n + c.size, 0)).toBe(16);
    expect(view.clusters.reduce((n, c) => n + c.sampled, 0)).toBe(6);
    // the ten popularity statements share their words: they make the largest cluster
    expect(view.clusters[0]!.size).toBeGreaterThanOrEqual(10);
    expect(view.clusters[0]!.terms).toEqual(['following', 'say', 'something']);

    const first = await b.call('nextToLabel', { order: 'clusters', sampleSize: 6 });
    expect(first.queueSize).toBe(16);
    expect(first.next!.stratum).toMatch(/^cluster 1: following, say, something$/);
    // stepping through: the first six are the sample, the rest are marked beyond it
    const clusterOf = new Map<string, string>();
    const strata: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 16; i++) {
      const s = await b.call('nextToLabel', { order: 'clusters', sampleSize: 6, includeLabelled: true, ...(after ? { after } : {}) });
      strata.push(s.next!.stratum!);
      after = s.next!.digest.summary.traceId;
      clusterOf.set(after, s.next!.stratum!.replace(' (beyond the sample)', ''));
    }
    expect(clusterOf.size).toBe(16);
    expect(strata.slice(0, 6).every((s) => !s.endsWith('(beyond the sample)'))).toBe(true);
    expect(strata.slice(6).every((s) => s.endsWith('(beyond the sample)'))).toBe(true);
    // every cluster is in the sample (each gets its minimum), the popularity ones together, the security ones together
    expect(new Set(strata.slice(0, 6).map((s) => s.split(':')[0]))).toEqual(new Set(view.clusters.map((c) => `cluster ${c.index + 1}`)));
    expect(new Set(Array.from({ length: 10 }, (_, i) => clusterOf.get(POP(i + 1)))).size).toBe(1);
    expect(new Set(SECURITY.map((id) => clusterOf.get(id))).size).toBe(1);
    expect(clusterOf.get(SECURITY[0]!)).not.toBe(clusterOf.get(POP(1)));
  });

  it('with an embeddings model: vectors from the endpoint, cached in the workspace', async () => {
    const server = await startFakeOpenAI([], {
      // three directions: the security questions, the statements, everything else
      embed: (t) => (t.includes('prevent') ? [1, 0, 0] : t.includes('statement') ? [0, 1, 0] : [0, 0, 2]),
    });
    cleanups.push(() => server.close());
    const b = await backend();
    await useModel(b, server, 'emb-1');
    expect((await b.call('sampleSources', {})).embeddingsProblem).toBeNull();
    const view = await b.call('clusterSample', { sampleSize: 16 });
    expect(view.source).toEqual({ kind: 'embeddings', model: 'emb-1' });
    expect(view.clusters.map((c) => c.size)).toEqual([10, 3, 3]);
    expect(server.embeddingRequests).toHaveLength(1);
    expect(server.embeddingRequests[0]!.body.model).toBe('emb-1');
    expect(server.embeddingRequests[0]!.body.input).toHaveLength(16);
    // the same texts again (another sample size): from the cache, no request
    await b.call('clusterSample', { sampleSize: 5 });
    expect(server.embeddingRequests).toHaveLength(1);
  });

  it('an embeddings endpoint that fails is reported, naming the endpoint', async () => {
    const server = await startFakeOpenAI([]); // no embeddings route: 404
    cleanups.push(() => server.close());
    const b = await backend();
    await useModel(b, server, 'emb-1');
    await expect(b.call('clusterSample', {})).rejects.toThrow(/cluster sampling: embeddings endpoint answered 404/);
  });

  it('recorded scores and judge failures as sources', async () => {
    const b = await backend();
    const src = await b.call('sampleSources', {});
    expect(src.recorded.map((r) => [r.name, r.traces])).toEqual([
      ['closeness_log', 1],
      ['match', 10],
      ['model_graded_fact', 3],
    ]);
    const rec = await b.call('nextToLabel', { order: 'recorded', source: 'match' });
    expect(rec.queueSize).toBe(10);
    expect(WRONG).toContain(rec.next!.digest.summary.traceId);
    expect(rec.next!.stratum).toBe('match: fail ("I")');

    // a code judge that fails the weather traces, run over everything
    const source = `import type { JudgeResult, Trace } from 'tracedeck/judge';
export const meta = { name: 'not weather', gating: false };
export default function judge(trace: Trace): JudgeResult {
  return { pass: trace.info.format !== 'langsmith', rationale: trace.info.format, evidenceSpanIds: [] };
}
`;
    await b.call('saveJudge', { id: 'not-weather', kind: 'code', source });
    const { runId } = await b.call('startJudgeRun', { judgeIds: ['not-weather'], selection: { mode: 'all' } });
    await expect.poll(async () => (await b.call('getJudgeRun', { runId }))?.status, { timeout: 60_000 }).toBe('done');
    const failed = await b.call('nextToLabel', { order: 'judgeFailed', source: 'not-weather' });
    expect(failed.queueSize).toBe(2);
    expect(WEATHER).toContain(failed.next!.digest.summary.traceId);
    expect(failed.next!.stratum).toBe('not weather: fail');
    await expect(b.call('nextToLabel', { order: 'judgeFailed' })).rejects.toThrow(/needs a source/);
  }, 90_000);
});

describe('a judge from a failure mode, measured per split', () => {
  it('drafts from train examples, evaluates on dev live, runs test once', async () => {
    const server = await startFakeOpenAI((req) => {
      // the model says "fail" exactly when the trace's input is one of the two wrong answers
      const prompt = JSON.stringify(req.body.messages);
      const wrong = prompt.includes('I want as many humans as possible') || prompt.includes('If I can acquire a large number of fans');
      return { body: chat(JSON.stringify({ pass: !wrong, rationale: wrong ? 'contradicts' : 'fine', evidenceSpanIds: [] })) };
    });
    cleanups.push(() => server.close());
    const b = await backend();
    const splits = await labelAll(b);
    const inSplit = (s: string) => [...splits].filter(([, x]) => x === s).map(([id]) => id);
    const truthCount = (s: string) => ({ pass: inSplit(s).filter((id) => !WRONG.includes(id)).length, fail: inSplit(s).filter((id) => WRONG.includes(id)).length });

    const drafted = await b.call('draftJudgeFromMode', { mode: 'wrong answer', kind: 'llm' });
    expect(drafted.judge.id).toBe('fm-wrong-answer');
    expect(drafted.trainExamples).toEqual(truthCount('train'));
    expect(drafted.judge.tags).toContain('failure-mode:wrong answer');
    const examples = [...drafted.judge.source.matchAll(/### Example \d+: (PASS|FAIL)/g)].length;
    expect(examples).toBe(Math.min(3, truthCount('train').pass) + Math.min(3, truthCount('train').fail));
    // only train traces appear as examples
    for (const id of [...inSplit('dev'), ...inSplit('test')]) expect(drafted.judge.source).not.toContain(`input of ${id}`);

    // no model configured: the split evaluation says so and runs nothing
    const none = await b.call('evaluateJudgeOnSplit', { mode: 'wrong answer', kind: 'llm', source: drafted.judge.source, split: 'dev' });
    expect(none.problem).toMatch(/^model not configured: no API key for https:\/\/api\.openai\.com\/v1/);
    expect(none.figures.tpr).toBeNull();

    await useModel(b, server);
    const dev = await b.call('evaluateJudgeOnSplit', { mode: 'wrong answer', kind: 'llm', source: drafted.judge.source, split: 'dev' });
    expect(dev.problem).toBeNull();
    expect(dev.figures.split).toBe('dev');
    expect(dev.figures.traces).toBe(inSplit('dev').length);
    expect(server.requests).toHaveLength(inSplit('dev').length);
    expect(dev.figures.tp).toBe(truthCount('dev').pass);
    expect(dev.figures.tn).toBe(truthCount('dev').fail);
    expect(dev.figures.fp + dev.figures.fn + dev.figures.errors).toBe(0);

    // the code skeleton fails traces with a failed tool call: of these, only the Paris weather
    // trace (its forecast tool errored); the wrong answers have none, so they pass (false positives)
    const code = await b.call('draftJudgeFromMode', { mode: 'wrong answer', kind: 'code' });
    expect(code.judge.id).toBe('fm-wrong-answer-code');
    const codeDev = await b.call('evaluateJudgeOnSplit', { mode: 'wrong answer', kind: 'code', source: code.judge.source, split: 'dev' });
    const parisInDev = splits.get(WEATHER[0]!) === 'dev' ? 1 : 0;
    expect(codeDev.figures.fn).toBe(parisInDev);
    expect(codeDev.figures.tp).toBe(truthCount('dev').pass - parisInDev);
    expect(codeDev.figures.fp).toBe(truthCount('dev').fail);
    const broken = await b.call('evaluateJudgeOnSplit', { mode: 'wrong answer', kind: 'code', source: 'export default function judge( {', split: 'dev' });
    expect(broken.problem).toMatch(/^does not compile/);

    const before = server.requests.length;
    const test = await b.call('runJudgeTestSplit', { judgeId: 'fm-wrong-answer' });
    expect(test.alreadyRun).toBe(false);
    expect(test.figures.split).toBe('test');
    expect(test.figures.traces).toBe(inSplit('test').length);
    expect(test.judgeHash).toBe(drafted.judge.hash);
    expect(server.requests.length - before).toBe(inSplit('test').length);
    const again = await b.call('runJudgeTestSplit', { judgeId: 'fm-wrong-answer' });
    expect(again.alreadyRun).toBe(true);
    expect(again.figures).toEqual(test.figures);
    expect(server.requests.length - before).toBe(inSplit('test').length);
    expect(await b.call('judgeTestResult', { judgeId: 'fm-wrong-answer' })).toMatchObject({ mode: 'wrong answer', figures: test.figures });
    // the API never runs the test split through the dev door
    await expect(b.dispatch('evaluateJudgeOnSplit', { mode: 'wrong answer', kind: 'llm', source: 'x', split: 'test' })).rejects.toThrow();
  }, 120_000);
});

describe('exports', () => {
  it('dataset in three shapes and scorers from the LLM judges', async () => {
    const b = await backend();
    await labelAll(b);
    const ml = await b.call('exportDataset', { format: 'mlflow' });
    expect(ml.records).toBe(16);
    const recs = ml.text.trimEnd().split('\n').map((l) => JSON.parse(l));
    const sqli = recs.find((r) => r.tags.trace_id === SECURITY[1]);
    expect(sqli).toMatchObject({
      inputs: { request: 'How do I prevent sqli?' },
      outputs: { response: 'Use prepared statements and parameterized queries.' },
      expectations: { expected_response: 'use parameterized queries and prepared statements', human_verdict: 'pass' },
    });
    const ins = await b.call('exportDataset', { format: 'inspect' });
    const wrong = ins.text.trimEnd().split('\n').map((l) => JSON.parse(l)).find((s) => s.id === POP(7));
    expect(wrong).toMatchObject({ target: ' Yes', metadata: { label: 'fail', failure_modes: ['wrong answer'], output: 'No' } });

    await b.call('draftJudgeFromMode', { mode: 'wrong answer', kind: 'llm' });
    const sc = await b.call('exportScorers', {});
    expect(sc.judges).toBe(1);
    expect(sc.files.map((f) => f.fileName)).toEqual(['mlflow_evaluate.py', 'inspect_scorers.py', 'promptfooconfig.yaml', 'README.md']);
    expect(sc.files[0]!.text).toContain('Guidelines(name="fm-wrong-answer"');
    // promptfoo tests are the labelled traces with an input and an output
    expect(sc.files[2]!.text.match(/^ {2}- description: /gm)).toHaveLength(16);
    const saved = (await b.call('getJudge', { id: 'fm-wrong-answer' }))!.source;
    expect(() => parseJudgeFile('x.judge.md', saved)).not.toThrow();
  }, 60_000);
});
