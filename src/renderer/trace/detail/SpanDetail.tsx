import { useEffect, useRef, useState } from 'react';
import type { RecordedEvaluation, Span } from '../../../shared/api';
import { formatCompact, formatCost, formatDuration, formatTimestamp, formatTokens } from '../../util/format';
import { KIND_LABELS, KindIcon } from '../kinds';
import { STATUS_ERROR, STATUS_OK, kindOf, nameOf, type TraceModel } from '../model/traceModel';
import { copyText } from '../copy';
import { Conversation } from './Conversation';
import { JsonView } from './JsonView';
import { ToolCallView, ValueView } from './ToolCallView';
import { showControls } from '../../util/untrustedText';
import { keepActivationKeys } from '../../util/keys';
import { DocumentsView } from './DocumentsView';
import { LinkConfirmProvider } from './LinkConfirm';
import { SpanNotes } from './SpanNotes';
import { useTraceNotes, valueText } from '../notes';
import './content.css';
import { SpanReplayActions } from '../../insights/SpanReplayActions';

type Tab = 'messages' | 'documents' | 'tool' | 'io' | 'notes' | 'attributes' | 'events' | 'json';

export interface SpanDetailProps {
  model: TraceModel;
  row: number;
  span: Span | null;
  loading: boolean;
  error: string | null;
  onRootCause: (() => void) | null;
  onFocusTimeline: () => void;
  onCopyLink: () => void;
  onClose: () => void;
}

function defaultTab(span: Span | null): Tab {
  if (!span) return 'attributes';
  if (span.inputMessages?.length || span.outputMessages?.length) return 'messages';
  if (span.documents?.length) return 'documents';
  if (span.toolCall) return 'tool';
  if (span.input !== undefined || span.output !== undefined) return 'io';
  return 'attributes';
}

