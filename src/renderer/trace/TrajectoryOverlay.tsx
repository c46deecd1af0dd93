import { useEffect, useState } from 'react';
import type { AlignmentStatus, ScenarioInfo, TrajectoryRow, TrajectoryView } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { FromTraceDialog } from '../scenarios/FromTraceDialog';
import { ScenarioImportButton, useScenarioImports } from '../scenarios/ScenarioImportContext';
import { scenarioHash } from '../scenarios/routes';
import '../compare/compare.css';

/**
 * The trace's trajectory against a scenario's ideal one: metrics (correctness, step, tool-call
 * and latency ratios, solve rate) and the alignment of observed calls with ideal calls —
 * matched, missing, extra, out of order, could have been parallel. A panel the trace view can
 * mount (or the #/trace/:id/trajectory route shows on its own).
 */
export interface TrajectoryOverlayProps {
  traceId: string;
  /** Force a scenario; else the one the trace matches. */
  scenarioId?: string | null;
  onScenarioChange?(id: string | null): void;
  /** Clicking an observed call: select its span (defaults to opening it in the trace view). */
  onSelectSpan?(spanId: string): void;
  /** The trace's name, proposed as the name of a scenario made from it. */
  traceName?: string;
}

type Load = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; trajectory: TrajectoryView | null; scenarios: number };

const STATUS_LABEL: Record<AlignmentStatus, string> = {
  matched: 'matched',
  missing: 'missing',
  extra: 'extra',
  'out-of-order': 'out of order',
  'could-be-parallel': 'could be parallel',
};
const STATUS_HELP: Record<AlignmentStatus, string> = {
  matched: 'An ideal call made as expected',
  missing: 'An ideal call the agent never made',
  extra: 'A call the ideal trajectory does not have',
  'out-of-order': 'An ideal call made, but before a call of an earlier ideal step',
  'could-be-parallel': 'Calls of one ideal parallel step made over several model turns',
};
const ORDER: AlignmentStatus[] = ['matched', 'missing', 'extra', 'out-of-order', 'could-be-parallel'];

const MATCHED_BY: Record<TrajectoryView['matchedBy'], (t: TrajectoryView) => string> = {
  explicit: () => 'chosen',
  attribute: (t) => `matched by ${t.scenario.matchAttribute}`,
  tag: (t) => `matched by tag ${t.scenario.matchTag ?? ''}`,
  input: () => 'matched by input',
};

