import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHandlers, type CompareHandlers } from '../../../src/backend/compare';
import { memoryVerdictSource, type RunVerdict } from '../../../src/core/compare/verdictSource';
import { importFile } from '../../../src/core/import/importFile';
import { REPEATED_V1, REPEATED_V2, runTraceId, TASK_INPUTS, writeRepeatedRuns } from '../../helpers/repeatedRuns';
import { tempWorkspace } from '../../helpers/workspace';

/**
 * Two versions with repeated runs (tests/helpers/repeatedRuns.ts): v1 refund 5/6, weather 4/4,
 * summary 4/4, translate 1/1 (v1 only); v2 refund 4/8, weather 0/4, summary 4/4, booking 2/2
 * (v2 only). Judges: 'no-tool-errors' on every run, mirroring the tool failures; 'tone' on the
 * weather runs only, passing all of them.
 *
 * Worked out by hand ('all' = outcome = no-tool-errors here, since only failing tools fail):
 *   per-task pass rates  refund 5/6 → 4/8 (Δ −1/3), weather 1 → 0 (Δ −1), summary 1 → 1 (Δ 0)
 *   version pass rate    A = (5/6 + 1 + 1)/3 = 0.9444, B = (1/2 + 0 + 1)/3 = 0.5, Δ = −0.4444
 *   k                    fewest runs of a paired task on either side = 4 (weather, summary)
 *   pass^4               refund A C(5,4)/C(6,4) = 1/3, B C(4,4)/C(8,4) = 1/70; weather 1 → 0;
 *                        summary 1 → 1; A = (1/3 + 2)/3 = 0.7778, B = (1/70 + 1)/3 = 0.3381
 *   pass@4               refund A 1 − C(1,4)/C(6,4) = 1, B 1 − C(4,4)/C(8,4) = 69/70; weather 1 → 0;
 *                        summary 1 → 1; A = 1, B = (69/70 + 1)/3 = 0.6619
 *   p (paired permutation, exact): 1047/210210 = 0.00498 — derivation in
 *                        tests/unit/stats/repeatedRunsStats.test.ts ('three tasks')
 *   flaky                refund in both versions (mixed outcomes); weather v2 fails every run: not flaky
 *   median latency       refund v1 runs last 1000…1500 ms → (1200 + 1300)/2 = 1250; v2 1500…2200 → 1850
 *   unpaired             only in v1: translate (1 run); only in v2: booking (2 runs)
 */
const BY = { by: 'attribute', key: 'gen_ai.agent.version' } as const;

function verdicts(): RunVerdict[] {
  const out: RunVerdict[] = [];
  for (const [v, specs] of [[1, REPEATED_V1], [2, REPEATED_V2]] as const)
    for (const s of specs)
      for (let i = 0; i < s.runs; i++) {
        const traceId = runTraceId(v, s.task, i);
        const fail = s.fails.includes(i);
        out.push({ judge: 'no-tool-errors', traceId, status: fail ? 'fail' : 'pass', rationale: fail ? '1 tool call(s) failed' : 'no tool errors' });
        if (s.task === 'weather') out.push({ judge: 'tone', traceId, status: 'pass', rationale: 'polite' });
      }
  return out;
}

let t: ReturnType<typeof tempWorkspace>;
let dir: string;
let h: CompareHandlers;

