import { useEffect, useState } from 'react';
import type { RecordedEvaluation } from '../../shared/api';
import { useClient } from '../client/ClientContext';

/** A recorded value as short text: numbers trimmed, strings as they are, anything else as JSON. */
function valueText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 39)}…` : v;
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * Scores, feedback, annotations and assessments that came with the trace's file (Langfuse scores,
 * Inspect scores, MLflow assessments …), with their pass / fail by the documented mapping. A
 * strip under the metrics; expanded, it shows each one's comment. Hidden when there are none.
 */
export function RecordedEvaluationsPanel({ traceId, onSelectSpan }: { traceId: string; onSelectSpan(spanId: string): void }) {
  const client = useClient();
  const [evals, setEvals] = useState<RecordedEvaluation[] | null>(null);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    let live = true;
    client.call('getRecordedEvaluations', { traceId }).then(
      (e) => live && setEvals(e),
      () => live && setEvals([]),
    );
    return () => {
      live = false;
    };
  }, [client, traceId]);
  if (!evals || evals.length === 0) return null;
  const pass = evals.filter((e) => e.pass === true).length;
  const fail = evals.filter((e) => e.pass === false).length;
  return (
    <section className={`tv-evals${open ? ' open' : ''}`} data-testid="recorded-evaluations" aria-label="Recorded evaluations">
      <button type="button" className="tv-evals-head" onClick={() => setOpen((o) => !o)} aria-expanded={open}>
        <span className="tv-evals-caret">{open ? '▾' : '▸'}</span>
        <span className="tv-evals-title">Recorded evaluations</span>
        <span className="dim">
          {pass} pass · {fail} fail{evals.length - pass - fail ? ` · ${evals.length - pass - fail} no verdict` : ''}
        </span>
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
              <th>Comment</th>
            </tr>
          </thead>
          <tbody>
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
                  <span className={`badge ${e.pass === null ? 'badge-unset' : e.pass ? 'badge-ok' : 'badge-error'}`}>
                    {e.pass === null ? 'no verdict' : e.pass ? 'pass' : 'fail'}
                  </span>
                </td>
                <td className="dim">{[e.source, e.author && e.author !== e.source.split(':').pop() ? e.author : null].filter(Boolean).join(' · ')}</td>
                <td className="tv-evals-comment">{e.comment ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
