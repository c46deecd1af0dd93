import type { AnomalyCode, RootCause, RootCauseStep } from '../../shared/api';
import { KindIcon } from './kinds';

const ANOMALY_LABEL: Record<AnomalyCode, string> = {
  'error-status': 'error',
  exception: 'exception',
  'failed-tool-result': 'failed tool result',
  'empty-retrieval': 'empty retrieval',
  'empty-result': 'empty result',
  retry: 'retry',
};

const RELATION_LABEL: Record<RootCauseStep['relation'], string> = {
  self: 'this span',
  descendant: 'inside',
  'earlier-sibling': 'earlier',
  'requested-by': 'requested by',
  ancestor: 'ancestor',
};

export interface RootCausePanelProps {
  rootCause: RootCause | null;
  loading: boolean;
  error: string | null;
  step: number;
  targetName: string;
  /** Name and status of a span by id, for spans mentioned outside the chain (retries). */
  describe(spanId: string): { name: string; ok: boolean } | null;
  onStep(i: number): void;
  onSelectSpan(spanId: string): void;
  onClose(): void;
}

/**
 * Walks a failure back to where it started: the chain of anomalies (earliest first) that led to
 * the span under investigation. Step with [ and ] (or the buttons); each step selects its span.
 */
export function RootCausePanel(p: RootCausePanelProps) {
  const rc = p.rootCause;
  const n = rc?.steps.length ?? 0;
  return (
    <section className="root-cause" data-testid="root-cause" aria-label="Root cause">
      <header className="rc-head">
        <span className="rc-title">Root cause</span>
        <span className="dim">of</span>
        <span className="rc-target">{p.targetName}</span>
        <span className="spacer" />
        {rc && n ? (
          <>
            <button type="button" className="btn" disabled={p.step <= 0} onClick={() => p.onStep(p.step - 1)} title="Previous step ([)">
              ‹ Prev
            </button>
            <span className="rc-pos" data-testid="rc-position">
              step {p.step + 1} of {n}
            </span>
            <button type="button" className="btn" disabled={p.step >= n - 1} onClick={() => p.onStep(p.step + 1)} title="Next step (])">
              Next ›
            </button>
          </>
        ) : null}
        <button type="button" className="icon-button" onClick={p.onClose} aria-label="Close root cause" title="Close">
          ×
        </button>
      </header>
      {p.loading ? <div className="dim pad">Tracing the failure back…</div> : null}
      {p.error ? <pre className="import-error pad">{p.error}</pre> : null}
      {rc ? (
        <div className="rc-body">
          {rc.ancestors.length ? (
            <div className="rc-crumbs" aria-label="Ancestors">
              {rc.ancestors.map((a) => (
                <button key={a.spanId} type="button" className={`rc-crumb${a.anomalies.length ? ' bad' : ''}`} onClick={() => p.onSelectSpan(a.spanId)}>
                  <KindIcon kind={a.kind} size={12} />
                  {a.name}
                </button>
              ))}
            </div>
          ) : null}
          <ol className="rc-steps">
            {rc.steps.map((s, i) => (
              <li
                key={s.spanId}
                className={`rc-step${i === p.step ? ' active' : ''}${s.anomalies.length ? ' anomaly' : ''}${i === rc.firstAnomaly ? ' first' : ''}`}
                data-testid="rc-step"
                data-span-id={s.spanId}
                onClick={() => p.onStep(i)}
              >
                <div className="rc-step-head">
                  <span className="rc-num">{i + 1}</span>
                  <KindIcon kind={s.kind} size={13} />
                  <span className="rc-name">{s.name}</span>
                  <span className="rc-rel">{RELATION_LABEL[s.relation]}</span>
                  {i === rc.firstAnomaly ? <span className="tv-badge first-anomaly">earliest anomaly</span> : null}
                </div>
                {s.anomalies.map((a, k) => (
                  <div key={k} className={`rc-anomaly code-${a.code}`}>
                    <span className="rc-code">{ANOMALY_LABEL[a.code]}</span>
                    <span className="rc-msg">{a.message}</span>
                  </div>
                ))}
                {s.anomalies.length === 0 || s.relation === 'requested-by' ? <div className="rc-note dim">{s.note}</div> : null}
              </li>
            ))}
          </ol>
          {rc.retriedBy.length ? (
            <div className="rc-retried">
              Retried by{' '}
              {rc.retriedBy.map((id) => {
                const d = p.describe(id);
                return (
                  <button key={id} type="button" className="link-button" onClick={() => p.onSelectSpan(id)}>
                    {d ? `${d.name} (${id})${d.ok ? ' — succeeded' : ' — failed again'}` : id}
                  </button>
                );
              })}
            </div>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