/** The selected span: header facts, then its content by kind, attributes, events, raw JSON. */
export function SpanDetail(p: SpanDetailProps) {
  const { model: m, row: r, span } = p;
  const [tab, setTab] = useState<Tab>(() => defaultTab(span));
  const [copied, setCopied] = useState<string | null>(null);
  const spanId = m.spanId[r]!;
  // The trace id comes with the span body; keep the last one while the next body loads.
  const lastTraceId = useRef<string | null>(null);
  if (span) lastTraceId.current = span.traceId;
  const notes = useTraceNotes(lastTraceId.current);
  const spanEvals = notes?.evaluations.filter((e) => e.spanId === spanId) ?? [];

  // A new span opens on the tab that fits it.
  useEffect(() => {
    setTab(defaultTab(span));
  }, [span?.spanId, span]);

  useEffect(() => {
    if (!copied) return;
    const t = setTimeout(() => setCopied(null), 1500);
    return () => clearTimeout(t);
  }, [copied]);

  const kind = kindOf(m, r);
  const isError = m.status[r] === STATUS_ERROR;
  const statusName = isError ? 'error' : m.status[r] === STATUS_OK ? 'ok' : 'unset';
  const dur = m.end[r]! - m.start[r]!;
  const tabs: { id: Tab; label: string; show: boolean }[] = [
    { id: 'messages', label: 'Messages', show: !!(span?.inputMessages?.length || span?.outputMessages?.length) },
    { id: 'documents', label: `Documents${span?.documents ? ` (${span.documents.length})` : ''}`, show: !!span?.documents?.length },
    { id: 'tool', label: 'Tool call', show: !!span?.toolCall },
    { id: 'io', label: 'Input / output', show: span?.input !== undefined || span?.output !== undefined },
    { id: 'notes', label: `Notes & scores (${spanEvals.length})`, show: spanEvals.length > 0 },
    { id: 'attributes', label: `Attributes${span ? ` (${Object.keys(span.attributes).length})` : ''}`, show: true },
    { id: 'events', label: `Events${span ? ` (${span.events.length})` : ''}`, show: true },
    { id: 'json', label: 'JSON', show: true },
  ];
  const u = span?.usage;

  return (
    <aside className="span-detail" data-testid="span-detail" aria-label="Span detail" onKeyDown={keepActivationKeys}>
      <header className="sd-head">
        <div className="sd-title">
          <KindIcon kind={kind} size={16} />
          <span className="sd-name" title={nameOf(m, r)}>
            {nameOf(m, r)}
          </span>
          <span className={`status-pill ${statusName}`} data-testid="detail-status">
            {statusName}
          </span>
          <span className="spacer" />
          <button type="button" className="icon-button" onClick={p.onClose} title="Close (Esc)" aria-label="Close detail">
            ×
          </button>
        </div>
        <dl className="sd-facts">
          <div>
            <dt>Kind</dt>
            <dd>
              {KIND_LABELS[kind]}
              {span?.sourceKind ? <span className="dim"> · {span.sourceKind}</span> : null}
            </dd>
          </div>
          <div>
            <dt>Duration</dt>
            <dd>{Number.isNaN(dur) ? 'open' : formatDuration(dur)}</dd>
          </div>
          <div>
            <dt>Start</dt>
            <dd title={formatTimestamp(m.t0 + m.start[r]!)}>+{formatDuration(m.start[r]! - m.startMs)}</dd>
          </div>
          {span?.model ? (
            <div className="span2">
              <dt>Model</dt>
              <dd>
                <span className="untrusted">{showControls(span.model)}</span>
                {span.provider ? <span className="dim untrusted"> · {showControls(span.provider)}</span> : null}
              </dd>
            </div>
          ) : null}
          {u ? (
            <div className="span2">
              <dt>Tokens</dt>
              <dd>
                {formatTokens(u.inputTokens, u.outputTokens)}
                {u.cacheReadTokens ? <span className="dim"> · {formatCompact(u.cacheReadTokens)} cached</span> : null}
                {u.reasoningTokens ? <span className="dim"> · {formatCompact(u.reasoningTokens)} reasoning</span> : null}
              </dd>
            </div>
          ) : null}
          {u?.costUsd !== undefined ? (
            <div>
              <dt>Cost</dt>
              <dd>{formatCost(u.costUsd)}</dd>
            </div>
          ) : null}
          <div className="wide">
            <dt>Span id</dt>
            <dd className="mono">{spanId}</dd>
          </div>
        </dl>
        {span?.statusMessage && isError ? (
          <div className="sd-status-message" role="alert">
            {span.statusMessage}
          </div>
        ) : null}
        {spanEvals.length ? (
          <button type="button" className="sd-notes-strip" onClick={() => setTab('notes')} data-testid="span-notes-strip" title="Notes and scores recorded for this span">
            <span className="dim">Scores</span>
            {spanEvals.map((e, i) => (
              <span key={i} className={`tv-eval-chip ${e.pass === null ? 'none' : e.pass ? 'pass' : 'fail'}`}>
                {e.name} {valueText(e.value)}
              </span>
            ))}
          </button>
        ) : null}
        <div className="sd-actions">
          <button
            type="button"
            className="btn"
            disabled={!span}
            onClick={() => span && copyText(JSON.stringify(span, null, 2)).then(() => setCopied('JSON'))}
            data-testid="copy-json"
          >
            Copy as JSON
          </button>
          <button type="button" className="btn" onClick={() => (p.onCopyLink(), setCopied('link'))}>
            Copy link
          </button>
          <button type="button" className="btn" onClick={p.onFocusTimeline} title="Zoom the timeline to this span (f)">
            Zoom to span
          </button>
          {p.onRootCause ? (
            <button type="button" className="btn btn-error" onClick={p.onRootCause} title="Root cause (r)" data-testid="open-root-cause">
              Root cause…
            </button>
          ) : null}
          {span ? <SpanReplayActions span={span} /> : null}
          {copied ? <span className="dim">copied {copied}</span> : null}
        </div>
      </header>
      <nav className="sd-tabs" role="tablist">
        {tabs
          .filter((t) => t.show)
          .map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              className={`sd-tab${tab === t.id ? ' active' : ''}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
      </nav>
      <div className="sd-body" role="tabpanel">
        {p.error ? <pre className="import-error">{p.error}</pre> : null}
        {!span && p.loading ? <div className="dim pad">Loading span…</div> : null}
        <LinkConfirmProvider>{span ? <TabBody tab={tab} span={span} notes={spanEvals} /> : null}</LinkConfirmProvider>
      </div>
    </aside>
  );
}

function TabBody({ tab, span, notes }: { tab: Tab; span: Span; notes: RecordedEvaluation[] }) {
  switch (tab) {
    case 'messages':
      return <Conversation input={span.inputMessages ?? []} output={span.outputMessages ?? []} />;
    case 'documents':
      return <DocumentsView documents={span.documents ?? []} />;
    case 'notes':
      return <SpanNotes evaluations={notes} />;
    case 'tool':
      return span.toolCall ? <ToolCallView call={span.toolCall} /> : null;
    case 'io':
      return (
        <div className="io-view">
          <div className="tool-call-label">Input</div>
          <ValueView value={span.input} emptyText="(none)" />
          <div className="tool-call-label">Output</div>
          <ValueView value={span.output} emptyText="(none)" />
        </div>
      );
    case 'attributes':
      return Object.keys(span.attributes).length ? (
        <JsonView value={span.attributes} expandDepth={1} sortKeys />
      ) : (
        <div className="dim pad">No attributes</div>
      );
    case 'events':
      return span.events.length ? (
        <div className="events">
          {span.events.map((e, i) => (
            <div key={i} className={`event${e.name === 'exception' ? ' exception' : ''}`}>
              <div className="event-head">
                <span className="event-name">{e.name || '(unnamed)'}</span>
                {e.timeMs !== undefined ? <span className="dim">{formatTimestamp(e.timeMs)}</span> : null}
              </div>
              <JsonView value={e.attributes} expandDepth={1} />
            </div>
          ))}
        </div>
      ) : (
        <div className="dim pad">No events</div>
      );
    case 'json':
      return <JsonView value={span} expandDepth={1} />;
  }
}
