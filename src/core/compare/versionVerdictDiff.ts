import type { JudgeDelta } from '../model/compare';
import { pairedRunsTest } from './pairedRunsTest';
import type { Flip, VerdictDiff } from './verdictDiff';
import type { RunVerdict } from './verdictSource';

/**
 * Verdict diff of two agent versions whose tasks ran several times each. Per judge, every
 * verdict counts: per task the pass rate over its judged runs on each side, compared with the
 * paired runs test (pairedRunsTest.ts; McNemar's exact test when every task ran once a side).
 *
 * In the JudgeDelta a version diff fills: paired = tasks judged on both sides; passRateA/B and
 * delta = means over those tasks; mcnemar.passToFail / failToPass = tasks whose pass rate fell /
 * rose, mcnemar.pValue = the paired test's p; onlyInA/B = tasks judged on one side only.
 * A flip is a task whose pass rate moved, shown by its most telling pair of verdicts (a passing
 * A run and a failing B run for a drop); a task gaining error verdicts is a new-error flip.
 *
 * Verdicts come in trace start order; `taskOf` names each trace's task (its pair key).
 */
export function versionVerdictDiff(a: readonly RunVerdict[], b: readonly RunVerdict[], taskOf: (traceId: string) => string | null): VerdictDiff {
  const side = (vs: readonly RunVerdict[]) => {
    const m = new Map<string, Map<string, RunVerdict[]>>();
    for (const v of vs) {
      const t = taskOf(v.traceId);
      if (t === null) continue;
      let byTask = m.get(v.judge);
      if (!byTask) m.set(v.judge, (byTask = new Map()));
      const l = byTask.get(t);
      if (l) l.push(v);
      else byTask.set(t, [v]);
    }
    return m;
  };
  const sa = side(a);
  const sb = side(b);
  const judges: JudgeDelta[] = [];
  const flips: Flip[] = [];
  const counted = (vs: readonly RunVerdict[]) => {
    const judged = vs.filter((v) => v.status !== 'error');
    return { n: judged.length, c: judged.filter((v) => v.status === 'pass').length, errors: vs.length - judged.length };
  };
  const view = (v: RunVerdict) => ({ traceId: v.traceId, status: v.status, ...(v.rationale !== undefined ? { rationale: v.rationale } : {}) });

  for (const judge of [...new Set([...sa.keys(), ...sb.keys()])].sort()) {
    const ta = sa.get(judge) ?? new Map<string, RunVerdict[]>();
    const tb = sb.get(judge) ?? new Map<string, RunVerdict[]>();
    const rows: { nA: number; cA: number; nB: number; cB: number }[] = [];
    let errorsA = 0;
    let errorsB = 0;
    let fell = 0;
    let rose = 0;
    for (const vs of ta.values()) errorsA += counted(vs).errors;
    for (const vs of tb.values()) errorsB += counted(vs).errors;
    for (const [task, vb] of tb) {
      const va = ta.get(task);
      if (!va) continue;
      const x = counted(va);
      const y = counted(vb);
      if (y.errors > 0 && x.errors === 0) {
        flips.push({ judge, pairKey: task, kind: 'new-error', before: view(va[0]!), after: view(vb.find((v) => v.status === 'error')!) });
      } else if (x.errors > 0 && y.errors === 0) {
        flips.push({ judge, pairKey: task, kind: 'error-fixed', before: view(va.find((v) => v.status === 'error')!), after: view(vb[0]!) });
      }
      if (!x.n || !y.n) continue;
      rows.push({ nA: x.n, cA: x.c, nB: y.n, cB: y.c });
      const d = y.c / y.n - x.c / x.n;
      if (d < 0) {
        fell++;
        flips.push({ judge, pairKey: task, kind: 'pass→fail', before: view(va.find((v) => v.status === 'pass')!), after: view(vb.find((v) => v.status === 'fail')!) });
      } else if (d > 0) {
        rose++;
        flips.push({ judge, pairKey: task, kind: 'fail→pass', before: view(va.find((v) => v.status === 'fail')!), after: view(vb.find((v) => v.status === 'pass')!) });
      }
    }
    const test = pairedRunsTest(rows);
    const rate = (f: (r: (typeof rows)[number]) => number) => (rows.length ? rows.reduce((s, r) => s + f(r), 0) / rows.length : null);
    judges.push({
      judge,
      paired: rows.length,
      passRateA: rate((r) => r.cA / r.nA),
      passRateB: rate((r) => r.cB / r.nB),
      delta: test?.delta ?? null,
      mcnemar: { passToFail: fell, failToPass: rose, pValue: test?.pValue ?? 1 },
      errorsA,
      errorsB,
      onlyInA: [...ta.keys()].filter((t) => !tb.has(t)).length,
      onlyInB: [...tb.keys()].filter((t) => !ta.has(t)).length,
      test: test ? { method: test.method, ci: test.ci, runsA: rows.reduce((s, r) => s + r.nA, 0), runsB: rows.reduce((s, r) => s + r.nB, 0) } : null,
    });
  }
  return { judges, flips };
}
