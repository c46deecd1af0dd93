import { useEffect, useMemo, useRef, useState } from 'react';
import type { PairComparison, TaskRun, TraceSummary, TraceViewData, VersionComparison } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { TracePane } from '../trace/TracePane';
import { buildModel, type TraceModel } from '../trace/model/traceModel';
import { computeVisibleRows, initialCollapsed } from '../trace/model/visibleRows';
import { TimelineController } from '../trace/timeline/TimelineController';
import { formatCompact, formatCost, formatDuration, formatTimestamp } from '../util/format';
import { num, ratio } from './format';
import { ErrorBox, TraceLink, useCall, VerdictPill } from './parts';
import { comparePairHash, trajectoryHash, type CompareRoute, type PairTaskContext } from './routes';
import '../trace/traceView.css';
import './compare.css';

type PairRoute = Extract<CompareRoute, { name: 'compare-pair' }>;

interface Loaded {
  a: TraceViewData;
  b: TraceViewData;
  ma: TraceModel;
  mb: TraceModel;
}

/**
 * Two traces one above the other with the trace view's own tree + timeline, on one time axis:
 * each timeline counts from its own trace's start and both span the longer trace, so the same
 * x is the same time into the run. Zooming or panning one moves the other. Above them, the
 * metric, trajectory and verdict deltas of the pair.
 */
export function SideBySide({ route }: { route: PairRoute }) {
  const client = useClient();
  const [load, setLoad] = useState<{ state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: Loaded }>({
    state: 'loading',
  });
  const facts = useCall<PairComparison | null>(() => client.call('comparePair', { a: route.a, b: route.b }), [client, route.a, route.b]);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    Promise.all([client.call('getTraceColumns', { traceId: route.a }), client.call('getTraceColumns', { traceId: route.b })]).then(
      ([a, b]) => {
        if (!live) return;
        if (!a || !b) {
          setLoad({ state: 'error', message: `trace not found: ${!a ? route.a : route.b}` });
          return;
        }
        // One axis: both models span [earliest start, longest end] relative to their own t0.
        const ma0 = buildModel(a.columns);
        const mb0 = buildModel(b.columns);
        const startMs = Math.min(ma0.startMs, mb0.startMs);
        const endMs = Math.max(ma0.endMs, mb0.endMs);
        setLoad({ state: 'ok', data: { a, b, ma: { ...ma0, startMs, endMs }, mb: { ...mb0, startMs, endMs } } });
      },
      (e: unknown) => live && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, route.a, route.b]);

  return (
    <div className="cmp-page cmp-pair-page" data-testid="side-by-side" data-state={load.state}>
      <header className="cmp-header">
        <button type="button" className="link-button" onClick={() => history.back()}>
          ← Back
        </button>
        <h1 className="cmp-title">Side by side</h1>
        <span className="dim mono">
          {route.a} ⇄ {route.b}
        </span>
      </header>
      {load.state === 'error' ? <ErrorBox message={load.message} /> : null}
      {route.task ? <RunPickers ctx={route.task} a={route.a} b={route.b} /> : null}
      {facts?.state === 'ok' && facts.data ? <PairFacts p={facts.data} /> : null}
      {load.state === 'loading' ? <div className="dim pad">Loading traces…</div> : null}
      {load.state === 'ok' ? <Panes data={load.data} /> : null}
    </div>
  );
}

/**
 * Which run of A and which of B, when the pair is one task's runs under two versions: every run
 * of the task on each side, marked passed / failed, the shown ones selected.
 */
