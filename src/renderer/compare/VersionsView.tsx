import { useState } from 'react';
import type { VersionComparison, VersionGroupByDto, VersionPair, VersionSummaryDto } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate } from '../app/router';
import { formatCompact, formatCost, formatDuration } from '../util/format';
import { num, pct, ratio, signed, taskLabel } from './format';
import { ErrorBox, GroupByPicker, TraceLink, useCall, VerdictPill } from './parts';
import { RepeatedRuns } from './RepeatedRuns';
import { comparePairHash, diffVersionsHash, groupByLabel, versionsHash, type CompareRoute } from './routes';
import './compare.css';

type VersionsRoute = Extract<CompareRoute, { name: 'versions' }>;

/**
 * Agent versions side by side: one summary row per version (traces grouped by a version key),
 * then version B against baseline A — regressions flagged even when every judge still passes,
 * every run of each task (RepeatedRuns.tsx), and the latest run of each task paired for
 * pair-level flags, each pair opening the two traces side by side.
 */
export function VersionsView({ route }: { route: VersionsRoute }) {
  const client = useClient();
  const g = route.groupBy;
  const [k, setK] = useState<number | undefined>(undefined);
  const list = useCall(() => client.call('listVersions', { groupBy: g }), [client, JSON.stringify(g)]);
  const cmp = useCall<VersionComparison>(
    route.a && route.b && route.a !== route.b
      ? () => client.call('compareVersions', { groupBy: g, a: route.a!, b: route.b!, ...(k ? { k } : {}) })
      : null,
    [client, JSON.stringify(g), route.a, route.b, k],
  );
  const versions = list?.state === 'ok' ? list.data.versions : [];
  const pick = (a: string | null, b: string | null) => navigate(versionsHash(g, a, b));

  return (
    <div className="cmp-page" data-testid="versions-view">
      <header className="cmp-header">
        <h1 className="cmp-title">Agent versions</h1>
        <GroupByPicker value={g} onChange={(next) => navigate(versionsHash(next))} />
        <span className="spacer" />
        {route.a && route.b ? (
          <a className="cmp-link" href={diffVersionsHash(g, route.a, route.b)} data-testid="versions-verdict-diff">
            Verdict diff of {route.a} → {route.b} →
          </a>
        ) : null}
      </header>
      <div className="cmp-scroll">
        {list?.state === 'error' ? <ErrorBox message={list.message} /> : null}
        {list?.state === 'ok' && versions.length === 0 ? (
          <div className="empty-state">
            <div className="empty-title">No versions by {groupByLabel(g)}</div>
            <div className="dim">
              {list.data.ungrouped} trace{list.data.ungrouped === 1 ? '' : 's'} without a value. Try another grouping: the version column
              (service.version), an attribute such as gen_ai.agent.version, a tag, or the import batch.
            </div>
          </div>
        ) : null}
        {versions.length > 0 ? (
          <section className="cmp-section">
            <h2 className="cmp-h2">
              Versions <span className="dim">by {groupByLabel(g)}</span>
              {list?.state === 'ok' && list.data.ungrouped ? <span className="dim"> · {list.data.ungrouped} traces without a version</span> : null}
            </h2>
            <SummaryTable rows={versions} a={route.a} b={route.b} onPick={pick} />
            <div className="dim cmp-hint">Pick a baseline (A) and a candidate (B) to pair their runs of the same task.</div>
          </section>
        ) : null}
        {cmp?.state === 'error' ? <ErrorBox message={cmp.message} /> : null}
        {cmp?.state === 'ok' ? <Comparison c={cmp.data} groupBy={g} onK={setK} /> : null}
      </div>
    </div>
  );
}

