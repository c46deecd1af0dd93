import { useEffect, useRef, useState } from 'react';
import type { JudgeInfo, JudgeKind, JudgeTestResult, SplitEvaluation, SplitFiguresView } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { errorText } from './parts';

/** The tag a judge drafted from a failure mode carries (src/core/evals/modeSplits.ts). */
const MODE_TAG = 'failure-mode:';

export function modeOfJudge(judge: JudgeInfo | null): string | null {
  const t = judge?.tags.find((x) => x.startsWith(MODE_TAG));
  return t ? t.slice(MODE_TAG.length) : null;
}

const rate = (x: number | null, num: number, den: number) => (x === null ? 'n/a' : `${Math.round(x * 100)}% (${num}/${den})`);

/** TPR / TNR of one split, the split named in every figure. */
function Figures({ f, testId }: { f: SplitFiguresView; testId: string }) {
  return (
    <div className="jd-split-figures" data-testid={testId} data-split={f.split}>
      <span className="jd-badge">{f.split} split</span>{' '}
      <span data-testid={`${testId}-tpr`}>TPR {rate(f.tpr, f.tp, f.tp + f.fn)}</span> ·{' '}
      <span data-testid={`${testId}-tnr`}>TNR {rate(f.tnr, f.tn, f.tn + f.fp)}</span> · <span className="dim">{f.traces} labelled traces</span>
      {f.errors ? <span className="text-error"> · {f.errors} errored</span> : null}
    </div>
  );
}

/**
 * A judge drafted from a failure mode, measured against the human labels of that mode: on the dev
 * split as the text is edited (debounced; the latest edit wins), and once on the test split for
 * the figures to report. Train holds the few-shot examples and is not measured here.
 */
export function SplitPanel({ judge, mode, kind, source, dirty }: { judge: JudgeInfo; mode: string; kind: JudgeKind; source: string; dirty: boolean }) {
  const client = useClient();
  const [dev, setDev] = useState<SplitEvaluation | null>(null);
  const [devOf, setDevOf] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [test, setTest] = useState<JudgeTestResult | null>(null);
  const [testBusy, setTestBusy] = useState(false);
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    setBusy(true);
    client.call('evaluateJudgeOnSplit', { mode, kind, source, split: 'dev' }).then(
      (r) => {
        if (mine !== seq.current) return;
        setDev(r);
        setDevOf(source);
        setError(null);
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setError(errorText(e));
        setBusy(false);
      },
    );
  }, [client, mode, kind, source]);

  useEffect(() => {
    client.call('judgeTestResult', { judgeId: judge.id }).then(setTest, () => undefined);
  }, [client, judge.id]);

  const runTest = async () => {
    setTestBusy(true);
    try {
      setTest(await client.call('runJudgeTestSplit', { judgeId: judge.id }));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setTestBusy(false);
    }
  };

  return (
    <section className="jd-splits" data-testid="split-panel" aria-label="Agreement with labels">
      <div className="panel-title">
        Failure mode <span className="mono">{mode}</span>: agreement with the labels
      </div>
      <div className="dim jd-hint">Pass = the mode is absent. Few-shot examples come from train; tune on dev; run test once.</div>
      {busy ? <span className="spinner" aria-hidden="true" /> : null}
      {dev?.problem ? (
        <div className="text-error" role="alert" data-testid="split-problem">
          dev split not measured: {dev.problem}
        </div>
      ) : null}
      {dev && !dev.problem ? <Figures f={dev.figures} testId="dev-figures" /> : null}
      {dev && !dev.problem && devOf !== source ? <div className="dim">(for an earlier text)</div> : null}
      {dev && !dev.problem && dev.results.some((r) => (r.judge === 'pass') !== r.human) ? (
        <details className="jd-disagree">
          <summary>Disagreements on dev</summary>
          <ul>
            {dev.results
              .filter((r) => (r.judge === 'pass') !== r.human)
              .map((r) => (
                <li key={r.traceId}>
                  <span className="mono">{r.traceId}</span> human {r.human ? 'pass' : 'fail'}, judge {r.judge}: {r.rationale}
                </li>
              ))}
          </ul>
        </details>
      ) : null}
      {test ? (
        <>
          <Figures f={test.figures} testId="test-figures" />
          <div className="dim jd-hint">
            Run once on {new Date(test.createdAt).toISOString().slice(0, 16).replace('T', ' ')} UTC with version {test.judgeHash.slice(0, 8)}
            {test.judgeHash !== judge.hash ? ' (the judge changed since: these figures are for the earlier version)' : ''}.
          </div>
        </>
      ) : (
        <div className="jd-row">
          <button type="button" className="button" disabled={dirty || testBusy} onClick={() => void runTest()} data-testid="run-test-split">
            {testBusy ? <span className="spinner" aria-hidden="true" /> : null}
            Run on the test split (once)
          </button>
          {dirty ? <span className="dim">save the judge first</span> : null}
        </div>
      )}
      {error ? (
        <div className="text-error" role="alert">
          {error}
        </div>
      ) : null}
    </section>
  );
}
