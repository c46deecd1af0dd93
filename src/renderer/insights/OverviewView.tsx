import { scaleBand, scaleLinear } from 'd3-scale';
import { useEffect, useMemo, useState, type KeyboardEvent as ReactKeyboardEvent, type ReactNode } from 'react';
import type { Histogram, HistogramMetric, JudgePassRatePoint, OverviewData, TimeBucket, TraceQuery } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { formatCompact, formatCost, formatDuration, formatInteger, formatTimestamp } from '../util/format';
import { currentLibraryFilter, openLibraryWith } from '../library/libraryLink';
import './insights.css';

/**
 * Overview: distributions (latency, tokens, cost, tool calls), trends (failed runs and tool
 * errors per time bucket) and judge pass rates across runs, over the whole library or the
 * library's current filter. Scales are d3's; the marks are SVG elements React renders, so every
 * bar and point is a focusable control: Enter (or a click) opens its traces in the library.
 */

const METRIC_LABEL: Record<HistogramMetric, string> = { duration: 'Latency', tokens: 'Tokens', cost: 'Cost', toolCalls: 'Tool calls' };
const METRIC_FORMAT: Record<HistogramMetric, (v: number) => string> = {
  duration: (v) => formatDuration(v),
  tokens: (v) => formatCompact(v),
  cost: (v) => formatCost(v),
  toolCalls: (v) => formatInteger(v),
};

type Scope = 'library' | 'filter';

export function OverviewView() {
  const client = useClient();
  const [filter] = useState(() => currentLibraryFilter());
  const [scope, setScope] = useState<Scope>(filter.active > 0 ? 'filter' : 'library');
  const [data, setData] = useState<OverviewData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useApiEvents((e) => {
    if (e.type === 'traces-changed' || e.type === 'judge-run-finished') setVersion((v) => v + 1);
  });
  const base: TraceQuery = scope === 'filter' ? filter.query : {};
  const baseKey = JSON.stringify(base);

  useEffect(() => {
    let live = true;
    client.call('overview', { filter: JSON.parse(baseKey) as TraceQuery }).then(
      (d) => live && (setData(d), setError(null)),
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
    };
  }, [client, baseKey, version]);

  const open = (label: string, query: TraceQuery) => openLibraryWith({ label, query, keepFilters: scope === 'filter' });

  return (
    <div className="ins-page ins-overview" data-testid="overview-page">
      <header className="ins-head">
        <h1 className="ins-title">Overview</h1>
        <div className="ins-seg" role="radiogroup" aria-label="Traces to summarise">
          <button type="button" role="radio" aria-checked={scope === 'library'} className={scope === 'library' ? 'on' : ''} onClick={() => setScope('library')} data-testid="scope-library">
            Whole library
          </button>
          <button
            type="button"
            role="radio"
            aria-checked={scope === 'filter'}
            className={scope === 'filter' ? 'on' : ''}
            disabled={filter.active === 0}
            title={filter.active === 0 ? 'The library has no filter on' : 'The traces the library shows now'}
            onClick={() => setScope('filter')}
            data-testid="scope-filter"
          >
            Library filter{filter.active ? ` (${filter.active})` : ''}
          </button>
        </div>
        <span className="dim" data-testid="overview-total">
          {data ? `${formatInteger(data.total)} trace${data.total === 1 ? '' : 's'}` : 'Loading…'}
        </span>
        <span className="spacer" />
        <span className="dim">
          Every bar and point opens its traces: <kbd>Tab</kbd> to a chart, <kbd>←</kbd>
          <kbd>→</kbd> move, <kbd>↵</kbd> open
        </span>
      </header>
      {error ? (
        <div className="text-error pad" role="alert">
          {error}
        </div>
      ) : null}
      {data && data.total === 0 ? <div className="empty-state"><div className="empty-title">No traces to summarise</div></div> : null}
      {data && data.total > 0 ? (
        <div className="ins-charts">
          {data.histograms.map((h) => (
            <HistogramChart key={h.metric} h={h} onOpen={open} />
          ))}
          <TrendChart buckets={data.trend.buckets} unit={data.trend.unit} onOpen={open} />
          <PassRateChart points={data.passRates} onOpen={open} />
        </div>
      ) : null}
    </div>
  );
}