function SummaryTable({
  rows,
  a,
  b,
  onPick,
}: {
  rows: VersionSummaryDto[];
  a: string | null;
  b: string | null;
  onPick(a: string | null, b: string | null): void;
}) {
  return (
    <table className="cmp-table" data-testid="versions-table">
      <thead>
        <tr>
          <th className="narrow">A</th>
          <th className="narrow">B</th>
          <th>Version</th>
          <th className="num">Traces</th>
          <th className="num" title="Share of traces whose trajectory satisfies their scenario">
            Correct
          </th>
          <th className="num" title="Observed model turns / ideal steps (mean)">
            Step ratio
          </th>
          <th className="num" title="Observed tool calls / ideal (mean)">
            Tool-call ratio
          </th>
          <th className="num" title="Observed / ideal latency (mean)">
            Latency ratio
          </th>
          <th className="num" title="Ideal steps per observed second (mean; 0 for failed runs)">
            Solve rate
          </th>
          <th className="num">Judges pass</th>
          <th className="num">Tokens / trace</th>
          <th className="num">Cost / trace</th>
          <th className="num">p50 latency</th>
          <th className="num">p95 latency</th>
          <th className="num">Tool failures</th>
          <th className="num">Errors</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((v) => (
          <tr key={v.version} className={v.version === a ? 'is-a' : v.version === b ? 'is-b' : ''} data-version={v.version}>
            <td className="narrow">
              <input type="radio" name="version-a" aria-label={`Baseline ${v.version}`} checked={v.version === a} onChange={() => onPick(v.version, b === v.version ? a : b)} />
            </td>
            <td className="narrow">
              <input type="radio" name="version-b" aria-label={`Candidate ${v.version}`} checked={v.version === b} onChange={() => onPick(a === v.version ? b : a, v.version)} />
            </td>
            <td className="mono strong">{v.version}</td>
            <td className="num">{v.traces}</td>
            <td className="num" title={`${v.withScenario} with a scenario`}>
              {pct(v.correctness, 0)}
            </td>
            <td className="num">{ratio(v.meanStepRatio)}</td>
            <td className="num">{ratio(v.meanToolCallRatio)}</td>
            <td className="num">{ratio(v.meanLatencyRatio)}</td>
            <td className="num">{v.meanSolveRate === null ? '—' : `${num(v.meanSolveRate, 3)}/s`}</td>
            <td className="num" title={`${v.judged} judged`}>
              {pct(v.judgePassRate, 0)}
            </td>
            <td className="num">{formatCompact(v.meanTokens)}</td>
            <td className="num">{formatCost(v.meanCostUsd)}</td>
            <td className="num">{formatDuration(v.p50LatencyMs)}</td>
            <td className="num">{formatDuration(v.p95LatencyMs)}</td>
            <td className="num">{pct(v.toolFailureRatio)}</td>
            <td className="num">{pct(v.errorRate, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Comparison({ c, groupBy, onK }: { c: VersionComparison; groupBy: VersionGroupByDto; onK(k: number): void }) {
  return (
    <>
      <section className="cmp-section">
        <h2 className="cmp-h2">
          {c.b.version} <span className="dim">against baseline</span> {c.a.version}
        </h2>
        {c.regressions.length ? (
          <ul className="cmp-regressions" data-testid="regressions">
            {c.regressions.map((r) => (
              <li key={r.metric}>
                <span className="cmp-flag">{r.metric}</span> {r.message}
                {r.pairKeys.length ? <span className="dim"> · {r.pairKeys.length} task{r.pairKeys.length > 1 ? 's' : ''}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <div className="cmp-ok" data-testid="regressions">
            No regression flagged.
          </div>
        )}
      </section>
      <RepeatedRuns r={c.repeated} a={c.a.version} b={c.b.version} groupBy={groupBy} onK={onK} />
      <section className="cmp-section">
        <h2 className="cmp-h2">
          Latest run of each task{' '}
          <span className="dim">
            · pair-level flags · {c.pairs.length} task{c.pairs.length === 1 ? '' : 's'} in both · {c.unpairedA} only in A · {c.unpairedB} only in B
          </span>
        </h2>
        <table className="cmp-table" data-testid="pairs-table">
          <thead>
            <tr>
              <th>Task</th>
              <th>A ({c.a.version})</th>
              <th>B ({c.b.version})</th>
              <th className="num">Tokens B/A</th>
              <th className="num">Latency B/A</th>
              <th className="num">Tool calls Δ</th>
              <th>Trajectory A → B</th>
              <th>Judges A → B</th>
              <th>Flags</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {c.pairs.map((p) => (
              <PairRow key={p.pairKey} p={p} />
            ))}
          </tbody>
        </table>
        {c.pairs.length === 0 ? <div className="dim pad">No task ran under both versions.</div> : null}
      </section>
    </>
  );
}

function PairRow({ p }: { p: VersionPair }) {
  const flagged = new Set(p.flags);
  return (
    <tr data-pair={p.pairKey} className={p.flags.length ? 'flagged' : ''}>
      <td className="mono" title={p.pairKey}>
        {taskLabel(p.pairKey)}
      </td>
      <td>
        <TraceLink traceId={p.a.traceId} name={p.a.name} />
      </td>
      <td>
        <TraceLink traceId={p.b.traceId} name={p.b.name} />
      </td>
      <td className={`num${flagged.has('tokens') ? ' bad' : ''}`}>{ratio(p.tokensRatio)}</td>
      <td className={`num${flagged.has('latency') ? ' bad' : ''}`}>{ratio(p.latencyRatio)}</td>
      <td className="num">{signed(p.toolCallsDelta)}</td>
      <td>
        {p.trajectoryA || p.trajectoryB ? (
          <span className={flagged.has('correctness') ? 'bad' : ''}>
            {p.trajectoryA ? (p.trajectoryA.correct ? '✓' : '✗') : '—'} → {p.trajectoryB ? (p.trajectoryB.correct ? '✓' : '✗') : '—'}
            <span className="dim"> · steps {ratio(p.trajectoryA?.stepRatio)} → {ratio(p.trajectoryB?.stepRatio)}</span>
          </span>
        ) : (
          <span className="dim">no scenario</span>
        )}
      </td>
      <td>
        {p.verdicts.length ? (
          <span className="cmp-verdicts">
            {p.verdicts.map((v) => (
              <span key={v.judge} className="cmp-verdict-pair" title={v.judge}>
                <VerdictPill status={v.a} />→<VerdictPill status={v.b} />
              </span>
            ))}
          </span>
        ) : (
          <span className="dim">not judged</span>
        )}
      </td>
      <td>
        {p.flags.map((f) => (
          <span key={f} className="cmp-flag">
            {f}
          </span>
        ))}
      </td>
      <td>
        <a className="cmp-link" href={comparePairHash(p.a.traceId, p.b.traceId)} data-testid="pair-open">
          side by side →
        </a>
      </td>
    </tr>
  );
}