export function TrajectoryOverlay({ traceId, scenarioId, onScenarioChange, onSelectSpan, traceName }: TrajectoryOverlayProps) {
  const client = useClient();
  const { version } = useScenarioImports();
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [scenarios, setScenarios] = useState<ScenarioInfo[]>([]);
  const [dialog, setDialog] = useState(false);

  useEffect(() => {
    let live = true;
    client.call('listScenarios', {}).then(
      (s) => live && setScenarios(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, version]);

  useEffect(() => {
    let live = true;
    setLoad({ state: 'loading' });
    client.call('getTrajectory', scenarioId ? { traceId, scenarioId } : { traceId }).then(
      (r) => live && setLoad({ state: 'ok', ...r }),
      (e: unknown) => live && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [client, traceId, scenarioId, version]);

  const t = load.state === 'ok' ? load.trajectory : null;
  const openSpan = onSelectSpan ?? ((id: string) => (window.location.hash = `#/trace/${encodeURIComponent(traceId)}/span/${encodeURIComponent(id)}`));

  return (
    <section className="traj" data-testid="trajectory-overlay" data-state={load.state}>
      <div className="traj-head">
        <h2 className="cmp-h2">Trajectory</h2>
        <label className="dim" htmlFor="traj-scenario">
          Scenario
        </label>
        <select
          id="traj-scenario"
          className="cmp-select"
          data-testid="trajectory-scenario"
          value={scenarioId ?? ''}
          onChange={(e) => onScenarioChange?.(e.currentTarget.value || null)}
          disabled={!onScenarioChange}
        >
          <option value="">{t && !scenarioId ? `matched: ${t.scenario.id}` : 'the one this trace matches'}</option>
          {scenarios.map((s) => (
            <option key={s.id} value={s.id}>
              {s.id}
              {s.name ? ` — ${s.name}` : ''}
            </option>
          ))}
        </select>
        {t ? (
          <span className="dim">
            {MATCHED_BY[t.matchedBy](t)} · trajectory {t.mode} · arguments{' '}
            {Array.isArray(t.scenario.argMatch) ? `keys ${t.scenario.argMatch.join(', ')}` : t.scenario.argMatch} ·{' '}
            <a href={scenarioHash(t.scenario.id)} data-testid="trajectory-edit-scenario">
              edit scenario
            </a>
          </span>
        ) : null}
        <span className="spacer" />
        <ScenarioImportButton testId="trajectory-import" className="button ghost" />
        <button type="button" className="button ghost" onClick={() => setDialog(true)} data-testid="trajectory-use-as-ideal">
          Use this trace as the ideal trajectory…
        </button>
      </div>

      {load.state === 'loading' ? <div className="dim pad">Aligning…</div> : null}
      {load.state === 'error' ? (
        <pre className="import-error pad" role="alert">
          {load.message}
        </pre>
      ) : null}
      {load.state === 'ok' && !t ? (
        <div className="empty-state">
          <div className="empty-title">{load.scenarios === 0 ? 'No scenarios in this workspace' : 'No scenario matches this trace'}</div>
          <div className="dim">
            {load.scenarios === 0
              ? 'Import *.scenario.json files (button above, or drop them on the window), or use this trace as the ideal trajectory.'
              : 'Pick one above; or attach the trace to a scenario by its scenario.id attribute, a tag (match.tag) or its input.'}
          </div>
        </div>
      ) : null}
      {t ? <TrajectoryBody t={t} onOpenSpan={openSpan} /> : null}
      {dialog ? <FromTraceDialog traceId={traceId} traceName={traceName ?? ''} onClose={() => setDialog(false)} /> : null}
    </section>
  );
}

/** A ratio to two decimals; '—' when unknown (no ideal latency), '∞' when the ideal has none. */
export const ratioText = (x: number | null) => (x === null ? '—' : Number.isFinite(x) ? x.toFixed(2) : '∞');

function TrajectoryBody({ t, onOpenSpan }: { t: TrajectoryView; onOpenSpan(id: string): void }) {
  const m = t.metrics;
  const counts = new Map<AlignmentStatus, number>();
  for (const r of t.rows) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return (
    <>
      <div className="traj-metrics" data-testid="trajectory-metrics">
        <div className={`traj-metric ${m.correct ? 'good' : 'bad'}`} data-metric="correct">
          <div className="v">{m.correct ? '✓ correct' : '✗ incorrect'}</div>
          <div className="l">{t.mode} match{m.failed ? ' · run failed' : ''}</div>
        </div>
        <div className="traj-metric" data-metric="step-ratio">
          <div className="v">{ratioText(m.stepRatio)}</div>
          <div className="l">
            step ratio · {m.observedSteps} / {m.idealSteps}
          </div>
        </div>
        <div className="traj-metric" data-metric="tool-call-ratio">
          <div className="v">{ratioText(m.toolCallRatio)}</div>
          <div className="l">
            tool-call ratio · {m.observedToolCalls} / {m.idealToolCalls}
          </div>
        </div>
        <div className="traj-metric" data-metric="latency-ratio">
          <div className="v">{ratioText(m.latencyRatio)}</div>
          <div className="l">
            latency ratio · {m.observedSeconds.toFixed(1)} s / {m.idealSeconds === null ? '—' : `${m.idealSeconds} s`}
          </div>
        </div>
        <div className="traj-metric" data-metric="solve-rate">
          <div className="v">{m.solveRate.toFixed(3)}</div>
          <div className="l">solve rate · ideal steps / s</div>
        </div>
      </div>

      <div className="traj-ideal" data-testid="trajectory-ideal">
        <span className="dim">Ideal</span>
        {t.idealSteps.map((st, i) => (
          <span key={i} className="traj-ideal-wrap">
            {i > 0 ? <span className="traj-ideal-arrow">→ </span> : null}
            <span className="traj-ideal-step" title={st.parallel ? 'calls may run in parallel' : undefined}>
              {i + 1}. {st.name ?? `step ${i + 1}`}{' '}
              <span className="mono">
                {st.calls.length ? st.calls.map((c) => c.tool).join(st.parallel ? ' ∥ ' : ', ') : 'no tool call'}
              </span>
            </span>
          </span>
        ))}
      </div>

      <div className="traj-legend">
        {ORDER.map((s) => (
          <span key={s} className={`traj-status s-${s}`} title={STATUS_HELP[s]}>
            {STATUS_LABEL[s]} {counts.get(s) ?? 0}
          </span>
        ))}
      </div>

      <table className="cmp-table traj-table" data-testid="trajectory-rows">
        <thead>
          <tr>
            <th>Ideal step</th>
            <th>Ideal call</th>
            <th>Alignment</th>
            <th className="num">Turn</th>
            <th>Observed call</th>
            <th>Arguments</th>
          </tr>
        </thead>
        <tbody>
          {t.rows.map((r, i) => (
            <Row key={i} r={r} t={t} onOpenSpan={onOpenSpan} />
          ))}
        </tbody>
      </table>
    </>
  );
}

function args(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = JSON.stringify(v);
  return s.length > 160 ? `${s.slice(0, 159)}…` : s;
}

function Row({ r, t, onOpenSpan }: { r: TrajectoryRow; t: TrajectoryView; onOpenSpan(id: string): void }) {
  const step = r.ideal ? t.idealSteps[r.ideal.step] : undefined;
  return (
    <tr className={`traj-row s-${r.status}`} data-status={r.status}>
      <td>
        {r.ideal ? (
          <span>
            <span className="mono dim">{r.ideal.step + 1}.</span> {step?.name ?? ''}
            {r.ideal.parallel ? <span className="traj-par" title="calls of this step may run in parallel">∥</span> : null}
          </span>
        ) : null}
      </td>
      <td className="mono">{r.ideal?.tool ?? ''}</td>
      <td>
        <span className={`traj-status s-${r.status}`} title={STATUS_HELP[r.status]}>
          {STATUS_LABEL[r.status]}
        </span>
      </td>
      <td className="num">{r.observed ? r.observed.step + 1 : ''}</td>
      <td>
        {r.observed ? (
          <button type="button" className="link-button mono" onClick={() => onOpenSpan(r.observed!.spanId)} title={`span ${r.observed.spanId}`}>
            {r.observed.tool}
          </button>
        ) : null}
        {r.observed?.isError ? <span className="tv-badge err">error</span> : null}
      </td>
      <td className="mono dim traj-args" title={args(r.observed ? r.observed.args : r.ideal?.args)}>
        {args(r.observed ? r.observed.args : r.ideal?.args)}
      </td>
    </tr>
  );
}
