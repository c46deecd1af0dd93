import { useEffect, useRef, useState } from 'react';
import type { TraceViewData } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { LIBRARY_HASH, navigate } from '../app/router';
import { buildModel, type TraceModel } from './model/traceModel';
import { TraceView } from './TraceView';
import { OPEN_MARK } from './marks';
import { loadTraceColumns } from './prefetch';
import { warmAnalysisWorker } from './analysisLoad';
import './traceView.css';

type Load =
  | { state: 'loading' }
  | { state: 'missing' }
  | { state: 'error'; message: string }
  | { state: 'ok'; data: TraceViewHeader; model: TraceModel };

/** What the view keeps of the answer besides the model: the encoded columns are dropped once decoded. */
type TraceViewHeader = Omit<TraceViewData, 'columns'>;

/**
 * Route #/trace/:traceId[/span/:spanId]. Loads the trace's span table as columns (one request,
 * no span bodies), builds the typed-array model, and hands over to TraceView. Reloads when live
 * OTLP spans or a re-import change the trace, keeping the selection.
 */
export function TraceViewRoute({ traceId, spanId }: { traceId: string; spanId: string | null }) {
  const client = useClient();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [version, setVersion] = useState(0);
  const selectedRef = useRef<string | null>(spanId);

  useState(() => {
    performance.clearMarks(OPEN_MARK);
    performance.mark(OPEN_MARK);
    return null;
  });

  // A staged trace (a file just opened, still being written): how far the write is, or why it failed.
  const staged = load.state === 'ok' && load.data.staged ? load.data.summary.sourceFile : null;
  const [write, setWrite] = useState<{ phase: 'writing' | 'preparing' } | { error: string }>({ phase: 'writing' });
  useApiEvents((e) => {
    if (e.type === 'traces-changed' && e.traceIds.includes(traceId)) setVersion((v) => v + 1);
    if (staged === null) return;
    if (e.type === 'import-published' && e.source === staged) setWrite({ phase: 'preparing' });
    if (e.type === 'import-finished' && e.outcome.source === staged && !e.outcome.ok)
      setWrite({ error: e.outcome.error ?? `${staged}: import failed` });
  });

  useEffect(() => {
    let live = true;
    warmAnalysisWorker(); // the view asks for the analysis from it as soon as it mounts
    loadTraceColumns(client, traceId).then(
      (data) => {
        if (!live) return;
        if (!data) return setLoad({ state: 'missing' });
        const { columns, ...header } = data;
        setLoad({ state: 'ok', data: header, model: buildModel(columns) });
      },
      (e: unknown) => live && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, traceId, version]);

  return (
    <div className="trace-route tv-route" data-testid="trace-route" data-state={load.state}>
      {load.state !== 'ok' ? (
        <div className="trace-route-bar">
          <button type="button" className="link-button" onClick={() => navigate(LIBRARY_HASH)}>
            ← Library
          </button>
        </div>
      ) : null}
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
      {staged !== null ? <StagedBar file={staged} write={write} /> : null}
      {load.state === 'ok' ? (
        <TraceView
          key={version}
          traceId={traceId}
          data={load.data}
          model={load.model}
          initialSpanId={selectedRef.current ?? spanId}
          routeSpanId={spanId}
          onSelectionChange={(id) => (selectedRef.current = id)}
        />
      ) : null}
    </div>
  );
}

/**
 * Over a trace shown from a file that is still being written: the write's progress, what comes
 * once it is stored, or why it failed (the workspace is then unchanged).
 */
function StagedBar({ file, write }: { file: string; write: { phase: 'writing' | 'preparing' } | { error: string } }) {
  if ('error' in write) {
    return (
      <div className="tv-staged failed" role="alert" data-testid="staged-bar">
        <span>Not saved: the workspace is unchanged.</span>
        <pre className="import-error">{write.error}</pre>
      </div>
    );
  }
  return (
    <div className="tv-staged" role="status" data-testid="staged-bar" data-phase={write.phase}>
      <div className="progress indeterminate" role="progressbar" aria-label={write.phase === 'writing' ? 'writing to the workspace' : 'preparing search'}>
        <div className="progress-fill" />
      </div>
      <span>
        {write.phase === 'writing' ? 'Writing ' : 'Stored; preparing search for '}
        <span className="mono untrusted">{file}</span>
        {write.phase === 'writing' ? ' to the workspace' : ''} — search in span text, notes, labels and judges once saved.
      </span>
    </div>
  );
}
