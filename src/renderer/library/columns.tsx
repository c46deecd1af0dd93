import type { ReactNode } from 'react';
import type { TraceSummary } from '../../shared/api';
import { baseName, formatCompact, formatCost, formatDuration, formatInteger, formatTimestamp, hasTokenUsage } from '../util/format';
import type { TraceSortField } from './filters';
import { StatusBadge } from './StatusBadge';
import { showControls } from '../util/untrustedText';

export interface Column {
  id: string;
  label: string;
  /** tooltip on the header */
  title: string;
  /** CSS grid track */
  width: string;
  align?: 'right';
  sort?: TraceSortField;
  /** Sort direction on first click: numbers are interesting largest-first. */
  firstDir?: 'asc' | 'desc';
  render(t: TraceSummary): ReactNode;
  /** Plain-text tooltip (full value of truncated cells). */
  tip?(t: TraceSummary): string | undefined;
}

// Every cell renders through React text nodes: trace content is untrusted and never becomes
// markup, a URL or a style.
export const COLUMNS: Column[] = [
  {
    id: 'name',
    label: 'Name',
    title: 'Trace name (service · version)',
    width: 'minmax(240px, 3fr)',
    sort: 'name',
    firstDir: 'asc',
    render: (t) => (
      <>
        <span className="cell-name">{showControls(t.name || t.traceId)}</span>
        {t.service ? (
          <span className="cell-sub">
            {showControls(t.service)}
            {t.version ? ` · ${showControls(t.version)}` : ''}
          </span>
        ) : null}
      </>
    ),
    tip: (t) => `${t.name}\ntrace ${t.traceId}${t.service ? `\nservice ${t.service}` : ''}${t.version ? ` ${t.version}` : ''}`,
  },
  {
    id: 'format',
    label: 'Format',
    title: 'Source format',
    width: '112px',
    sort: 'format',
    firstDir: 'asc',
    render: (t) => <span className="format-tag">{t.format}</span>,
  },
  {
    id: 'start',
    label: 'Start',
    title: 'Start time (local)',
    width: '148px',
    sort: 'start',
    firstDir: 'desc',
    render: (t) => formatTimestamp(t.startMs),
    tip: (t) => (t.startMs !== null ? new Date(t.startMs).toISOString() : undefined),
  },
  {
    id: 'duration',
    label: 'Duration',
    title: 'Wall-clock duration',
    width: '78px',
    align: 'right',
    sort: 'duration',
    firstDir: 'desc',
    render: (t) => formatDuration(t.durationMs),
  },
  {
    id: 'status',
    label: 'Run',
    title: "The run's outcome as the source states it",
    width: '84px',
    sort: 'status',
    firstDir: 'desc',
    render: (t) => <StatusBadge status={t.status} errors={t.errorCount} />,
  },
  {
    id: 'spans',
    label: 'Spans',
    title: 'Span count',
    // Wide enough for "1,000,000": counts are never cut.
    width: '84px',
    align: 'right',
    sort: 'spans',
    firstDir: 'desc',
    render: (t) => formatInteger(t.spanCount),
  },
  {
    id: 'llm',
    label: 'LLM',
    title: 'Model calls',
    width: '64px',
    align: 'right',
    sort: 'llmCalls',
    firstDir: 'desc',
    render: (t) => formatInteger(t.llmCalls),
  },
  {
    id: 'tools',
    label: 'Tools',
    title: 'Tool calls',
    width: '72px',
    align: 'right',
    sort: 'toolCalls',
    firstDir: 'desc',
    render: (t) => formatInteger(t.toolCalls),
  },
  {
    id: 'toolErrors',
    label: 'Tool err',
    title: 'Failed tool calls (the run may still have succeeded)',
    width: '70px',
    align: 'right',
    sort: 'toolErrors',
    firstDir: 'desc',
    render: (t) =>
      t.toolErrors > 0 ? (
        <span className="tool-errors" title={`${t.toolErrors} of ${t.toolCalls} tool calls failed`}>
          ✕{formatInteger(t.toolErrors)}
        </span>
      ) : (
        <span className="dim">0</span>
      ),
  },
  {
    id: 'evals',
    label: 'Evals',
    title: 'Evaluations recorded in the file (scores, feedback, assessments): pass / fail',
    width: '70px',
    align: 'right',
    sort: 'evalFail',
    firstDir: 'desc',
    render: (t) =>
      t.evalPass + t.evalFail === 0 ? (
        <span className="dim">—</span>
      ) : (
        <span title={`${t.evalPass} pass, ${t.evalFail} fail`}>
          <span className="eval-pass">✓{t.evalPass}</span> {t.evalFail > 0 ? <span className="tool-errors">✕{t.evalFail}</span> : <span className="dim">✕0</span>}
        </span>
      ),
  },
  {
    id: 'tokens',
    label: 'Tokens in / out',
    title: 'Input / output tokens',
    width: '118px',
    align: 'right',
    sort: 'tokens',
    firstDir: 'desc',
    render: (t) =>
      hasTokenUsage(t.inputTokens, t.outputTokens) ? (
        <>
          {formatCompact(t.inputTokens)}
          <span className="dim"> / </span>
          {formatCompact(t.outputTokens)}
        </>
      ) : (
        <span className="dim">—</span>
      ),
    tip: (t) => (hasTokenUsage(t.inputTokens, t.outputTokens) ? `${formatInteger(t.inputTokens)} in / ${formatInteger(t.outputTokens)} out` : 'no token usage recorded'),
  },
  {
    id: 'cost',
    label: 'Cost',
    title: 'Recorded cost (USD)',
    // "$0.000323": three significant digits of a small cost.
    width: '88px',
    align: 'right',
    sort: 'cost',
    firstDir: 'desc',
    render: (t) => (t.costUsd === null ? <span className="dim">—</span> : formatCost(t.costUsd)),
  },
  {
    id: 'source',
    label: 'Source file',
    title: 'File the trace was imported from',
    width: 'minmax(160px, 2fr)',
    render: (t) => <span className="cell-source">{baseName(t.sourceFile)}</span>,
    tip: (t) => t.sourceFile,
  },
  {
    id: 'session',
    label: 'Session',
    title: 'Session / conversation id: the trace is a turn of that thread (Sessions page)',
    width: 'minmax(96px, 1fr)',
    render: (t) => (t.sessionId ? <span className="cell-session mono">{showControls(t.sessionId)}</span> : <span className="dim">—</span>),
    tip: (t) => t.sessionId ?? undefined,
  },
];

export const GRID_TEMPLATE = COLUMNS.map((c) => c.width).join(' ');
