import { afterAll, describe, expect, it } from 'vitest';
import { evaluationPass } from '../../../src/core/model/evaluations';
import { recordedAlignmentJudges, recordedVerdictSource } from '../../../src/core/store/recordedVerdicts';
import { importFixtures, tempWorkspace } from '../../helpers/workspace';

// Expectations read off the fixture files: trace.scores (Langfuse), samples[].scores (Inspect),
// info.assessments (MLflow 3).

const t = tempWorkspace();
afterAll(() => t.cleanup());
const ws = t.ws;
const ready = importFixtures(ws, [
  'langfuse/langfuse-claude-agent-2025-12-22.trace.json',
  'langfuse/langfuse-openai-agents-2025-09-30.trace.json',
  'inspect-ai/inspect-security-guide-3samples.json',
  'mlflow/handmade-mlflow3-trace.json',
]);

describe('pass/fail mapping of recorded values', () => {
  it('maps booleans, words, Inspect letters and 0–1 numbers; defect names pass when low', () => {
    expect([true, false].map((v) => evaluationPass('x', v))).toEqual([true, false]);
    expect(['C', 'I', 'P', 'N', 'yes', 'Incorrect'].map((v) => evaluationPass('match', v))).toEqual([true, false, true, false, true, false]);
    expect([0, 0.49, 0.5, 1, '0.7'].map((v) => evaluationPass('correctness', v))).toEqual([false, false, true, true, true]);
    expect([0, 0.49, 0.5, 1].map((v) => evaluationPass('hallucination', v))).toEqual([true, true, false, false]);
    expect(evaluationPass('Toxicity', 0.8)).toBe(false);
    // No verdict: a rating outside 0–1, free text, structured values.
    expect([4, -1, 'maybe', { a: 1 }, null].map((v) => evaluationPass('helpfulness', v))).toEqual([null, null, null, null, null]);
  });
});

describe('recorded evaluations imported from the files', () => {
  it('Langfuse scores: name, value, comment, verdict (correctness 0 fails, hallucination 1 fails, toxicity 0 passes)', async () => {
    await ready;
    const id = '097f1d8982fa909b8cffb14a166ec272';
    const evals = ws.getRecordedEvaluations(id);
    expect(evals.map((e) => [e.name, e.value, e.pass, e.source])).toEqual([
      ['correctness', 0, false, 'langfuse:EVAL'],
      ['hallucination', 1, false, 'langfuse:EVAL'],
      ['toxicity', 0, true, 'langfuse:EVAL'],
    ]);
    expect(evals[0]!.comment).toMatch(/^The generation does not provide any factual information about the weather in Berlin and New York/);
    expect(evals[0]!.timeMs).toBe(Date.parse('2026-02-10T17:15:56.965Z'));
    expect(ws.getTrace(id)).toMatchObject({ evalPass: 1, evalFail: 2 });
    // toxicity 0.8 fails, hallucination 0 passes
    expect(ws.getTrace('fee618f96dc31e0ca38b2f7b26eb8b29')).toMatchObject({ evalPass: 1, evalFail: 1 });
  });

  it('Inspect scores: model_graded_fact C on each of the 3 samples passes, with the grader explanation', async () => {
    await ready;
    for (const id of ['jejv2PukU7Xq5AJrutaZi7', 'azKp2SRnKjCTS9rimuwWy2', 'HsRaLUYeLvb6ehcfhHorXD']) {
      const [e, ...rest] = ws.getRecordedEvaluations(id);
      expect(rest).toEqual([]);
      expect(e).toMatchObject({ name: 'model_graded_fact', value: 'C', pass: true, source: 'inspect', author: 'model_graded_fact' });
      expect(e!.comment).toMatch(/expert/);
    }
  });

  it('MLflow assessments: task_completed false by HUMAN dana fails, rationale kept', async () => {
    await ready;
    expect(ws.getRecordedEvaluations('tr-0000a68a45347c8636c2a21872b1bfc8')).toEqual([
      { name: 'task_completed', source: 'mlflow', value: false, pass: false, comment: 'Booking failed.', author: 'HUMAN:dana', timeMs: Date.parse('2025-12-02T17:05:11.402Z') },
    ]);
  });

  it('filters the library by recorded verdicts', async () => {
    await ready;
    const ids = (q: Parameters<typeof ws.listTraces>[0]) => ws.listTraces({ ...q, limit: 100 }).rows.map((r) => r.traceId).sort();
    expect(ids({ recordedEval: 'fail' })).toEqual(['097f1d8982fa909b8cffb14a166ec272', 'fee618f96dc31e0ca38b2f7b26eb8b29', 'tr-0000a68a45347c8636c2a21872b1bfc8']);
    expect(ids({ recordedEval: 'pass' })).toEqual(['HsRaLUYeLvb6ehcfhHorXD', 'azKp2SRnKjCTS9rimuwWy2', 'jejv2PukU7Xq5AJrutaZi7']);
  });

  it('re-importing a file replaces its evaluations, deleting a trace removes them', async () => {
    await ready;
    await importFixtures(ws, ['langfuse/langfuse-claude-agent-2025-12-22.trace.json']);
    expect(ws.getRecordedEvaluations('097f1d8982fa909b8cffb14a166ec272')).toHaveLength(3);
    const s = tempWorkspace();
    try {
      await importFixtures(s.ws, ['langfuse/langfuse-openai-agents-2025-09-30.trace.json']);
      s.ws.deleteTrace('fee618f96dc31e0ca38b2f7b26eb8b29');
      expect(s.ws.getRecordedEvaluations('fee618f96dc31e0ca38b2f7b26eb8b29')).toEqual([]);
    } finally {
      s.cleanup();
    }
  });
});