const W = 440;
const H = 170;
const M = { top: 12, right: 12, bottom: 34, left: 40 };

/** ←/→ (and Home/End) move between the focusable marks of one chart. */
function moveFocus(e: ReactKeyboardEvent<SVGSVGElement>) {
  if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
  const marks = Array.from(e.currentTarget.querySelectorAll<SVGElement>('[data-mark]'));
  const i = marks.indexOf(document.activeElement as SVGElement);
  const next = e.key === 'Home' ? 0 : e.key === 'End' ? marks.length - 1 : i + (e.key === 'ArrowRight' ? 1 : -1);
  const target = marks[Math.max(0, Math.min(marks.length - 1, next))];
  if (target) {
    e.preventDefault();
    target.focus();
  }
}

/** A focusable SVG mark that opens traces on click, Enter or Space. */
function Mark({ label, onOpen, children, testId }: { label: string; onOpen: () => void; children: ReactNode; testId?: string }) {
  return (
    <g
      tabIndex={0}
      role="button"
      aria-label={label}
      className="ins-mark"
      data-mark=""
      data-testid={testId}
      onClick={onOpen}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onOpen();
        }
      }}
    >
      <title>{label}</title>
      {children}
    </g>
  );
}

function Card({ title, sub, children, testId }: { title: string; sub?: string; children: ReactNode; testId: string }) {
  return (
    <section className="ins-card" data-testid={testId} aria-label={title}>
      <header className="ins-card-head">
        <h2>{title}</h2>
        {sub ? <span className="dim">{sub}</span> : null}
      </header>
      {children}
    </section>
  );
}

function HistogramChart({ h, onOpen }: { h: Histogram; onOpen: (label: string, q: TraceQuery) => void }) {
  const fmt = METRIC_FORMAT[h.metric];
  const name = METRIC_LABEL[h.metric];
  const x = useMemo(() => scaleBand<number>().domain(h.bins.map((_, i) => i)).range([M.left, W - M.right]).paddingInner(0.12), [h.bins]);
  const max = Math.max(1, ...h.bins.map((b) => b.count));
  const y = scaleLinear().domain([0, max]).nice().range([H - M.bottom, M.top]);
  const integerBins = h.metric === 'toolCalls' && h.bins.every((b) => b.hi - b.lo === 1);
  const binLabel = (lo: number, hi: number, last: boolean) =>
    integerBins ? fmt(lo) : lo === hi ? fmt(lo) : `${fmt(lo)} – ${fmt(hi)}${last ? '' : ' (excl.)'}`;
  const sub = `${h.scale === 'log' ? 'log bins · ' : ''}${h.missing ? `${formatInteger(h.missing)} without a value` : ''}`;
  const every = Math.max(1, Math.ceil(h.bins.length / 6));
  return (
    <Card title={name} sub={sub || undefined} testId={`hist-${h.metric}`}>
      {h.bins.length === 0 ? (
        <div className="dim pad">No trace has a {name.toLowerCase()} value.</div>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} className="ins-svg" onKeyDown={moveFocus} role="group" aria-label={`${name} histogram`}>
          {/* counts are whole: no 0.5 tick (it would read "1" twice) */}
          {y.ticks(Math.min(4, max)).filter(Number.isInteger).map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="ins-grid" />
              <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" className="ins-axis">
                {formatCompact(t)}
              </text>
            </g>
          ))}
          {h.bins.map((b, i) => {
            const last = i === h.bins.length - 1;
            const label = `${name} ${binLabel(b.lo, b.hi, last)}: ${formatInteger(b.count)} trace${b.count === 1 ? '' : 's'}`;
            const bar = (
              <rect x={x(i)} width={x.bandwidth()} y={y(b.count)} height={Math.max(0, y(0) - y(b.count))} className="ins-bar" />
            );
            return b.count > 0 ? (
              <Mark key={i} label={label} onOpen={() => onOpen(`${name} ${binLabel(b.lo, b.hi, last)}`, { ranges: b.ranges })} testId={`bar-${h.metric}`}>
                {/* a full-height hit area: thin bars stay easy to click */}
                <rect x={x(i)} width={x.bandwidth()} y={M.top} height={H - M.bottom - M.top} className="ins-hit" />
                {bar}
              </Mark>
            ) : (
              <g key={i}>{bar}</g>
            );
          })}
          {h.bins.map((b, i) =>
            i % every === 0 || i === h.bins.length - 1 ? (
              <text key={i} x={(x(i) ?? 0) + (integerBins ? x.bandwidth() / 2 : 0)} y={H - M.bottom + 14} textAnchor={integerBins ? 'middle' : 'start'} className="ins-axis">
                {fmt(b.lo)}
              </text>
            ) : null,
          )}
        </svg>
      )}
    </Card>
  );
}

