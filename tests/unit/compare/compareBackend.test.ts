import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHandlers, type CompareHandlers } from '../../../src/backend/compare';
import { ApiError, createBackend } from '../../../src/backend/handlers';
import { memoryVerdictSource, type RunVerdict } from '../../../src/core/compare/verdictSource';
import { importFile } from '../../../src/core/import/importFile';
import type { Workspace } from '../../../src/core/store/workspace';
import { phoenixSpans, writePhoenixVariant } from '../../helpers/phoenixVariants';
import { fixture, tempWorkspace } from '../../helpers/workspace';

const SCENARIOS = resolve(__dirname, '../../../scenarios');
const BY_AGENT_VERSION = { by: 'attribute', key: 'gen_ai.agent.version' } as const;
const PAIR = 'scenario:save-trace-to-dataset';

const v = (judge: string, traceId: string, status: RunVerdict['status'], rationale?: string): RunVerdict => ({ judge, traceId, status, rationale });
const RUNS = [
  {
    id: 'r1',
    label: 'judges on v1',
    verdicts: [v('tools', 'turn-v1', 'fail', 'add_spans_to_dataset failed on fx-otel-span-1'), v('answer', 'turn-v1', 'pass', 'links the dataset')],
  },
  { id: 'r2', label: 'judges on v2', verdicts: [v('tools', 'turn-v2', 'pass', 'no tool errors'), v('answer', 'turn-v2', 'pass', 'links the dataset')] },
  { id: 'r3', label: 're-run on v1', verdicts: [v('tools', 'turn-v1', 'fail', 'still one failed call'), v('answer', 'turn-v1', 'error', 'judge timed out')] },
];

let t: ReturnType<typeof tempWorkspace>;
let ws: Workspace;
let dir: string;
let h: CompareHandlers;

/** Token sums read straight from the fixture's llm.token_count.* attributes. */
function fixtureTokens(drop: string[] = []) {
  let prompt = 0;
  let completion = 0;
  for (const s of phoenixSpans()) {
    if (drop.includes(s.context.span_id)) continue;
    prompt += (s.attributes['llm.token_count.prompt'] as number | undefined) ?? 0;
    completion += (s.attributes['llm.token_count.completion'] as number | undefined) ?? 0;
  }
  return prompt + completion;
}
const DROP = ['s10', 's11', 's12', 's13'];