function RunPickers({ ctx, a, b }: { ctx: PairTaskContext; a: string; b: string }) {
  const client = useClient();
  const cmp = useCall<VersionComparison>(
    () => client.call('compareVersions', { groupBy: ctx.groupBy, a: ctx.a, b: ctx.b }),
    [client, JSON.stringify(ctx.groupBy), ctx.a, ctx.b],
  );
  if (cmp?.state === 'error') return <ErrorBox message={cmp.message} />;
  if (cmp?.state !== 'ok') return null;
  const task = cmp.data.repeated.tasks.find((t) => t.task === ctx.task);
  if (!task) return <div className="dim pad">That task no longer runs under both {ctx.a} and {ctx.b}.</div>;
  const option = (r: TaskRun, i: number) => (
    <option key={r.traceId} value={r.traceId}>
      run {i + 1} · {r.pass ? 'passed' : `failed (${r.failed.join(', ')})`} · {r.name ?? r.traceId}
    </option>
  );
  return (
    <div className="cmp-run-pickers" data-testid="run-pickers">
      <span className="dim">Task</span> <span className="strong">{task.label}</span>
      <label>
        <span className="cmp-side-label">A</span> {ctx.a}{' '}
        <select className="cmp-select" data-testid="pick-run-A" value={a} onChange={(e) => navigate(comparePairHash(e.currentTarget.value, b, ctx))}>
          {task.a.runList.map(option)}
        </select>
      </label>
      <label>
        <span className="cmp-side-label">B</span> {ctx.b}{' '}
        <select className="cmp-select" data-testid="pick-run-B" value={b} onChange={(e) => navigate(comparePairHash(a, e.currentTarget.value, ctx))}>
          {task.b.runList.map(option)}
        </select>
      </label>
      <span className="dim">
        {task.a.passes}/{task.a.runs} → {task.b.passes}/{task.b.runs} passed
      </span>
    </div>
  );
}

function delta(a: number, b: number, fmt: (x: number) => string) {
  const d = b - a;
  const rel = a > 0 ? ` (${d >= 0 ? '+' : '−'}${Math.abs((d / a) * 100).toFixed(0)}%)` : '';
  return (
    <span className={`cmp-delta${d > 0 ? ' up' : d < 0 ? ' down' : ''}`}>
      {d === 0 ? '=' : `${d > 0 ? '+' : '−'}${fmt(Math.abs(d))}${rel}`}
    </span>
  );
}

function Metric({ label, a, b, d, bad }: { label: string; a: React.ReactNode; b: React.ReactNode; d?: React.ReactNode; bad?: boolean }) {
  return (
    <div className={`cmp-metric${bad ? ' bad' : ''}`} data-metric={label}>
      <div className="cmp-metric-label">{label}</div>
      <div className="cmp-metric-values">
        <span className="a">{a}</span>
        <span className="arrow">→</span>
        <span className="b">{b}</span>
      </div>
      {d ? <div className="cmp-metric-delta">{d}</div> : null}
    </div>
  );
}

function PairFacts({ p }: { p: PairComparison }) {
  const a: TraceSummary = p.a;
  const b: TraceSummary = p.b;
  const tokA = a.inputTokens + a.outputTokens;
  const tokB = b.inputTokens + b.outputTokens;
  const ta = p.trajectoryA;
  const tb = p.trajectoryB;
  return (
    <div className="cmp-pair-facts" data-testid="pair-facts">
      <div className="cmp-metrics">
        <Metric label="Duration" a={formatDuration(a.durationMs)} b={formatDuration(b.durationMs)} d={delta(a.durationMs ?? 0, b.durationMs ?? 0, formatDuration)} />
        <Metric label="Tokens" a={formatCompact(tokA)} b={formatCompact(tokB)} d={delta(tokA, tokB, formatCompact)} bad={tokA > 0 && tokB >= 2 * tokA} />
        <Metric label="LLM calls" a={a.llmCalls} b={b.llmCalls} d={delta(a.llmCalls, b.llmCalls, (x) => String(x))} />
        <Metric label="Tool calls" a={a.toolCalls} b={b.toolCalls} d={delta(a.toolCalls, b.toolCalls, (x) => String(x))} />
        <Metric label="Tool failures" a={a.toolErrors} b={b.toolErrors} d={delta(a.toolErrors, b.toolErrors, (x) => String(x))} bad={b.toolErrors > a.toolErrors} />
        {a.costUsd !== null || b.costUsd !== null ? <Metric label="Cost" a={formatCost(a.costUsd)} b={formatCost(b.costUsd)} /> : null}
        <Metric label="Status" a={<span className={`status-pill ${a.status}`}>{a.status}</span>} b={<span className={`status-pill ${b.status}`}>{b.status}</span>} />
        {ta || tb ? (
          <>
            <Metric
              label="Correct"
              a={ta ? (ta.correct ? '✓' : '✗') : '—'}
              b={tb ? (tb.correct ? '✓' : '✗') : '—'}
              bad={ta?.correct === true && tb?.correct === false}
            />
            <Metric label="Step ratio" a={ratio(ta?.stepRatio)} b={ratio(tb?.stepRatio)} />
            <Metric label="Tool-call ratio" a={ratio(ta?.toolCallRatio)} b={ratio(tb?.toolCallRatio)} />
            <Metric label="Latency ratio" a={ratio(ta?.latencyRatio)} b={ratio(tb?.latencyRatio)} />
            <Metric label="Solve rate" a={ta ? `${num(ta.solveRate, 3)}/s` : '—'} b={tb ? `${num(tb.solveRate, 3)}/s` : '—'} />
          </>
        ) : null}
      </div>
      {p.verdicts.length ? (
        <div className="cmp-pair-verdicts">
          <span className="dim">Judges</span>
          {p.verdicts.map((v) => (
            <span key={v.judge} className={`cmp-verdict-pair${v.a === 'pass' && v.b === 'fail' ? ' bad' : ''}`} title={`A: ${v.rationaleA ?? '—'}\nB: ${v.rationaleB ?? '—'}`}>
              <span className="mono">{v.judge}</span> <VerdictPill status={v.a} />→<VerdictPill status={v.b} />
            </span>
          ))}
        </div>
      ) : null}
      {ta || tb ? (
        <div className="cmp-pair-links dim">
          Trajectories ({ta?.scenarioId ?? tb?.scenarioId}): <a href={trajectoryHash(a.traceId, ta?.scenarioId)}>A</a> ·{' '}
          <a href={trajectoryHash(b.traceId, tb?.scenarioId)}>B</a>
        </div>
      ) : null}
    </div>
  );
}

