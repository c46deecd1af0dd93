import { useCallback, useEffect, useState } from 'react';
import type { JudgeRunView, VerdictDetail, VerdictRecord, VerdictStatus } from '../../shared/api';
import { traceHash } from '../app/router';
import { useApiEvents, useClient } from '../client/ClientContext';
import { downloadText, errorText, EvidenceLinks, runGateStatus, Transcript, VerdictBadge } from './parts';
import { formatDuration, formatScore } from '../util/format';

const PAGE = 200;

/** One judge run: progress (live), cancel, gate, export, and its verdicts with evidence links. */
export function RunView({ runId, onChanged }: { runId: number; onChanged(): void }) {
  const client = useClient();
  const [run, setRun] = useState<JudgeRunView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [judge, setJudge] = useState('');
  const [status, setStatus] = useState<VerdictStatus | ''>('');
  const [offset, setOffset] = useState(0);
  const [rows, setRows] = useState<{ rows: VerdictRecord[]; total: number }>({ rows: [], total: 0 });
  const [open, setOpen] = useState<{ v: VerdictRecord; detail: VerdictDetail | null } | null>(null);
  const [tick, setTick] = useState(0);

  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    let live = true;
    client.call('getJudgeRun', { runId }).then(
      (r) => live && (setRun(r), setError(r ? null : `no run ${runId}`)),
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [client, runId, tick]);

  useEffect(() => {
    let live = true;
    client
      .call('listVerdicts', { runId, judgeId: judge || undefined, status: status || undefined, limit: PAGE, offset })
      .then((r) => live && setRows(r), (e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [client, runId, judge, status, offset, tick]);

  useApiEvents((e) => {
    if (e.type === 'judge-run-progress' && e.progress.runId === runId) {
      setRun((r) => (r ? { ...r, ...e.progress, id: r.id } : r));
    } else if (e.type === 'judge-run-finished' && e.run.id === runId) {
      setRun(e.run);
      reload();
      onChanged();
    }
  });

  const cancel = async () => {
    try {
      await client.call('cancelJudgeRun', { runId });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const exportAs = async (format: 'json' | 'csv' | 'otel') => {
    try {
      const out = await client.call('exportVerdicts', { runId, format });
      downloadText(out.fileName, out.mimeType, out.content);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const showDetail = async (v: VerdictRecord) => {
    setOpen({ v, detail: null });
    try {
      const detail = await client.call('getVerdictDetail', { verdictId: v.id });
      setOpen((o) => (o && o.v.id === v.id ? { v, detail } : o));
    } catch (e) {
      setError(errorText(e));
    }
  };

  if (error && !run) return <div className="text-error pad">{error}</div>;
  if (!run) return <div className="dim pad">Loading…</div>;
  const pct = run.total ? Math.round((run.done / run.total) * 100) : 100;
  return (
    <div className="jd-run" data-testid="run-view" data-status={run.status}>
      <div className="jd-run-head">
        <div>
          <div className="jd-run-title">
            #{run.id} {run.name}
          </div>
          <div className="dim">
            {new Date(run.startedAt).toLocaleString()} · {run.judges.map((j) => j.name).join(', ')}
            {run.model ? ` · ${run.model}` : ''}
          </div>
        </div>
        <span className="spacer" />
        {run.active ? (
          <button type="button" className="button" onClick={() => void cancel()} data-testid="run-cancel">
            Cancel
          </button>
        ) : null}
        <button type="button" className="button ghost" onClick={() => void exportAs('json')}>
          JSON
        </button>
        <button type="button" className="button ghost" onClick={() => void exportAs('csv')}>
          CSV
        </button>
        <button type="button" className="button ghost" onClick={() => void exportAs('otel')} title="OpenTelemetry gen_ai.evaluation.result events (OTLP/JSON logs)">
          OTel
        </button>
      </div>
      <div className="jd-progress" role="progressbar" aria-valuenow={pct} aria-valuemin={0} aria-valuemax={100}>
        <div className="jd-progress-bar" style={{ width: `${pct}%` }} />
      </div>
      <div className="jd-counts" data-testid="run-counts">
        <span>{run.status}</span>
        <span>
          {run.done}/{run.total}
        </span>
        <span className="jd-pass">{run.passed} pass</span>
        <span className="jd-fail">{run.failed} fail</span>
        <span className="jd-error">{run.errored} error</span>
        <span className="dim">{run.cached} cached</span>
        {!run.active && run.status !== 'running' ? (
          run.gateFailures.length ? (
            <span className="text-error" data-testid="run-gate">
              gate failed{runGateStatus(run.gateFailures) === 'error' ? ' (errors only: the judges could not decide)' : ''}:{' '}
              {run.gateFailures.map((g) => g.name).join(', ')}
            </span>
          ) : (
            <span className="jd-pass" data-testid="run-gate">
              gate passed
            </span>
          )
        ) : null}
      </div>
      {run.error ? <div className="text-error">{run.error}</div> : null}
      {error ? <div className="text-error">{error}</div> : null}
      <div className="jd-filters">
        <select className="control" value={judge} onChange={(e) => (setJudge(e.currentTarget.value), setOffset(0))} aria-label="Judge">
          <option value="">all judges</option>
          {run.judges.map((j) => (
            <option key={j.id} value={j.id}>
              {j.name}
            </option>
          ))}
        </select>
        <select className="control" value={status} onChange={(e) => (setStatus(e.currentTarget.value as VerdictStatus | ''), setOffset(0))} aria-label="Status">
          <option value="">any status</option>
          <option value="pass">pass</option>
          <option value="fail">fail</option>
          <option value="error">error</option>
        </select>
        <span className="dim">
          {rows.total ? `${offset + 1}–${Math.min(offset + PAGE, rows.total)} of ${rows.total}` : 'no verdicts'}
        </span>
        <button type="button" className="button ghost" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
          ‹
        </button>
        <button type="button" className="button ghost" disabled={offset + PAGE >= rows.total} onClick={() => setOffset(offset + PAGE)}>
          ›
        </button>
      </div>
      <table className="jd-table" data-testid="verdict-table">
        <thead>
          <tr>
            <th>status</th>
            <th>judge</th>
            <th>trace</th>
            <th>score</th>
            <th>rationale / error</th>
            <th>evidence</th>
            <th>time</th>
          </tr>
        </thead>
        <tbody>
          {rows.rows.map((v) => (
            <tr key={v.id} className={open?.v.id === v.id ? 'on' : undefined} onClick={() => void showDetail(v)} data-testid="verdict-row">
              <td>
                <VerdictBadge status={v.status} />
                {v.cached ? <span className="dim" title="cached"> ◦</span> : null}
              </td>
              <td>{run.judges.find((j) => j.id === v.judgeId)?.name ?? v.judgeId}</td>
              <td>
                <a className="jd-trace-link" href={traceHash(v.traceId)} onClick={(e) => e.stopPropagation()} title={`trace ${v.traceId}`} data-testid="verdict-trace">
                  {v.traceName || v.traceId}
                </a>
              </td>
              <td className="mono">{v.score === null || v.score === undefined ? '' : formatScore(v.score)}</td>
              <td className={v.status === 'error' ? 'text-error jd-clip' : 'jd-clip'}>{v.status === 'error' ? v.error : v.rationale}</td>
              <td onClick={(e) => e.stopPropagation()}>
                <EvidenceLinks traceId={v.traceId} spanIds={v.evidenceSpanIds} />
              </td>
              <td className="mono">{formatDuration(v.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open ? (
        <div className="jd-detail" data-testid="verdict-detail">
          <div className="jd-row">
            <VerdictBadge status={open.v.status} />
            <a className="mono" href={traceHash(open.v.traceId)}>
              {open.v.traceId}
            </a>
            <span className="mono dim">judge {open.v.judgeHash.slice(0, 12)}</span>
            <span className="spacer" />
            <button type="button" className="button ghost" onClick={() => setOpen(null)}>
              Close
            </button>
          </div>
          <pre className="jd-pre">{open.v.status === 'error' ? open.v.error : open.v.rationale}</pre>
          {open.detail?.logs?.length ? <pre className="jd-pre">{open.detail.logs.join('\n')}</pre> : null}
          {open.detail?.transcript?.length ? <Transcript entries={open.detail.transcript} /> : null}
        </div>
      ) : null}
    </div>
  );
}