beforeAll(async () => {
  t = tempWorkspace();
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-repeated-'));
  for (const f of writeRepeatedRuns(dir)) expect((await importFile(t.ws, f)).traceIds.length).toBeGreaterThan(0);
  h = compareHandlers(t.ws, { verdicts: memoryVerdictSource([{ id: 'r1', verdicts: verdicts() }]) });
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('agent versions with repeated runs', () => {
  it('lists both versions with every run, by attribute and by the service.version column', async () => {
    for (const groupBy of [BY, { by: 'version' } as const]) {
      const l = await h.listVersions({ groupBy });
      expect(l.versions.map((v) => [v.version, v.traces])).toEqual([
        ['v1', 15],
        ['v2', 18],
      ]);
    }
  });

  it('compares every run of each task: pass rates, pass@k, pass^k, the paired test', async () => {
    const c = await h.compareVersions({ groupBy: BY, a: 'v1', b: 'v2' });
    const r = c.repeated;
    expect(r.k).toBe(4);
    expect(r.maxK).toBe(4);
    expect(r.criteria.map((x) => x.criterion)).toEqual(['all', 'outcome', 'no-tool-errors', 'tone']);
    for (const crit of r.criteria.slice(0, 3)) {
      expect(crit.tasks).toBe(3);
      expect(crit.runsA).toBe(14);
      expect(crit.runsB).toBe(16);
      expect(crit.passRateA).toBeCloseTo((5 / 6 + 2) / 3, 12);
      expect(crit.passRateB).toBeCloseTo(0.5, 12);
      expect(crit.delta).toBeCloseTo(0.5 - (5 / 6 + 2) / 3, 12);
      expect(crit.passHatKA).toBeCloseTo((1 / 3 + 2) / 3, 12);
      expect(crit.passHatKB).toBeCloseTo((1 / 70 + 1) / 3, 12);
      expect(crit.passAtKA).toBeCloseTo(1, 12);
      expect(crit.passAtKB).toBeCloseTo((69 / 70 + 1) / 3, 12);
      expect(crit.pValue).toBeCloseTo(1047 / 210210, 12);
      expect(crit.method).toBe('permutation-exact');
      expect(crit.flakyA).toBe(1);
      expect(crit.flakyB).toBe(1);
      // Resampling 3 tasks draws 'summary' (Δ 0) three times in 1 of 27 resamples > 2.5%: the
      // upper bound is exactly 0; the lower bound is below the effect.
      expect(crit.ci![1]).toBe(0);
      expect(crit.ci![0]).toBeLessThan(crit.delta!);
    }
    // The per-judge breakdown: 'tone' judged the weather runs only, all passing.
    const tone = r.criteria[3]!;
    expect([tone.tasks, tone.runsA, tone.runsB, tone.passRateA, tone.passRateB, tone.delta, tone.pValue]).toEqual([1, 4, 4, 1, 1, 0, 1]);

    // Tasks, the worst first.
    expect(r.tasks.map((x) => [x.label, x.a.passes, x.a.runs, x.b.passes, x.b.runs, x.a.flaky, x.b.flaky])).toEqual([
      [TASK_INPUTS.weather, 4, 4, 0, 4, false, false],
      [TASK_INPUTS.refund, 5, 6, 4, 8, true, true],
      [TASK_INPUTS.summary, 4, 4, 4, 4, false, false],
    ]);
    const refund = r.tasks[1]!;
    expect(refund.a.passHatK).toBeCloseTo(1 / 3, 12);
    expect(refund.b.passHatK).toBeCloseTo(1 / 70, 12);
    expect(refund.a.medianLatencyMs).toBe(1250);
    expect(refund.b.medianLatencyMs).toBe(1850);
    expect(refund.a.meanTokens).toBe(120);
    expect(refund.b.meanTokens).toBe(180);
    expect(refund.a.meanToolCalls).toBe(1);
    expect(refund.b.runList.map((x) => x.pass)).toEqual([true, false, true, false, true, false, true, false]);
    expect(refund.b.runList[1]!.failed).toEqual(['outcome', 'no-tool-errors']);
    // Most telling pair: the first passing v1 run beside the first failing v2 run.
    expect(refund.telling).toEqual({ a: runTraceId(1, 'refund', 0), b: runTraceId(2, 'refund', 1) });
    expect(r.tasks[2]!.telling).toEqual({ a: runTraceId(1, 'summary', 3), b: runTraceId(2, 'summary', 3) });

    expect(r.onlyInA.map((x) => [x.label, x.runs, x.passes])).toEqual([[TASK_INPUTS.translate, 1, 1]]);
    expect(r.onlyInB.map((x) => [x.label, x.runs, x.passes])).toEqual([[TASK_INPUTS.booking, 2, 2]]);

    // The regression is flagged with its numbers.
    expect(c.regressions[0]!.metric).toBe('pass-rate');
    // The interval is wide with 3 tasks: all-weather resamples give −100 pp, all-summary 0.
    expect(c.regressions[0]!.message).toBe('pass rate 94.4% → 50.0% (Δ −44.4 pp, 95% CI −100.0 pp … ±0.0 pp, p = 0.005) over 3 tasks, 14 + 16 runs');
  });

  it('takes k from the user, clamped to the runs every paired task has', async () => {
    const r2 = (await h.compareVersions({ groupBy: BY, a: 'v1', b: 'v2', k: 2 })).repeated;
    expect(r2.k).toBe(2);
    // refund: pass^2 A = C(5,2)/C(6,2) = 10/15, B = C(4,2)/C(8,2) = 6/28.
    expect(r2.tasks[1]!.a.passHatK).toBeCloseTo(10 / 15, 12);
    expect(r2.tasks[1]!.b.passHatK).toBeCloseTo(6 / 28, 12);
    expect((await h.compareVersions({ groupBy: BY, a: 'v1', b: 'v2', k: 50 })).repeated.k).toBe(4);
  });

  it('the verdict diff of the versions counts every run: no regression hidden behind one pair', async () => {
    const d = await h.diffVersions({ groupBy: BY, a: 'v1', b: 'v2' });
    const j = d.judges.find((x) => x.judge === 'no-tool-errors')!;
    expect(j.paired).toBe(3);
    expect(j.passRateA).toBeCloseTo((5 / 6 + 2) / 3, 12);
    expect(j.passRateB).toBeCloseTo(0.5, 12);
    expect(j.mcnemar).toEqual({ passToFail: 2, failToPass: 0, pValue: expect.closeTo(1047 / 210210, 12) });
    expect(j.test).toMatchObject({ method: 'permutation-exact', runsA: 14, runsB: 16 });
    expect(d.flipCounts['pass→fail']).toBe(2);
    const refundFlip = d.flips.find((f) => f.before.traceId === runTraceId(1, 'refund', 0))!;
    expect(refundFlip.after.traceId).toBe(runTraceId(2, 'refund', 1));
  });
});