describe('recorded evaluations as a verdict source', () => {
  it('lists one run per file, with the evaluation names as judges', async () => {
    await ready;
    const src = recordedVerdictSource(ws);
    const runs = src.listRuns();
    const inspect = runs.find((r) => r.label === 'recorded · inspect-security-guide-3samples.json')!;
    expect(inspect).toMatchObject({ verdicts: 3, traces: 3, judges: ['recorded:model_graded_fact'] });
    expect(src.runVerdicts(inspect.id)!.map((v) => v.status)).toEqual(['pass', 'pass', 'pass']);
    expect(src.runLabel(inspect.id)).toBe(inspect.label);
    expect(src.runLabel('7')).toBeNull();
    expect(src.latestVerdicts(['fee618f96dc31e0ca38b2f7b26eb8b29']).map((v) => [v.judge, v.status])).toEqual([
      ['recorded:toxicity', 'fail'],
      ['recorded:hallucination', 'pass'],
    ]);
    expect(src.runVerdicts('7')).toBeNull();
  });

  it('offers each evaluation name as a judge for alignment', async () => {
    await ready;
    const a = recordedAlignmentJudges(ws);
    expect(a.listJudges()).toEqual([
      { id: 'recorded:correctness', name: 'correctness (recorded)', verdicts: 1, decided: 1 },
      { id: 'recorded:hallucination', name: 'hallucination (recorded)', verdicts: 2, decided: 2 },
      { id: 'recorded:model_graded_fact', name: 'model_graded_fact (recorded)', verdicts: 3, decided: 3 },
      { id: 'recorded:task_completed', name: 'task_completed (recorded)', verdicts: 1, decided: 1 },
      { id: 'recorded:toxicity', name: 'toxicity (recorded)', verdicts: 2, decided: 2 },
    ]);
    expect(a.latestVerdicts('recorded:hallucination')!.verdicts.map((v) => [v.traceId, v.status])).toEqual([
      ['097f1d8982fa909b8cffb14a166ec272', 'fail'],
      ['fee618f96dc31e0ca38b2f7b26eb8b29', 'pass'],
    ]);
  });
});
