import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import type { ApiInput } from '../../../src/shared/api';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// The popularity .eval holds 10 samples; its `match` scorer marked samples 3 and 7 incorrect (the
// model answered "No", target " Yes") and the other 8 correct. A code judge comparing the final
// answer with metadata.target reproduces that: fail on 3 and 7, pass on the rest.
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;
const MATCH_JUDGE = `
import type { Trace } from 'tracedeck/judge';
export const meta = { name: 'Answer matches target' };
export default function (trace: Trace) {
  const target = String(trace.info.metadata.target ?? '').trim();
  const answer = String(trace.info.output ?? '').trim();
  return { pass: answer === target, rationale: 'answered ' + answer + ', target ' + target };
}
`;
const ALWAYS_PASS = `
export const meta = { name: 'Answer matches target' };
export default function () { return { pass: true, rationale: 'second run: always pass' }; }
`;

let b: Backend;
let cleanup: () => void;

async function run(judgeIds: string[], selection: ApiInput<'startJudgeRun'>['selection']): Promise<void> {
  const { runId } = await b.call('startJudgeRun', { judgeIds, selection });
  for (let i = 0; i < 600; i++) {
    const r = await b.call('getJudgeRun', { runId });
    if (r && r.status !== 'running') {
      expect(r.status).toBe('done');
      return;
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  throw new Error(`judge run ${runId} did not finish`);
}

beforeAll(async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  b = createBackend({ workspace: t.ws, mode: 'browser' });
  const out = await b.importPaths([fixture('inspect-ai/inspect-popularity-10samples.eval')]);
  expect(out[0]!.ok).toBe(true);
  await b.call('saveJudge', { id: 'answer-match', kind: 'code', source: MATCH_JUDGE });
  await run(['answer-match'], { mode: 'all' });
}, 60_000);
afterAll(() => cleanup?.());

describe('alignment report over verdicts of a real judge run', () => {
  it('lists the judge and aligns its latest verdicts with the labels (hand-computed)', async () => {
    // The judge, then the file's own recorded scorer: every one of the 10 samples has a `match`
    // score of C or I (a pass / fail each).
    expect(await b.call('alignmentJudges', {})).toEqual([
      { id: 'answer-match', name: 'Answer matches target', verdicts: 10, decided: 10 },
      { id: 'recorded:match', name: 'match (recorded)', verdicts: 10, decided: 10 },
    ]);

    // Human: pass 1, 2, 7 (7 judged acceptable: disagrees with the judge), fail 3, 4 (4: a bare
    // "No" the human rejects: disagrees), defer 5; 6, 8, 9, 10 unlabelled.
    for (const [n, v, c] of [
      [1, 'pass', ''],
      [2, 'pass', ''],
      [7, 'pass', 'No is defensible here'],
      [3, 'fail', 'Answered No; the target was Yes'],
      [4, 'fail', 'A bare No with no reasoning'],
      [5, 'defer', ''],
    ] as const)
      await b.call('setLabel', { traceId: POP(n), verdict: v, critique: c });

    const r = await b.call('alignmentReport', { judgeId: 'answer-match' });
    expect(r.judge).toEqual({ id: 'answer-match', name: 'Answer matches target' });
    // human pass 1, 2, 7 → judge pass 1, 2 (TP 2), fail 7 (FN 1): TPR 2/3
    // human fail 3, 4 → judge fail 3 (TN 1), pass 4 (FP 1): TNR 1/2
    expect(r.agreement).toEqual({ confusion: { tp: 2, tn: 1, fp: 1, fn: 1 }, tpr: 2 / 3, tnr: 1 / 2, humanPass: 3, humanFail: 2 });
    expect(r.counts).toEqual({ labelled: 5, deferred: 1, paired: 5, judgeErrors: 0, unjudged: 0 });
    // unlabelled: 5 (deferred), 6, 8, 9, 10: all pass → p_obs 1; θ = (1 + ½ − 1)/(⅔ + ½ − 1) = 3 → clipped to 1
    expect(r.theta).toMatchObject({ pObs: 1, theta: 1, unlabelled: 5 });
    const dis = Object.fromEntries(r.disagreements.map((d) => [d.traceId, d]));
    expect(Object.keys(dis).sort()).toEqual([POP(4), POP(7)]);
    expect(dis[POP(7)]).toMatchObject({ human: 'pass', judge: 'fail', rationale: 'answered No, target Yes', critique: 'No is defensible here' });
    expect(dis[POP(4)]).toMatchObject({ human: 'fail', judge: 'pass', rationale: 'answered No, target No' });
  });

  it('uses the latest verdict when a judge is run again', async () => {
    await b.call('saveJudge', { id: 'answer-match', kind: 'code', source: ALWAYS_PASS });
    await run(['answer-match'], { mode: 'ids', traceIds: [POP(7)] });
    const r = await b.call('alignmentReport', { judgeId: 'answer-match' });
    // 7 now judged pass: human pass 1, 2, 7 all TP → TPR 1; fails unchanged → TNR 1/2
    expect(r.agreement).toMatchObject({ confusion: { tp: 3, tn: 1, fp: 1, fn: 0 }, tpr: 1, tnr: 0.5 });
    expect(r.disagreements.map((d) => d.traceId)).toEqual([POP(4)]);
    await expect(b.call('alignmentReport', { judgeId: 'no-such-judge' })).rejects.toMatchObject({ code: 'not-found' });
  });
});
