import type { JudgePreview, TranscriptEntry, VerdictStatus } from '../../shared/api';
import { traceHash } from '../app/router';
import { formatDuration, formatScore } from '../util/format';

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function VerdictBadge({ status }: { status: VerdictStatus | 'running' }) {
  return (
    <span className={`jd-badge jd-${status}`} data-testid="verdict-status">
      {status}
    </span>
  );
}

/**
 * A finished run's badge. A gate broken only by errors is 'error', not 'fail': the judges could
 * not decide (no model, a timeout, a throw), which is a different thing to fix than a failure.
 */
export function runGateStatus(gateFailures: readonly { failed: number }[]): VerdictStatus {
  if (!gateFailures.length) return 'pass';
  return gateFailures.some((g) => g.failed > 0) ? 'fail' : 'error';
}

/** Evidence span ids as deep links into the trace view. */
export function EvidenceLinks({ traceId, spanIds }: { traceId: string; spanIds: string[] }) {
  if (!spanIds.length) return <span className="dim">—</span>;
  return (
    <span className="jd-evidence">
      {spanIds.map((id) => (
        <a key={id} className="jd-span-link mono" href={traceHash(traceId, id)} data-testid="evidence-link" title={`Open span ${id}`}>
          {id}
        </a>
      ))}
    </span>
  );
}

export function Transcript({ entries }: { entries: TranscriptEntry[] }) {
  return (
    <ol className="jd-transcript" data-testid="transcript">
      {entries.map((e, i) => (
        <li key={i} className={`jd-turn jd-turn-${e.role}`}>
          <div className="jd-turn-head">
            <span className="jd-role">{e.role}</span>
            {e.name ? <span className="mono dim">{e.name}</span> : null}
          </div>
          {e.content ? <pre className="jd-pre">{e.content}</pre> : null}
          {e.toolCalls?.map((c) => (
            <div key={c.id} className="mono jd-call">
              → {c.name}({c.arguments})
            </div>
          ))}
        </li>
      ))}
    </ol>
  );
}

/** The live re-run result next to the editor. */
export function PreviewPanel({
  traceId,
  preview,
  busy,
  current,
}: {
  traceId: string | null;
  preview: JudgePreview | null;
  busy: boolean;
  /** The preview was computed from the editor's text as it is now (not an earlier text). */
  current: boolean;
}) {
  if (!traceId) return <div className="dim pad">Pick a trace to run the judge on.</div>;
  if (!preview) return <div className="dim pad">{busy ? 'Running…' : 'No result yet.'}</div>;
  return (
    <div className="jd-preview" data-testid="judge-preview" aria-busy={busy} data-current={current ? 'true' : 'false'}>
      <div className="jd-preview-head">
        <VerdictBadge status={preview.status} />
        {preview.score !== undefined ? <span className="mono" data-testid="preview-score">
            score {formatScore(preview.score)}
          </span> : null}
        {preview.model ? <span className="mono dim">{preview.model}</span> : null}
        <span className="spacer" />
        <span className="mono dim" title="judge time / whole round trip">
          {formatDuration(preview.durationMs)} / {formatDuration(preview.totalMs)}
        </span>
        {busy ? <span className="spinner" aria-hidden="true" /> : null}
      </div>
      {preview.error ? (
        <pre className="jd-pre text-error" data-testid="preview-error">
          {preview.error}
        </pre>
      ) : null}
      {preview.rationale ? (
        <pre className="jd-pre" data-testid="preview-rationale">
          {preview.rationale}
        </pre>
      ) : null}
      <div className="jd-row">
        <span className="dim">Evidence</span>
        <EvidenceLinks traceId={traceId} spanIds={preview.evidenceSpanIds} />
      </div>
      {preview.diagnostics.length ? (
        <ul className="jd-diags">
          {preview.diagnostics.map((d, i) => (
            <li key={i} className="text-error mono">
              {d.line}:{d.column} {d.message}
            </li>
          ))}
        </ul>
      ) : null}
      {preview.logs?.length ? (
        <details open>
          <summary>console ({preview.logs.length})</summary>
          <pre className="jd-pre" data-testid="preview-logs">
            {preview.logs.join('\n')}
          </pre>
        </details>
      ) : null}
      {preview.transcript?.length ? (
        <details>
          <summary>transcript ({preview.transcript.length} messages)</summary>
          <Transcript entries={preview.transcript} />
        </details>
      ) : null}
      {preview.renderedPrompt ? (
        <details>
          <summary>prompt sent</summary>
          <pre className="jd-pre">{preview.renderedPrompt}</pre>
        </details>
      ) : null}
    </div>
  );
}

export function downloadText(fileName: string, mimeType: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
