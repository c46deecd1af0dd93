import { useEffect, useState } from 'react';
import type { TraceDetail } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { LIBRARY_HASH, navigate } from '../app/router';
import { formatDuration, formatInteger, formatTimestamp } from '../util/format';

type Load = { state: 'loading' } | { state: 'missing' } | { state: 'error'; message: string } | { state: 'ok'; trace: TraceDetail };

/**
 * Placeholder for the trace view (built separately): proves the route, the getTrace call and
 * the not-found path. Replace wholesale.
 */
export function TraceViewRoute({ traceId, spanId }: { traceId: string; spanId: string | null }) {
  const client = useClient();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [version, setVersion] = useState(0);

  useApiEvents((e) => {
    if (e.type === 'traces-changed' && e.traceIds.includes(traceId)) setVersion((v) => v + 1);
  });

  useEffect(() => {
    let live = true;
    client.call('getTrace', { traceId }).then(
      (trace) => live && setLoad(trace ? { state: 'ok', trace } : { state: 'missing' }),
      (e: unknown) => live && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, traceId, version]);

  return (
    <div className="trace-route" data-testid="trace-route">
      <div className="trace-route-bar">
        <button type="button" className="link-button" onClick={() => navigate(LIBRARY_HASH)}>
          ← Library
        </button>
      </div>
      {load.state === 'loading' ? <div className="dim pad">Loading trace…</div> : null}
      {load.state === 'missing' ? (
        <div className="empty-state">
          <div className="empty-title">Trace not found</div>
          <div className="mono dim">{traceId}</div>
        </div>
      ) : null}
      {load.state === 'error' ? (
        <pre className="import-error pad" role="alert">
          {load.message}
        </pre>
      ) : null}
      {load.state === 'ok' ? (
        <div className="pad">
          <h1 className="trace-title">{load.trace.summary.name || traceId}</h1>
          <dl className="facts">
            <dt>Trace id</dt>
            <dd className="mono">{traceId}</dd>
            <dt>Spans</dt>
            <dd data-testid="trace-span-count">{formatInteger(load.trace.spans.length)}</dd>
            <dt>Start</dt>
            <dd>{formatTimestamp(load.trace.summary.startMs)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(load.trace.summary.durationMs)}</dd>
            {spanId ? (
              <>
                <dt>Span</dt>
                <dd className="mono">{spanId}</dd>
              </>
            ) : null}
          </dl>
        </div>
      ) : null}
    </div>
  );
}
