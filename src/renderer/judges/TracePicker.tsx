import { useEffect, useState } from 'react';
import type { TraceSummary } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { useDebounced } from '../util/useDebounced';
import { errorText } from './parts';

/**
 * The trace a new editor previews on: the newest with model or tool calls, which is what judges
 * look at; a bare trace (a log line, a health check) would make every starter judge say nothing.
 */
export function previewDefault<T extends Pick<TraceSummary, 'llmCalls' | 'toolCalls'>>(rows: readonly T[]): T | undefined {
  return rows.find((r) => r.llmCalls + r.toolCalls > 0) ?? rows[0];
}

/** Which trace the editor's live re-run uses: recent traces, filtered by a search text. */
export function TracePicker({ traceId, onChange }: { traceId: string | null; onChange(id: string | null): void }) {
  const client = useClient();
  const [text, setText] = useState('');
  const q = useDebounced(text, 250);
  const [rows, setRows] = useState<TraceSummary[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.call('listTraces', { text: q || undefined, limit: 200, sort: 'imported', dir: 'desc' }).then(
      (r) => {
        if (!live) return;
        setRows(r.rows);
        setError(null);
        const first = traceId ? null : previewDefault(r.rows);
        if (first) onChange(first.traceId);
      },
      (e: unknown) => live && setError(errorText(e)),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on a new query only; picking a trace (traceId, onChange) must not refetch the list
  }, [client, q]);

  const known = rows.some((r) => r.traceId === traceId);
  return (
    <div className="jd-trace-picker">
      <input className="control" placeholder="Find a trace…" value={text} onChange={(e) => setText(e.currentTarget.value)} aria-label="Find a trace" />
      <select
        className="control"
        value={traceId ?? ''}
        onChange={(e) => onChange(e.currentTarget.value || null)}
        aria-label="Trace to run the judge on"
        data-testid="judge-trace-select"
      >
        {!traceId ? <option value="">(no trace)</option> : null}
        {traceId && !known ? <option value={traceId}>{traceId}</option> : null}
        {rows.map((r) => (
          <option key={r.traceId} value={r.traceId}>
            {r.name.slice(0, 60)} · {r.spanCount} spans · {r.traceId.slice(0, 12)}
          </option>
        ))}
      </select>
      {error ? <span className="text-error">{error}</span> : null}
    </div>
  );
}