function TrendChart({ buckets, unit, onOpen }: { buckets: TimeBucket[]; unit: string; onOpen: (label: string, q: TraceQuery) => void }) {
  const x = scaleBand<number>().domain(buckets.map((_, i) => i)).range([M.left, W - M.right]).paddingInner(0.15);
  const maxN = Math.max(1, ...buckets.map((b) => b.traces));
  const yN = scaleLinear().domain([0, maxN]).nice().range([H - M.bottom, M.top]);
  const yR = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const cx = (i: number) => (x(i) ?? 0) + x.bandwidth() / 2;
  const when = (b: TimeBucket) => `${formatTimestamp(b.startMs)} (+${unit})`;
  const failed = buckets.map((b, i) => ({ i, b, r: b.traces ? b.failedRuns / b.traces : null }));
  const tool = buckets.map((b, i) => ({ i, b, r: b.toolCalls ? b.toolErrors / b.toolCalls : null }));
  const path = (pts: { i: number; r: number | null }[]) =>
    pts
      .filter((p) => p.r !== null)
      .map((p, k) => `${k ? 'L' : 'M'}${cx(p.i)},${yR(p.r!)}`)
      .join('');
  const pct = (r: number) => `${Math.round(r * 1000) / 10}%`;
  const every = Math.max(1, Math.ceil(buckets.length / 4));
  return (
    <Card title="Failed runs and tool errors over time" sub={unit ? `per ${unit}` : undefined} testId="trend">
      {buckets.length === 0 ? (
        <div className="dim pad">No trace has a start time.</div>
      ) : (
        <>
          <svg viewBox={`0 0 ${W} ${H}`} className="ins-svg" onKeyDown={moveFocus} role="group" aria-label="Trend">
            {[0, 0.5, 1].map((t) => (
              <g key={t}>
                <line x1={M.left} x2={W - M.right} y1={yR(t)} y2={yR(t)} className="ins-grid" />
                <text x={M.left - 4} y={yR(t)} dy="0.32em" textAnchor="end" className="ins-axis">
                  {pct(t)}
                </text>
              </g>
            ))}
            {buckets.map((b, i) =>
              b.traces > 0 ? (
                <Mark key={`n${i}`} label={`${when(b)}: ${formatInteger(b.traces)} traces`} onOpen={() => onOpen(`Started ${when(b)}`, { ranges: b.ranges })} testId="trend-bar">
                  <rect x={x(i)} width={x.bandwidth()} y={yN(b.traces)} height={yN(0) - yN(b.traces)} className="ins-bar faint" />
                </Mark>
              ) : null,
            )}
            <path d={path(failed)} className="ins-line failed" />
            <path d={path(tool)} className="ins-line tool" />
            {failed.map((p) =>
              p.r === null ? null : (
                <Mark
                  key={`f${p.i}`}
                  label={`${when(p.b)}: ${formatInteger(p.b.failedRuns)} of ${formatInteger(p.b.traces)} runs failed (${pct(p.r)})`}
                  onOpen={() => onOpen(`Failed runs started ${when(p.b)}`, { ranges: p.b.ranges, status: ['error'] })}
                  testId="trend-failed"
                >
                  <circle cx={cx(p.i)} cy={yR(p.r)} r={4} className="ins-point failed" />
                </Mark>
              ),
            )}
            {tool.map((p) =>
              p.r === null ? null : (
                <Mark
                  key={`t${p.i}`}
                  label={`${when(p.b)}: ${formatInteger(p.b.toolErrors)} of ${formatInteger(p.b.toolCalls)} tool calls failed (${pct(p.r)})`}
                  onOpen={() => onOpen(`Traces with tool errors started ${when(p.b)}`, { ranges: p.b.ranges, hasToolErrors: true })}
                  testId="trend-tool"
                >
                  <rect x={cx(p.i) - 3.5} y={yR(p.r) - 3.5} width={7} height={7} className="ins-point tool" />
                </Mark>
              ),
            )}
            {buckets.map((b, i) =>
              i % every === 0 ? (
                <text key={i} x={x(i)} y={H - M.bottom + 14} className="ins-axis">
                  {formatTimestamp(b.startMs).slice(5, 16)}
                </text>
              ) : null,
            )}
          </svg>
          <div className="ins-legend">
            <span className="key bar" /> traces <span className="key failed" /> failed-run rate <span className="key tool" /> tool-error rate (failed / all tool calls)
          </div>
        </>
      )}
    </Card>
  );
}

