import { useState } from 'react';
import { keepActivationKeys } from '../util/keys';
import { showControls } from '../util/untrustedText';
import { useTraceNotes, valueText, verdictClass } from './notes';

/**
 * Notes and scores of the trace, together: the human label (verdict, critique, failure modes)
 * and the scores, feedback, annotations and assessments that came with the trace's file
 * (Langfuse scores, Inspect scores, MLflow assessments …) with their pass / fail by the
 * documented mapping. A strip under the metrics; expanded, it shows each one's comment. Hidden
 * when there are none.
 */
export function RecordedEvaluationsPanel({ traceId, onSelectSpan }: { traceId: string; onSelectSpan(spanId: string): void }) {
  const notes = useTraceNotes(traceId);
  const [open, setOpen] = useState(false);
  if (!notes) return null;
  const { evaluations: evals, label } = notes;
  if (evals.length === 0 && !label) return null;
  const pass = evals.filter((e) => e.pass === true).length;
  const fail = evals.filter((e) => e.pass === false).length;
  return (
    <section className={`tv-evals${open ? ' open' : ''}`} data-testid="recorded-evaluations" aria-label="Notes and recorded scores" onKeyDown={keepActivationKeys}>
      <button type="button" className="tv-evals-head" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <span className="tv-evals-caret">{open ? '▾' : '▸'}</span>
        <span className="tv-evals-title">Notes &amp; scores</span>
        {label ? (
          <span className={`tv-eval-chip ${label.verdict === 'defer' ? 'none' : label.verdict}`} data-testid="label-chip" title={label.critique || undefined}>
            human: {label.verdict}
          </span>
        ) : null}
        {evals.length ? (
          <span className="dim">
            {pass} pass · {fail} fail{evals.length - pass - fail ? ` · ${evals.length - pass - fail} no verdict` : ''}
          </span>
        ) : null}
        <span className="tv-evals-chips">
          {evals.map((e, i) => (
            <span key={i} className={`tv-eval-chip ${e.pass === null ? 'none' : e.pass ? 'pass' : 'fail'}`} title={e.comment ?? undefined}>
              {e.name} {valueText(e.value)}
            </span>
          ))}
        </span>
      </button>
      {open ? (
        <table className="tv-evals-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Value</th>
              <th>Verdict</th>
              <th>Source</th>
              <th>Note</th>
            </tr>
          </thead>
          <tbody>
            {label ? (
              <tr data-testid="label-note">
                <td>human label</td>
                <td className="mono">{label.verdict}</td>
                <td>
                  <span className={`badge ${label.verdict === 'defer' ? 'badge-unset' : verdictClass(label.verdict === 'pass')}`}>{label.verdict}</span>
                </td>
                <td className="dim">{label.labeler || 'you'}</td>
                <td className="tv-evals-comment untrusted">
                  {showControls(label.critique)}
                  {label.failureModes.length ? <span className="dim"> · {label.failureModes.join(', ')}</span> : null}
                </td>
              </tr>
            ) : null}
            {evals.map((e, i) => (
              <tr key={i} data-testid="recorded-evaluation" data-pass={e.pass === null ? 'none' : String(e.pass)}>
                <td className="mono">
                  {e.spanId ? (
                    <button type="button" className="link-button" onClick={() => onSelectSpan(e.spanId!)} title="Show the span it is attached to">
                      {e.name}
                    </button>
                  ) : (
                    e.name
                  )}
                </td>
                <td className="mono">{valueText(e.value)}</td>
                <td>
                  <span className={`badge ${verdictClass(e.pass)}`}>{e.pass === null ? 'no verdict' : e.pass ? 'pass' : 'fail'}</span>
                </td>
                <td className="dim">{[e.source, e.author && e.author !== e.source.split(':').pop() ? e.author : null].filter(Boolean).join(' · ')}</td>
                <td className="tv-evals-comment untrusted">{showControls(e.comment ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