function Panes({ data }: { data: Loaded }) {
  const [treeWidth] = useState(() => Math.min(480, Math.max(340, Math.round(window.innerWidth * 0.28))));
  // Two controllers that follow each other's zoom; `following` stops the echo.
  const following = useRef(false);
  const ctl = useMemo(() => {
    const pair: { a: TimelineController; b: TimelineController } = {} as never;
    const follow = (other: () => TimelineController) => (d: [number, number]) => {
      if (following.current) return;
      following.current = true;
      try {
        other().zoomTo(d[0], d[1]);
      } finally {
        following.current = false;
      }
    };
    pair.a = new TimelineController({ onSelect: () => undefined, onHover: () => undefined, onDomain: follow(() => pair.b) });
    pair.b = new TimelineController({ onSelect: () => undefined, onHover: () => undefined, onDomain: follow(() => pair.a) });
    return pair;
  }, []);
  const reset = () => {
    ctl.a.resetZoom();
    ctl.b.resetZoom();
  };
  return (
    <div className="cmp-panes">
      <ComparePane label="A" data={data.a} model={data.ma} controller={ctl.a} treeWidth={treeWidth} onReset={reset} />
      <ComparePane label="B" data={data.b} model={data.mb} controller={ctl.b} treeWidth={treeWidth} onReset={reset} />
    </div>
  );
}

/** One side of the pair: its label line over the trace view's own tree + timeline pane. */
function ComparePane(p: { label: string; data: TraceViewData; model: TraceModel; controller: TimelineController; treeWidth: number; onReset(): void }) {
  const m = p.model;
  const [collapsed, setCollapsed] = useState(() => initialCollapsed(m));
  const [selected, setSelected] = useState(-1);
  const visible = useMemo(() => computeVisibleRows(m, collapsed, null), [m, collapsed]);
  const s = p.data.summary;
  const toggle = (r: number) =>
    setCollapsed((c) => {
      const next = c.slice();
      next[r] = next[r] ? 0 : 1;
      return next;
    });
  return (
    <section className="tv cmp-pane" data-testid={`pane-${p.label}`} data-trace-id={s.traceId}>
      <div className="cmp-pane-label">
        <span className="cmp-side-label">{p.label}</span>
        <TraceLink traceId={s.traceId} name={s.name} />
        <span className={`status-pill ${s.status}`}>{s.status}</span>
        <span className="dim">
          {s.version ? `${s.version} · ` : ''}
          {formatTimestamp(s.startMs)} · {formatDuration(s.durationMs)} · {s.spanCount} spans · {formatCompact(s.inputTokens + s.outputTokens)} tokens
        </span>
      </div>
      <TracePane
        model={m}
        visible={visible}
        collapsed={collapsed}
        selected={selected}
        highlight={null}
        critical={null}
        showCritical={false}
        treeWidth={p.treeWidth}
        controller={p.controller}
        revealSeq={0}
        onSelect={setSelected}
        onToggle={toggle}
        onOpen={(r) => navigate(traceHash(s.traceId, m.spanId[r]))}
        onResetZoom={p.onReset}
      />
    </section>
  );
}
