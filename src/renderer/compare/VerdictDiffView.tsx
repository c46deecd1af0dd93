import { useMemo, useState } from 'react';
import { FLIP_KINDS, type FlipDto, type FlipKind, type JudgeDelta, type VerdictDiffView as Diff } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate } from '../app/router';
import { formatInteger } from '../util/format';
import { pct, pp, pValue, stars, taskLabel } from './format';
import { ErrorBox, GroupByPicker, TraceLink, useCall, VerdictPill } from './parts';
import { comparePairHash, diffRunsHash, diffVersionsHash, DEFAULT_GROUP_BY, type CompareRoute, type PairTaskContext } from './routes';
import './compare.css';

type DiffRoute = Extract<CompareRoute, { name: 'diff' }>;

const PAGE = 100;

/**
 * Verdict diff of two judge runs, or of two agent versions judged by the same judges: per judge
 * the pass-rate delta with McNemar's paired test, then the flips with the rationale before and
 * after and links to both traces. The diff itself runs on the backend over every verdict; the
 * view fetches one page of flips at a time.
 */
export function VerdictDiffView({ route }: { route: DiffRoute }) {
  const client = useClient();
  const [judge, setJudge] = useState<string | null>(null);
  const [kind, setKind] = useState<FlipKind | null>(null);
  const [limit, setLimit] = useState(PAGE);

  const runs = useCall(() => client.call('listDiffRuns', {}), [client]);
  const groupBy = route.mode === 'versions' ? route.groupBy : DEFAULT_GROUP_BY;
  const versions = useCall(
    route.mode === 'versions' ? () => client.call('listVersions', { groupBy }) : null,
    [client, route.mode, JSON.stringify(groupBy)],
  );

  const ready = route.a !== null && route.b !== null;
  const page = { judge: judge ?? undefined, kind: kind ?? undefined, limit };
  const diff = useCall<Diff>(
    ready
      ? () =>
          route.mode === 'runs'
            ? client.call('diffRuns', { runA: route.a!, runB: route.b!, ...page })
            : client.call('diffVersions', { groupBy, a: route.a!, b: route.b!, ...page })
      : null,
    [client, route.mode, route.a, route.b, JSON.stringify(groupBy), judge, kind, limit],
  );

  const options =
    route.mode === 'runs'
      ? runs?.state === 'ok'
        ? runs.data.map((r) => ({ value: r.id, label: `${r.label} · ${formatInteger(r.verdicts)} verdicts` }))
        : []
      : versions?.state === 'ok'
        ? versions.data.versions.map((v) => ({ value: v.version, label: `${v.version} · ${v.traces} traces` }))
        : [];

  const go = (a: string | null, b: string | null) =>
    navigate(route.mode === 'runs' ? diffRunsHash(a, b) : diffVersionsHash(groupBy, a, b));

  return (
    <div className="cmp-page" data-testid="verdict-diff">
      <header className="cmp-header">
        <h1 className="cmp-title">Verdict diff</h1>
        <div className="cmp-seg" role="tablist" aria-label="Compare">
          <button type="button" role="tab" aria-selected={route.mode === 'runs'} className={route.mode === 'runs' ? 'on' : ''} onClick={() => navigate(diffRunsHash())}>
            Judge runs
          </button>
          <button
            type="button"
            role="tab"
            aria-selected={route.mode === 'versions'}
            className={route.mode === 'versions' ? 'on' : ''}
            onClick={() => navigate(diffVersionsHash(groupBy))}
          >
            Agent versions
          </button>
        </div>
        {route.mode === 'versions' ? <GroupByPicker value={groupBy} onChange={(g) => navigate(diffVersionsHash(g))} /> : null}
        <span className="cmp-pick">
          <label className="dim">A</label>
          <select className="cmp-select" data-testid="diff-a" value={route.a ?? ''} onChange={(e) => go(e.currentTarget.value || null, route.b)}>
            <option value="">{route.mode === 'runs' ? 'baseline run…' : 'baseline version…'}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
          <button type="button" className="icon-button" title="Swap A and B" aria-label="Swap A and B" onClick={() => go(route.b, route.a)}>
            ⇄
          </button>
          <label className="dim">B</label>
          <select className="cmp-select" data-testid="diff-b" value={route.b ?? ''} onChange={(e) => go(route.a, e.currentTarget.value || null)}>
            <option value="">{route.mode === 'runs' ? 'candidate run…' : 'candidate version…'}</option>
            {options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        </span>
      </header>

      <div className="cmp-scroll">
        {route.mode === 'runs' && runs?.state === 'ok' && runs.data.length === 0 ? (
          <div className="empty-state">
            <div className="empty-title">No judge runs yet</div>
            <div className="dim">Run judges on traces (Judges view or `tracedeck judge run`), then diff two runs here.</div>
          </div>
        ) : null}
        {!ready && options.length > 0 ? <div className="dim pad">Pick a baseline A and a candidate B.</div> : null}
        {diff?.state === 'error' ? <ErrorBox message={diff.message} /> : null}
        {diff?.state === 'loading' ? <div className="dim pad">Diffing…</div> : null}
        {diff?.state === 'ok' ? (
          <DiffBody
            diff={diff.data}
            versions={route.mode === 'versions' && route.a && route.b ? { groupBy, a: route.a, b: route.b } : null}
            judge={judge}
            kind={kind}
            onJudge={(j) => {
              setJudge(j);
              setLimit(PAGE);
            }}
            onKind={(k) => {
              setKind(k);
              setLimit(PAGE);
            }}
            onMore={() => setLimit((l) => l + PAGE)}
          />
        ) : null}
      </div>
    </div>
  );
}

function DiffBody(p: {
  diff: Diff;
  /** Set when two agent versions are diffed: side by side then offers the task's other runs. */
  versions: Omit<PairTaskContext, 'task'> | null;
  judge: string | null;
  kind: FlipKind | null;
  onJudge(j: string | null): void;
  onKind(k: FlipKind | null): void;
  onMore(): void;
}) {
  const d = p.diff;
  const byTask = d.judges.some((j) => j.test);
  const total = useMemo(() => Object.values(d.flipCounts).reduce((s, n) => s + n, 0), [d.flipCounts]);
  return (
    <>
      <div className="cmp-summary" data-testid="diff-summary">
        <span>
          <b>{d.a.label}</b> → <b>{d.b.label}</b>
        </span>
        <span className="dim">
          paired by {d.pairBy === 'trace' ? 'trace' : 'scenario / input'} · {formatInteger(d.verdictsA)} + {formatInteger(d.verdictsB)} verdicts · diffed in{' '}
          {d.tookMs} ms
        </span>
      </div>

      <section className="cmp-section">
        <h2 className="cmp-h2">
          Judges{byTask ? <span className="dim"> · every run of each task counts; pass rates are means over tasks</span> : null}
        </h2>
        <table className="cmp-table" data-testid="judge-table">
          <thead>
            <tr>
              <th>Judge</th>
              {/* Version diffs count every run of each task: tasks, means of per-task rates, the paired runs test. */}
              <th className="num">{byTask ? 'Tasks' : 'Paired'}</th>
              <th className="num">Pass A</th>
              <th className="num">Pass B</th>
              <th className="num">Δ pass rate</th>
              {byTask ? (
                <th className="num" title="Paired permutation test over tasks using every run (McNemar exact when every task ran once a side)">
                  p (paired runs)
                </th>
              ) : (
                <th className="num" title="McNemar's exact test over the paired verdicts that changed">
                  p (McNemar)
                </th>
              )}
              <th className="num">{byTask ? 'tasks fell' : 'pass→fail'}</th>
              <th className="num">{byTask ? 'tasks rose' : 'fail→pass'}</th>
              <th className="num">Errors A / B</th>
              <th className="num">Only A / B</th>
            </tr>
          </thead>
          <tbody>
            {d.judges.map((j) => (
              <JudgeRow key={j.judge} j={j} selected={p.judge === j.judge} onClick={() => p.onJudge(p.judge === j.judge ? null : j.judge)} />
            ))}
          </tbody>
        </table>
        {d.judges.length === 0 ? <div className="dim pad">No verdicts on either side.</div> : null}
      </section>

      <section className="cmp-section">
        <h2 className="cmp-h2">
          Flips <span className="dim">({formatInteger(total)})</span>
        </h2>
        <div className="cmp-chips" role="group" aria-label="Flip kind">
          <button type="button" className={`cmp-chip${p.kind === null ? ' on' : ''}`} onClick={() => p.onKind(null)}>
            all <span className="n">{formatInteger(total)}</span>
          </button>
          {FLIP_KINDS.map((k) => (
            <button
              key={k}
              type="button"
              className={`cmp-chip kind-${kindClass(k)}${p.kind === k ? ' on' : ''}`}
              disabled={d.flipCounts[k] === 0}
              onClick={() => p.onKind(p.kind === k ? null : k)}
            >
              {k} <span className="n">{formatInteger(d.flipCounts[k])}</span>
            </button>
          ))}
          {p.judge ? (
            <button type="button" className="cmp-chip on" onClick={() => p.onJudge(null)} title="Show every judge">
              judge: {p.judge} ✕
            </button>
          ) : null}
        </div>
        <div className="cmp-flips" data-testid="flips">
          {d.flips.map((f, i) => (
            <FlipCard key={`${f.judge}\u0000${f.pairKey}\u0000${i}`} f={f} ctx={p.versions ? { ...p.versions, task: f.pairKey } : null} />
          ))}
        </div>
        {d.flips.length < d.flipsTotal ? (
          <button type="button" className="button" onClick={p.onMore}>
            Show more ({formatInteger(d.flipsTotal - d.flips.length)} left)
          </button>
        ) : null}
        {d.flipsTotal === 0 ? <div className="dim pad">No verdict changed.</div> : null}
      </section>
    </>
  );
}

function JudgeRow({ j, selected, onClick }: { j: JudgeDelta; selected: boolean; onClick(): void }) {
  const p = j.mcnemar.pValue;
  const sig = j.paired > 0 && p < 0.05;
  const dir = j.delta === null || j.delta === 0 ? '' : j.delta < 0 ? ' down' : ' up';
  return (
    <tr className={`clickable${selected ? ' selected' : ''}`} onClick={onClick} data-judge={j.judge} title="Show this judge's flips">
      <td className="mono">{j.judge}</td>
      <td className="num">{formatInteger(j.paired)}</td>
      <td className="num">{pct(j.passRateA)}</td>
      <td className="num">{pct(j.passRateB)}</td>
      <td className={`num delta${dir}${sig ? ' sig' : ''}`}>{pp(j.delta)}</td>
      <td className={`num${sig ? ' sig' : ''}`} title={sig ? 'significant at 5%' : 'not significant at 5%'}>
        {pValue(p)} <span className="stars">{stars(p)}</span>
      </td>
      <td className="num">{formatInteger(j.mcnemar.passToFail)}</td>
      <td className="num">{formatInteger(j.mcnemar.failToPass)}</td>
      <td className="num">
        {j.errorsA} / {j.errorsB}
      </td>
      <td className="num">
        {j.onlyInA} / {j.onlyInB}
      </td>
    </tr>
  );
}

const kindClass = (k: FlipKind) =>
  k === 'pass→fail' ? 'regress' : k === 'fail→pass' ? 'improve' : k === 'new-error' ? 'new-error' : 'error-fixed';

function FlipCard({ f, ctx }: { f: FlipDto; ctx: PairTaskContext | null }) {
  const same = f.before.traceId === f.after.traceId;
  return (
    <article className={`cmp-flip kind-${kindClass(f.kind)}`} data-kind={f.kind}>
      <div className="cmp-flip-head">
        <span className={`cmp-flip-kind kind-${kindClass(f.kind)}`}>{f.kind}</span>
        <span className="mono">{f.judge}</span>
        <span className="dim mono" title={f.pairKey}>
          {same ? '' : taskLabel(f.pairKey)}
        </span>
        <span className="spacer" />
        {!same ? (
          <a className="cmp-link" href={comparePairHash(f.before.traceId, f.after.traceId, ctx)}>
            side by side →
          </a>
        ) : null}
      </div>
      <div className="cmp-flip-sides">
        <FlipSideView label="A" side={f.before} />
        <FlipSideView label="B" side={f.after} />
      </div>
    </article>
  );
}

function FlipSideView({ label, side }: { label: string; side: FlipDto['before'] }) {
  return (
    <div className="cmp-flip-side">
      <div className="cmp-flip-side-head">
        <span className="cmp-side-label">{label}</span>
        <VerdictPill status={side.status} />
        <TraceLink traceId={side.traceId} name={side.traceName} />
      </div>
      <p className={`cmp-rationale${side.rationale ? '' : ' dim'}`}>{side.rationale || 'no rationale'}</p>
    </div>
  );
}