const JUDGE_COLOURS = ['#4c9aff', '#4cc38a', '#e6b450', '#c678dd', '#f26d6d', '#56b6c2'];

function PassRateChart({ points, onOpen }: { points: JudgePassRatePoint[]; onOpen: (label: string, q: TraceQuery) => void }) {
  const runs = [...new Map(points.map((p) => [p.runId, p])).values()];
  const judges = [...new Map(points.map((p) => [p.judgeId, p.judgeName])).entries()];
  const x = scaleBand<number>().domain(runs.map((r) => r.runId)).range([M.left, W - M.right]).padding(0.3);
  const y = scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const cx = (runId: number) => (x(runId) ?? 0) + x.bandwidth() / 2;
  return (
    <Card title="Pass rate per judge across runs" sub="over the traces each run judged" testId="pass-rates">
      {points.length === 0 ? (
        <div className="dim pad">No judge run has judged these traces yet (Judges → Run).</div>
      ) : (
        <>
          <svg viewBox={`0 0 ${W} ${H}`} className="ins-svg" onKeyDown={moveFocus} role="group" aria-label="Pass rates">
            {[0, 0.5, 1].map((t) => (
              <g key={t}>
                <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} className="ins-grid" />
                <text x={M.left - 4} y={y(t)} dy="0.32em" textAnchor="end" className="ins-axis">
                  {Math.round(t * 100)}%
                </text>
              </g>
            ))}
            {judges.map(([judgeId], k) => {
              const pts = points.filter((p) => p.judgeId === judgeId && p.rate !== null);
              return (
                <path
                  key={judgeId}
                  d={pts.map((p, i) => `${i ? 'L' : 'M'}${cx(p.runId)},${y(p.rate!)}`).join('')}
                  className="ins-line"
                  style={{ stroke: JUDGE_COLOURS[k % JUDGE_COLOURS.length] }}
                />
              );
            })}
            {points.map((p) =>
              p.rate === null ? null : (
                <Mark
                  key={`${p.runId}:${p.judgeId}`}
                  label={`${p.judgeName} in run ${p.runId} (${p.runName}): ${p.pass} of ${p.pass + p.fail} passed (${Math.round(p.rate * 100)}%)`}
                  onOpen={() => onOpen(`${p.judgeName}, run ${p.runId}: judged traces`, { judgeVerdict: { runId: p.runId, judgeId: p.judgeId } })}
                  testId="pass-point"
                >
                  <circle
                    cx={cx(p.runId)}
                    cy={y(p.rate)}
                    r={4.5}
                    className="ins-point"
                    style={{ fill: JUDGE_COLOURS[judges.findIndex(([j]) => j === p.judgeId) % JUDGE_COLOURS.length] }}
                  />
                </Mark>
              ),
            )}
            {runs.map((r) => (
              <text key={r.runId} x={cx(r.runId)} y={H - M.bottom + 14} textAnchor="middle" className="ins-axis">
                #{r.runId}
              </text>
            ))}
          </svg>
          <div className="ins-legend">
            {judges.map(([id, name], k) => (
              <span key={id}>
                <span className="key" style={{ background: JUDGE_COLOURS[k % JUDGE_COLOURS.length] }} /> <span className="untrusted">{name}</span>{' '}
              </span>
            ))}
          </div>
        </>
      )}
    </Card>
  );
}
