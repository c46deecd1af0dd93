import { useEffect, useState } from 'react';
import type { AlignmentJudge, AlignmentReportView, LabelSplit } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { copyText } from '../trace/copy';
import { errorText } from './errorText';

type SplitChoice = LabelSplit | 'all';
const SPLITS: SplitChoice[] = ['all', 'train', 'dev', 'test'];
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * Judge alignment: a judge's latest verdicts against the human labels. TPR and TNR with their
 * counts, the confusion matrix, the bias-corrected pass rate θ with its bootstrap CI (or why it
 * cannot be computed), the disagreements side by side, and few-shot examples to copy.
 */
export function AlignmentView() {
  const client = useClient();
  const [judges, setJudges] = useState<AlignmentJudge[] | null>(null);
  const [judgeId, setJudgeId] = useState<string>(() => localStorage.getItem('tracedeck.labels.judge') ?? '');
  const [split, setSplit] = useState<SplitChoice>('all');
  const [report, setReport] = useState<AlignmentReportView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    client.call('alignmentJudges', {}).then(
      (js) => {
        setJudges(js);
        // Remembered judge if it is still there; else the first with pass/fail verdicts (a judge
        // whose verdicts are all errors has nothing to align with the labels).
        const usable = (j: AlignmentJudge) => j.decided === undefined || j.decided > 0;
        setJudgeId((cur) => (js.some((j) => j.id === cur) ? cur : ((js.find(usable) ?? js[0])?.id ?? '')));
      },
      (e: unknown) => setError(errorText(e)),
    );
  }, [client]);

  useEffect(() => {
    if (!judgeId) return;
    let live = true;
    setLoading(true);
    try {
      localStorage.setItem('tracedeck.labels.judge', judgeId);
    } catch {
      // not remembered
    }
    client.call('alignmentReport', { judgeId, split }).then(
      (r) => {
        if (!live) return;
        setReport(r);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(errorText(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [client, judgeId, split]);

  return (
    <div className="lb-align" data-testid="alignment-view" data-loading={loading ? 'true' : 'false'}>
      <div className="lb-queue-bar">
        <label className="lb-field">
          <span className="dim">Judge</span>
          <select
            className="control"
            value={judgeId}
            aria-label="Judge"
            data-testid="align-judge"
            onChange={(e) => setJudgeId(e.currentTarget.value)}
            disabled={!judges?.length}
          >
            {judges?.map((j) => (
              <option key={j.id} value={j.id}>
                {j.name === j.id ? j.id : `${j.name} (${j.id})`} · {j.verdicts} verdicts
                {j.decided === 0 ? ' (all errors)' : ''}
              </option>
            ))}
          </select>
        </label>
        <div className="lb-segmented" role="group" aria-label="Split">
          {SPLITS.map((s) => (
            <button
              key={s}
              type="button"
              className={`lb-seg${split === s ? ' on' : ''}`}
              aria-pressed={split === s}
              data-testid={`align-split-${s}`}
              onClick={() => setSplit(s)}
            >
              {s}
            </button>
          ))}
        </div>
        {loading ? <span className="spinner" aria-label="Loading" /> : null}
      </div>
      {error ? (
        <div className="text-error pad" role="alert">
          {error}
        </div>
      ) : null}
      {judges && judges.length === 0 ? (
        <div className="empty-state" data-testid="align-no-judges">
          <div className="empty-title">No judge verdicts yet</div>
          <div className="dim">Run a judge over the traces, then compare it with your labels here.</div>
        </div>
      ) : null}
      {report && judgeId ? <Report report={report} /> : null}
    </div>
  );
}

function Report({ report: r }: { report: AlignmentReportView }) {
  const c = r.counts;
  return (
    <div className="lb-report" data-testid="align-report">
      <div className="dim lb-report-counts" data-testid="align-counts">
        {c.labelled} labelled pass/fail{r.split === 'all' ? '' : ` in ${r.split}`} · {c.paired} paired with a verdict · {c.deferred}{' '}
        deferred and {c.judgeErrors} judge error{c.judgeErrors === 1 ? '' : 's'} excluded · {c.unjudged} without a verdict
      </div>
      <div className="lb-report-top">
        <section className="lb-card">
          <h3 className="lb-block-title">Agreement</h3>
          {r.agreement ? (
            <>
              <div className="lb-rates">
                <div className="lb-rate" data-testid="align-tpr">
                  <span className="lb-rate-label">TPR</span>
                  <span className="lb-rate-value">{pct(r.agreement.tpr)}</span>
                  <span className="dim">
                    {r.agreement.confusion.tp} of {r.agreement.humanPass} human passes
                  </span>
                </div>
                <div className="lb-rate" data-testid="align-tnr">
                  <span className="lb-rate-label">TNR</span>
                  <span className="lb-rate-value">{pct(r.agreement.tnr)}</span>
                  <span className="dim">
                    {r.agreement.confusion.tn} of {r.agreement.humanFail} human fails
                  </span>
                </div>
              </div>
              <table className="lb-confusion" data-testid="align-confusion">
                <thead>
                  <tr>
                    <th />
                    <th>judge pass</th>
                    <th>judge fail</th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th>human pass</th>
                    <td className="agree" data-testid="cm-tp">{r.agreement.confusion.tp}</td>
                    <td className="disagree" data-testid="cm-fn">{r.agreement.confusion.fn}</td>
                  </tr>
                  <tr>
                    <th>human fail</th>
                    <td className="disagree" data-testid="cm-fp">{r.agreement.confusion.fp}</td>
                    <td className="agree" data-testid="cm-tn">{r.agreement.confusion.tn}</td>
                  </tr>
                </tbody>
              </table>
            </>
          ) : (
            <div className="lb-error-box" role="alert" data-testid="align-agreement-error">
              {r.agreementError}
            </div>
          )}
        </section>
        <section className="lb-card">
          <h3 className="lb-block-title">Bias-corrected pass rate θ</h3>
          {r.theta ? (
            <div data-testid="align-theta">
              <div className="lb-rate">
                <span className="lb-rate-value big">{pct(r.theta.theta)}</span>
                <span>
                  {Math.round(r.theta.confidence * 100)}% CI {pct(r.theta.ci[0])} – {pct(r.theta.ci[1])}
                </span>
              </div>
              <div className="dim">
                The judge passes {pct(r.theta.pObs)} of {r.theta.unlabelled} unlabelled trace{r.theta.unlabelled === 1 ? '' : 's'}
                {r.theta.unlabelledErrors ? ` (${r.theta.unlabelledErrors} errors excluded)` : ''}; corrected for its TPR and TNR: θ
                = (p + TNR − 1) / (TPR + TNR − 1). {r.theta.resamples} bootstrap resamples
                {r.theta.skipped ? `, ${r.theta.skipped} degenerate skipped` : ''}.
              </div>
            </div>
          ) : (
            <div className="lb-error-box" role="alert" data-testid="align-theta-error">
              {r.thetaError}
            </div>
          )}
        </section>
        <section className="lb-card">
          <h3 className="lb-block-title">Splits</h3>
          <table className="lb-table compact" data-testid="align-splits">
            <thead>
              <tr>
                <th>split</th>
                <th className="num">pass</th>
                <th className="num">fail</th>
                <th className="num">defer</th>
                <th className="num">paired</th>
              </tr>
            </thead>
            <tbody>
              {r.splits.map((s) => (
                <tr key={s.split} className={s.split === r.split ? 'on' : undefined}>
                  <td>{s.split}</td>
                  <td className="num">{s.pass}</td>
                  <td className="num">{s.fail}</td>
                  <td className="num">{s.defer}</td>
                  <td className="num">{s.paired}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="dim">Train: few-shot examples · dev: tune the judge · test: report TPR/TNR once.</div>
        </section>
      </div>

      <section className="lb-section">
        <h3 className="lb-block-title">
          Disagreements <span className="dim">{r.disagreements.length}</span>
        </h3>
        {r.disagreements.length === 0 ? <div className="dim">None: the judge agrees with every paired label.</div> : null}
        <ul className="lb-disagreements">
          {r.disagreements.map((d) => (
            <li key={d.traceId} className="lb-disagreement" data-testid="align-disagreement" data-trace-id={d.traceId}>
              <div className="lb-dis-head">
                <button type="button" className="link-button" onClick={() => navigate(traceHash(d.traceId))}>
                  {d.traceName ?? d.traceId}
                </button>
                <span className="mono dim">{d.traceId}</span>
                {d.split ? <span className="dim">· {d.split}</span> : null}
              </div>
              <div className="lb-dis-sides">
                <div className="lb-dis-side">
                  <div className="lb-kv-label">
                    Human <span className={`lb-verdict-badge ${d.human}`}>{d.human}</span>
                  </div>
                  <div className="lb-dis-text">{d.critique || <span className="dim">no critique</span>}</div>
                  {d.failureModes.length ? (
                    <div className="lb-chips">
                      {d.failureModes.map((m) => (
                        <span key={m} className="lb-chip">
                          {m}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </div>
                <div className="lb-dis-side">
                  <div className="lb-kv-label">
                    Judge <span className={`lb-verdict-badge ${d.judge}`}>{d.judge}</span>
                  </div>
                  <div className="lb-dis-text">{d.rationale || <span className="dim">no rationale</span>}</div>
                </div>
              </div>
            </li>
          ))}
        </ul>
      </section>

      <FewShot report={r} />
    </div>
  );
}

function FewShot({ report: r }: { report: AlignmentReportView }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = (key: string, text: string) =>
    copyText(text).then(
      () => setCopied(key),
      () => setCopied(null),
    );
  const ex = r.fewShot.examples;
  return (
    <section className="lb-section" data-testid="align-fewshot">
      <h3 className="lb-block-title">
        Few-shot examples <span className="dim">{ex.length}</span>
        {ex.length ? (
          <button type="button" className="button lb-copy" onClick={() => void copy('all', r.fewShot.text)} data-testid="fewshot-copy-all">
            {copied === 'all' ? 'Copied ✓' : 'Copy all'}
          </button>
        ) : null}
      </h3>
      <div className="dim">
        {ex.length === 0
          ? 'Write critiques on labelled traces (train split) to get examples for the judge prompt.'
          : r.fewShot.from === 'train'
            ? 'From the train split, so dev and test stay unseen by the judge. Paste them into an LLM judge prompt.'
            : 'No train-split critiques yet, so these come from every split: do not measure the judge on them.'}
      </div>
      {ex.map((e) => (
        <div key={e.traceId} className="lb-example" data-testid="fewshot-example">
          <div className="lb-example-head">
            <span className={`lb-verdict-badge ${e.verdict}`}>{e.verdict}</span>
            <span className="mono dim">{e.traceId}</span>
            <span className="spacer" />
            <button type="button" className="button ghost" onClick={() => void copy(e.traceId, e.text)}>
              {copied === e.traceId ? 'Copied ✓' : 'Copy'}
            </button>
          </div>
          <pre className="lb-text small">{e.text}</pre>
        </div>
      ))}
    </section>
  );
}
