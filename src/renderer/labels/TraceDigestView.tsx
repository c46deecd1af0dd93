import type { TraceDigest, TraceMetrics } from '../../shared/api';
import { StatusBadge } from '../library/StatusBadge';
import { MetricsBar } from '../trace/MetricsBar';
import { formatTimestamp } from '../util/format';

/** The compact, read-only summary a labeller judges from: task, answer, tool calls, errors. */
export function TraceDigestView({ digest, metrics }: { digest: TraceDigest; metrics: TraceMetrics | null }) {
  const s = digest.summary;
  // Each fact once: a Claude Code trace's format and service are both "claude-code".
  const facts = [...new Set([s.format, s.service, s.version ? `v${s.version}` : null, formatTimestamp(s.startMs)].filter((f): f is string => !!f))];
  return (
    <div className="lb-digest" data-testid="label-digest" data-trace-id={s.traceId}>
      <div className="lb-digest-head">
        <div className="lb-digest-title">
          <span className="lb-trace-name" data-testid="label-trace-name">
            {s.name}
          </span>
          <StatusBadge status={s.status} errors={s.errorCount} />
        </div>
        <div className="dim lb-facts">
          <span className="mono">{s.traceId}</span>
          {facts.map((f) => (
            <span key={f}>· {f}</span>
          ))}
        </div>
      </div>
      <div className="lb-metrics">
        <MetricsBar metrics={metrics} summary={s} />
      </div>
      <div className="lb-digest-body">
        <section className="lb-block">
          <h3 className="lb-block-title">Input</h3>
          {digest.input === null ? (
            <div className="dim">Not recorded in this trace.</div>
          ) : (
            <pre className="lb-text" data-testid="label-input">
              {digest.input}
            </pre>
          )}
        </section>
        <section className="lb-block">
          <h3 className="lb-block-title">Final output</h3>
          {digest.output === null ? (
            <div className="dim">Not recorded in this trace.</div>
          ) : (
            <pre className="lb-text" data-testid="label-output">
              {digest.output}
            </pre>
          )}
        </section>
        {digest.expected !== null ? (
          <section className="lb-block">
            <h3 className="lb-block-title">Expected (recorded target)</h3>
            <pre className="lb-text" data-testid="label-expected">
              {digest.expected}
            </pre>
          </section>
        ) : null}
        {digest.scores.length ? (
          <section className="lb-block">
            <h3 className="lb-block-title">Recorded scores</h3>
            <dl className="lb-scores" data-testid="label-scores">
              {digest.scores.map((sc) => (
                <div key={sc.name} className="lb-score" data-testid="label-score">
                  <dt className="mono">{sc.name}</dt>
                  <dd className="mono">{sc.value}</dd>
                  {sc.explanation ? <dd className="dim lb-score-why">{sc.explanation}</dd> : null}
                </div>
              ))}
            </dl>
          </section>
        ) : null}
        <section className="lb-block">
          <h3 className="lb-block-title">
            Tool calls <span className="dim">{digest.toolsTotal}</span>
            {s.toolErrors > 0 ? <span className="text-error"> · {s.toolErrors} failed</span> : null}
          </h3>
          {digest.tools.length === 0 ? <div className="dim">None.</div> : null}
          <ol className="lb-tools">
            {digest.tools.map((t) => (
              <li key={t.spanId} className={`lb-tool${t.isError ? ' error' : ''}`} data-testid="label-tool">
                <details>
                  <summary>
                    <span className={t.isError ? 'lb-tool-mark text-error' : 'lb-tool-mark ok'} aria-label={t.isError ? 'failed' : 'ok'}>
                      {t.isError ? '✕' : '✓'}
                    </span>
                    <span className="lb-tool-name mono">{t.name}</span>
                    <span className="lb-tool-args mono dim">{oneLine(t.arguments)}</span>
                    {t.isError ? <span className="lb-tool-error text-error">{oneLine(t.error ?? t.result)}</span> : null}
                  </summary>
                  <div className="lb-tool-detail">
                    <div className="lb-kv-label">Arguments</div>
                    <pre className="lb-text small">{t.arguments || '—'}</pre>
                    <div className="lb-kv-label">{t.isError ? 'Error' : 'Result'}</div>
                    <pre className={`lb-text small${t.isError ? ' text-error' : ''}`}>{(t.isError ? t.error || t.result : t.result) || '—'}</pre>
                  </div>
                </details>
              </li>
            ))}
          </ol>
          {digest.toolsTotal > digest.tools.length ? (
            <div className="dim">… {digest.toolsTotal - digest.tools.length} more (open the full trace with o)</div>
          ) : null}
        </section>
        {digest.errorsTotal > 0 ? (
          <section className="lb-block">
            <h3 className="lb-block-title text-error">Errors {digest.errorsTotal}</h3>
            <ul className="lb-errors">
              {digest.errors.map((e) => (
                <li key={e.spanId}>
                  <span className="mono">{e.name}</span> <span className="text-error">{e.message || 'error'}</span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </div>
    </div>
  );
}

function oneLine(s: string, max = 140): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