beforeAll(async () => {
  t = tempWorkspace();
  ws = t.ws;
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-compare-'));
  await importFile(ws, fixture('otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json'));
  await importFile(ws, writePhoenixVariant(dir, 'v1.json', { traceId: 'turn-v1', rootAttributes: { 'gen_ai.agent.version': '1.0' } }));
  // v2 skips the failed add_spans_to_dataset call and the look-up after it (s10–s13, 8 s), but
  // every model call uses three times the tokens.
  await importFile(ws, writePhoenixVariant(dir, 'v2.json', { traceId: 'turn-v2', rootAttributes: { 'gen_ai.agent.version': '2.0' }, drop: DROP, tokenScale: 3 }));
  h = compareHandlers(ws, { verdicts: memoryVerdictSource(RUNS) });
  await h.loadScenarios({ paths: [SCENARIOS] });
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('trajectory', () => {
  it('matches the scenario by input and aligns (hand-checked against the fixture)', async () => {
    const { trajectory, scenarios } = await h.getTrajectory({ traceId: 'turn-v2' });
    expect(scenarios).toBe(1);
    expect(trajectory).toMatchObject({ matchedBy: 'input', mode: 'superset', scenario: { id: 'save-trace-to-dataset', idealSteps: 4, idealToolCalls: 3 } });
    // v2: 7 LLM turns, tools s03 s05 s07 s09 s15 s17, 27 s
    const m = trajectory!.metrics;
    expect(m).toMatchObject({ observedSteps: 7, observedToolCalls: 6, observedSeconds: 27, stepRatio: 1.75, toolCallRatio: 2, correct: true });
    expect(m.latencyRatio).toBeCloseTo(27 / 14, 10);
    expect(m.solveRate).toBeCloseTo(4 / 27, 10);
    expect(trajectory!.rows.filter((r) => r.status === 'matched').map((r) => r.observed!.spanId)).toEqual(['s03', 's09', 's15']);
    expect(trajectory!.observedSteps).toHaveLength(7);
    expect(trajectory!.idealSteps.map((s) => s.name)).toEqual([
      'look for an existing dataset',
      'create the dataset',
      "add the trace's root span",
      'answer with a link',
    ]);
  });

  it('explicit scenario, unknown scenario, no match', async () => {
    expect((await h.getTrajectory({ traceId: 'turn-v1', scenarioId: 'save-trace-to-dataset' })).trajectory!.matchedBy).toBe('explicit');
    await expect(Promise.resolve().then(() => h.getTrajectory({ traceId: 'turn-v1', scenarioId: 'nope' }))).rejects.toThrow(/no scenario 'nope'/);
    expect(await h.getTrajectory({ traceId: '00000000000000000000000000000011' })).toEqual({ trajectory: null, scenarios: 1 });
    expect(await h.getTrajectory({ traceId: 'missing' })).toEqual({ trajectory: null, scenarios: 1 });
  });
});

describe('verdict diff', () => {
  it('two runs over different traces pair by scenario; flips carry both rationales', async () => {
    const d = await h.diffRuns({ runA: 'r1', runB: 'r2' });
    expect(d.pairBy).toBe('pair');
    expect(d.a).toEqual({ id: 'r1', label: 'judges on v1' });
    const tools = d.judges.find((j) => j.judge === 'tools')!;
    expect(tools).toMatchObject({ paired: 1, passRateA: 0, passRateB: 1, delta: 1, mcnemar: { passToFail: 0, failToPass: 1, pValue: 1 } });
    expect(d.judges.find((j) => j.judge === 'answer')).toMatchObject({ paired: 1, delta: 0 });
    expect(d.flips).toEqual([
      {
        judge: 'tools',
        pairKey: PAIR,
        kind: 'fail→pass',
        before: { traceId: 'turn-v1', traceName: 'pxi.turn', status: 'fail', rationale: 'add_spans_to_dataset failed on fx-otel-span-1' },
        after: { traceId: 'turn-v2', traceName: 'pxi.turn', status: 'pass', rationale: 'no tool errors' },
      },
    ]);
    expect(d.flipCounts).toEqual({ 'pass→fail': 0, 'fail→pass': 1, 'new-error': 0, 'error-fixed': 0 });
  });

  it('a re-run over the same trace pairs by trace', async () => {
    const d = await h.diffRuns({ runA: 'r1', runB: 'r3' });
    expect(d.pairBy).toBe('trace');
    expect(d.flips.map((f) => [f.judge, f.kind, f.pairKey, f.after.rationale])).toEqual([['answer', 'new-error', 'turn-v1', 'judge timed out']]);
    expect(d.judges.find((j) => j.judge === 'answer')).toMatchObject({ paired: 0, errorsB: 1, delta: null });
    await expect(Promise.resolve().then(() => h.diffRuns({ runA: 'r1', runB: 'nope' }))).rejects.toThrow(/no judge run 'nope'/);
  });

  it('two agent versions: latest verdict per judge and trace (r3 is the latest on v1)', async () => {
    const d = await h.diffVersions({ groupBy: BY_AGENT_VERSION, a: '1.0', b: '2.0' });
    expect(d.pairBy).toBe('pair');
    expect(d.flips.map((f) => `${f.judge}:${f.kind}`).sort()).toEqual(['answer:error-fixed', 'tools:fail→pass']);
    // filtered page
    const only = await h.diffVersions({ groupBy: BY_AGENT_VERSION, a: '1.0', b: '2.0', kind: 'error-fixed' });
    expect(only.flipsTotal).toBe(1);
    expect(only.flips[0]!.before.rationale).toBe('judge timed out');
  });

  it('100k verdicts: correct counts and a bounded page of flips', async () => {
    const a: RunVerdict[] = [];
    const b: RunVerdict[] = [];
    for (let i = 0; i < 100_000; i++) {
      const judge = i % 2 ? 'j1' : 'j2';
      a.push(v(judge, `t${i}`, i % 10 === 0 ? 'fail' : 'pass'));
      b.push(v(judge, `t${i}`, i % 4 === 0 ? 'fail' : i % 1000 === 1 ? 'error' : 'pass'));
    }
    const big = compareHandlers(ws, { verdicts: memoryVerdictSource([{ id: 'A', verdicts: a }, { id: 'B', verdicts: b }]) });
    const d = await big.diffRuns({ runA: 'A', runB: 'B' }); // timing: tests/bench/diff.bench.ts
    expect(d.pairBy).toBe('trace');
    expect(d.verdictsA).toBe(100_000);
    // i even ↔ j2. j2: fail in A when i%10==0 (10k), fail in B when i%4==0 (25k); both when i%20==0 (5k).
    // pass→fail: i%4==0 and i%10!=0 → 25k − 5k = 20k; fail→pass: i%10==0 and i%4!=0 → 10k − 5k = 5k.
    const j2 = d.judges.find((j) => j.judge === 'j2')!;
    expect(j2.mcnemar.passToFail).toBe(20_000);
    expect(j2.mcnemar.failToPass).toBe(5_000);
    expect(j2.delta).toBeCloseTo((25_000 - 40_000) / 50_000, 10); // A passes 40k of 50k, B 25k
    expect(j2.mcnemar.pValue).toBeLessThan(1e-12);
    // j1 (odd i): never fails in A or B (odd numbers are not multiples of 10 or 4); errors at i%1000==1 → 100
    const j1 = d.judges.find((j) => j.judge === 'j1')!;
    expect(j1).toMatchObject({ paired: 49_900, delta: 0, errorsB: 100 });
    expect(d.flipCounts).toEqual({ 'pass→fail': 20_000, 'fail→pass': 5_000, 'new-error': 100, 'error-fixed': 0 });
    expect(d.flipsTotal).toBe(25_100);
    expect(d.flips).toHaveLength(200);
    expect((await big.diffRuns({ runA: 'A', runB: 'B', judge: 'j1', limit: 1000 })).flips).toHaveLength(100);
  });
});

describe('agent versions', () => {
  it('lists versions with trajectory ratios and judge pass rates', async () => {
    const list = await h.listVersions({ groupBy: BY_AGENT_VERSION });
    expect(list.ungrouped).toBe(1); // the Jaeger trace
    expect(list.versions.map((x) => x.version)).toEqual(['1.0', '2.0']);
    const [v1, v2] = list.versions;
    expect(v1).toMatchObject({ traces: 1, withScenario: 1, correctness: 1, meanStepRatio: 2.25, meanLatencyRatio: 2.5, toolFailureRatio: 1 / 8 });
    expect(v1!.meanToolCallRatio).toBeCloseTo(8 / 3, 10);
    expect(v1!.meanSolveRate).toBeCloseTo(4 / 35, 10);
    // latest on v1 = r3: tools fail, answer error (not counted) → 0 of 1
    expect(v1!.judgePassRate).toBe(0);
    expect(v2).toMatchObject({ traces: 1, correctness: 1, meanStepRatio: 1.75, meanToolCallRatio: 2, toolFailureRatio: 0, judgePassRate: 1 });
    expect(v1!.meanTokens).toBe(fixtureTokens());
    expect(v2!.meanTokens).toBe(3 * fixtureTokens(DROP));
  });

  it('pairs the runs of the scenario and flags the token regression although judges pass', async () => {
    const c = await h.compareVersions({ groupBy: BY_AGENT_VERSION, a: '1.0', b: '2.0' });
    expect(c.pairs).toHaveLength(1);
    const p = c.pairs[0]!;
    const ratio = (3 * fixtureTokens(DROP)) / fixtureTokens();
    expect(ratio).toBeGreaterThan(2);
    expect(p).toMatchObject({ pairKey: PAIR, scenarioId: 'save-trace-to-dataset', a: { traceId: 'turn-v1' }, b: { traceId: 'turn-v2' } });
    expect(p.tokensRatio).toBeCloseTo(ratio, 10);
    expect(p.latencyRatio).toBeCloseTo(27 / 35, 10);
    expect(p.toolCallsDelta).toBe(-2);
    expect(p.trajectoryA).toMatchObject({ correct: true, stepRatio: 2.25 });
    expect(p.trajectoryB).toMatchObject({ correct: true, stepRatio: 1.75 });
    expect(p.verdicts).toEqual([
      { judge: 'answer', a: 'error', b: 'pass' },
      { judge: 'tools', a: 'fail', b: 'pass' },
    ]);
    expect(p.flags).toEqual(['tokens']);
    expect(c.regressions.map((r) => r.metric)).toEqual(['tokens']);
    expect(c.regressions[0]!.pairKeys).toEqual([PAIR]);
    expect(c.regressions[0]!.message).toBe(`mean tokens per trace ×${ratio.toFixed(2)} (${fixtureTokens()} → ${3 * fixtureTokens(DROP)})`);
    expect(c.b.judgePassRate).toBe(1);
    expect(c).toMatchObject({ unpairedA: 0, unpairedB: 0 });
  });
});

describe('task-level regressions', () => {
  it('flags a task whose tokens doubled even when the version mean did not double', async () => {
    // A second task in both versions: v2 is cheaper there, so the mean ratio stays under ×2.
    const other = 'Please put this trace in the golden_examples dataset';
    await importFile(ws, writePhoenixVariant(dir, 'o1.json', { traceId: 'other-v1', input: other, rootAttributes: { 'gen_ai.agent.version': '1.0' } }));
    await importFile(ws, writePhoenixVariant(dir, 'o2.json', { traceId: 'other-v2', input: other, rootAttributes: { 'gen_ai.agent.version': '2.0' }, drop: ['s04', 's05'] }));
    try {
      const c = await h.compareVersions({ groupBy: BY_AGENT_VERSION, a: '1.0', b: '2.0' });
      const meanA = fixtureTokens();
      const meanB = (3 * fixtureTokens(DROP) + fixtureTokens(['s04', 's05'])) / 2;
      expect(meanB / meanA).toBeLessThan(2);
      const ratio = (3 * fixtureTokens(DROP)) / fixtureTokens();
      expect(c.regressions).toEqual([{ metric: 'tokens', message: `tokens ×${ratio.toFixed(2)} on 1 of 2 paired tasks (≥ ×2)`, pairKeys: [PAIR] }]);
      expect(c.pairs.find((p) => p.pairKey !== PAIR)!.flags).toEqual([]);
    } finally {
      ws.deleteTrace('other-v1');
      ws.deleteTrace('other-v2');
    }
  });
});

describe('one pair side by side', () => {
  it('trajectories of both (one scenario) and the latest verdicts with rationales', async () => {
    const p = (await h.comparePair({ a: 'turn-v1', b: 'turn-v2' }))!;
    expect(p.a.traceId).toBe('turn-v1');
    expect(p.trajectoryA).toMatchObject({ scenarioId: 'save-trace-to-dataset', correct: true, stepRatio: 2.25, latencyRatio: 2.5 });
    expect(p.trajectoryB).toMatchObject({ scenarioId: 'save-trace-to-dataset', correct: true, stepRatio: 1.75, toolCallRatio: 2 });
    expect(p.verdicts).toEqual([
      { judge: 'answer', a: 'error', b: 'pass', rationaleA: 'judge timed out', rationaleB: 'links the dataset' },
      { judge: 'tools', a: 'fail', b: 'pass', rationaleA: 'still one failed call', rationaleB: 'no tool errors' },
    ]);
    // the Jaeger trace matches no scenario and has no verdicts
    const j = (await h.comparePair({ a: 'turn-v1', b: '00000000000000000000000000000011' }))!;
    expect(j.trajectoryB).toMatchObject({ scenarioId: 'save-trace-to-dataset', correct: false });
    expect(await h.comparePair({ a: 'turn-v1', b: 'nope' })).toBeNull();
  });
});

describe('through the backend dispatch', () => {
  it('validates input and saves scenarios', async () => {
    const b = createBackend({ workspace: ws, mode: 'browser' });
    const bad = await b.dispatch('saveScenario', { scenario: { id: 'x', ideal: { steps: [] } } }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(ApiError);
    expect((bad as ApiError).message).toMatch(/invalid scenario: ideal\.steps/);
    const groupBad = await b.dispatch('listVersions', { groupBy: { by: 'attribute' } }).catch((e: unknown) => e);
    expect((groupBad as ApiError).code).toBe('bad-input');
    const saved = await b.call('saveScenario', { scenario: { id: 'x', name: 'X', ideal: { steps: [{ calls: [{ tool: 'search' }] }] } } });
    expect(saved).toMatchObject({ id: 'x', name: 'X', idealSteps: 1, idealToolCalls: 1, trajectoryMatch: 'strict', argMatch: 'exact', sourceFile: null });
    expect((await b.call('listScenarios', {})).map((s) => s.id)).toEqual(['save-trace-to-dataset', 'x']);
    expect(await b.call('deleteScenario', { id: 'x' })).toEqual({ deleted: true });
    // no judges tables yet in a fresh workspace → nothing to diff, not an error
    expect(await b.call('listDiffRuns', {})).toEqual([]);
  });
});
