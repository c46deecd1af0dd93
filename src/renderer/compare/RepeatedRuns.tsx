import type { CriterionComparison, RepeatedRunsComparison, TaskComparison, TaskRun, VersionGroupByDto } from '../../shared/api';
import { formatCompact, formatCost, formatDuration } from '../util/format';
import { num, pct, pp, pValue, ratio, stars } from './format';
import { comparePairHash } from './routes';

/**
 * Every run of every task under versions A and B: per criterion (all, run outcome, each judge)
 * the mean per-task pass rate, Δ with its bootstrap interval and the paired test's p-value,
 * pass@k / pass^k and flaky tasks; then one row per task with each run as a pass/fail mark, and
 * the tasks only one version ran. A task opens side by side on its most telling pair.
 */
/** Step ratio and solve rate need a scenario: their columns show only when some task has one. */
const hasTrajectory = (r: RepeatedRunsComparison) => r.tasks.some((t) => t.a.meanStepRatio !== null || t.b.meanStepRatio !== null);

export function RepeatedRuns({
  r,
  a,
  b,
  groupBy,
  onK,
}: {
  r: RepeatedRunsComparison;
  a: string;
  b: string;
  groupBy: VersionGroupByDto;
  onK(k: number): void;
}) {
  const traj = hasTrajectory(r);
  return (
    <>
      <section className="cmp-section" data-testid="repeated-runs">
        <h2 className="cmp-h2 cmp-h2-row">
          Repeated runs{' '}
          <span className="dim">
            · {r.tasks.length} task{r.tasks.length === 1 ? '' : 's'} run by both · a task is its scenario, else its normalised first user input
          </span>
          <span className="spacer" />
          <label className="dim cmp-k">
            pass@k / pass^k with k ={' '}
            <select className="cmp-select" data-testid="k-select" value={r.k} onChange={(e) => onK(Number(e.currentTarget.value))}>
              {Array.from({ length: r.maxK }, (_, i) => i + 1).map((k) => (
                <option key={k} value={k}>
                  {k}
                </option>
              ))}
            </select>
          </label>
        </h2>
        <table className="cmp-table" data-testid="criteria-table">
          <thead>
            <tr>
              <th>Criterion</th>
              <th className="num">Tasks</th>
              <th className="num">Runs A / B</th>
              <th className="num">Pass A</th>
              <th className="num">Pass B</th>
              <th className="num">Δ</th>
              <th className="num" title="95% bootstrap interval of Δ (tasks, then runs, resampled)">
                95% CI
              </th>
              <th className="num" title="Paired permutation test over tasks using every run (McNemar exact when every task ran once a side)">
                p
              </th>
              <th className="num" title={`Chance that at least one of ${r.k} runs passes (unbiased estimator, Chen et al. 2021)`}>
                pass@{r.k} A → B
              </th>
              <th className="num" title={`Chance that all ${r.k} runs pass`}>
                pass^{r.k} A → B
              </th>
              <th className="num" title="Tasks with mixed outcomes within the version">
                Flaky A / B
              </th>
            </tr>
          </thead>
          <tbody>
            {r.criteria.map((c) => (
              <CriterionRow key={c.criterion} c={c} />
            ))}
          </tbody>
        </table>
      </section>
      <section className="cmp-section">
        <h2 className="cmp-h2">
          Tasks <span className="dim">· largest drop first · each mark is one run (✓ passed, ✗ failed)</span>
        </h2>
        <div className="cmp-table-wrap">
        <table className="cmp-table" data-testid="tasks-table">
          <thead>
            <tr>
              <th>Task</th>
              <th>Runs A ({a})</th>
              <th>Runs B ({b})</th>
              <th className="num">Pass A → B</th>
              <th className="num">Δ</th>
              <th className="num">pass^{r.k} A → B</th>
              <th>Flaky</th>
              <th className="num">Median latency</th>
              <th className="num">Tokens</th>
              <th className="num">Cost</th>
              <th className="num">Tool calls</th>
              {traj ? (
                <>
                  <th className="num" title="Observed model turns / ideal steps (mean over runs with a scenario)">
                    Step ratio
                  </th>
                  <th className="num" title="Ideal steps per observed second (mean; 0 for failed runs)">
                    Solve rate
                  </th>
                </>
              ) : null}
              <th />
            </tr>
          </thead>
          <tbody>
            {r.tasks.map((t) => (
              <TaskRow key={t.task} t={t} groupBy={groupBy} va={a} vb={b} trajectory={traj} />
            ))}
          </tbody>
        </table>
        </div>
        {r.tasks.length === 0 ? <div className="dim pad">No task ran under both versions.</div> : null}
        {r.onlyInA.length || r.onlyInB.length ? (
          <div className="cmp-unpaired" data-testid="unpaired-tasks">
            {(
              [
                [a, r.onlyInA],
                [b, r.onlyInB],
              ] as const
            ).map(([v, list]) =>
              list.length ? (
                <div key={v} data-side={v === a ? 'A' : 'B'}>
                  <span className="dim">Only in {v}:</span>{' '}
                  {list.map((t) => (
                    <span key={t.task} className="cmp-unpaired-task" title={t.task}>
                      {t.label} <span className="dim">({t.passes}/{t.runs} passed)</span>
                    </span>
                  ))}
                </div>
              ) : null,
            )}
          </div>
        ) : null}
      </section>
    </>
  );
}

const CRITERION_LABEL: Record<string, string> = { all: 'All criteria', outcome: 'Run outcome' };
const CRITERION_TITLE: Record<string, string> = {
  all: 'A run passes when it passes every criterion it has a result for',
  outcome: 'No span ended in error, and the trajectory satisfies its scenario when one matched',
};

function CriterionRow({ c }: { c: CriterionComparison }) {
  const sig = c.pValue !== null && c.pValue < 0.05;
  const dir = c.delta === null || c.delta === 0 ? '' : c.delta < 0 ? ' down' : ' up';
  return (
    <tr data-criterion={c.criterion} className={sig && (c.delta ?? 0) < 0 ? 'flagged' : ''}>
      <td className={c.criterion in CRITERION_LABEL ? 'strong' : 'mono'} title={CRITERION_TITLE[c.criterion] ?? `judge ${c.criterion}`}>
        {CRITERION_LABEL[c.criterion] ?? c.criterion}
      </td>
      <td className="num">{c.tasks}</td>
      <td className="num">
        {c.runsA} / {c.runsB}
      </td>
      <td className="num">{pct(c.passRateA)}</td>
      <td className="num">{pct(c.passRateB)}</td>
      <td className={`num delta${dir}${sig ? ' sig' : ''}`}>{pp(c.delta)}</td>
      <td className="num dim">{c.ci ? `${pp(c.ci[0])} … ${pp(c.ci[1])}` : '—'}</td>
      <td className={`num${sig ? ' sig' : ''}`} title={c.method ?? ''} data-testid="criterion-p">
        {c.pValue === null ? '—' : pValue(c.pValue)}
        <span className="stars">{c.pValue === null ? '' : stars(c.pValue)}</span>
      </td>
      <td className="num">
        {pct(c.passAtKA)} → {pct(c.passAtKB)}
      </td>
      <td className="num">
        {pct(c.passHatKA)} → {pct(c.passHatKB)}
      </td>
      <td className="num">
        {c.flakyA} / {c.flakyB}
      </td>
    </tr>
  );
}

function RunMarks({ runs, side, telling }: { runs: TaskRun[]; side: 'A' | 'B'; telling: string }) {
  return (
    <span className="cmp-runs" data-testid={`runs-${side}`}>
      {runs.map((x, i) => (
        <span
          key={x.traceId}
          className={`cmp-run ${x.pass ? 'pass' : 'fail'}${x.traceId === telling ? ' telling' : ''}`}
          title={`run ${i + 1}: ${x.name ?? x.traceId} — ${x.pass ? 'passed' : `failed ${x.failed.join(', ')}`}`}
          data-trace-id={x.traceId}
        >
          {x.pass ? '✓' : '✗'}
        </span>
      ))}
    </span>
  );
}

const arrow = (a: string, b: string) => `${a} → ${b}`;

function TaskRow({ t, groupBy, va, vb, trajectory }: { t: TaskComparison; groupBy: VersionGroupByDto; va: string; vb: string; trajectory: boolean }) {
  const dir = t.delta === 0 ? '' : t.delta < 0 ? ' down' : ' up';
  return (
    <tr data-task={t.task} className={t.delta < 0 ? 'flagged' : ''}>
      <td className="cmp-task-label" title={t.task}>
        {t.label}
      </td>
      <td>
        <RunMarks runs={t.a.runList} side="A" telling={t.telling.a} />
      </td>
      <td>
        <RunMarks runs={t.b.runList} side="B" telling={t.telling.b} />
      </td>
      <td className="num">
        {t.a.passes}/{t.a.runs} → {t.b.passes}/{t.b.runs}
      </td>
      <td className={`num delta${dir}`}>{pp(t.delta)}</td>
      <td className="num">{arrow(pct(t.a.passHatK, 0), pct(t.b.passHatK, 0))}</td>
      <td data-testid="task-flaky">
        {t.a.flaky ? <span className="cmp-flag" title={`mixed outcomes within ${va}`}>flaky A</span> : null}
        {t.b.flaky ? <span className="cmp-flag" title={`mixed outcomes within ${vb}`}>flaky B</span> : null}
      </td>
      <td className="num">{arrow(formatDuration(t.a.medianLatencyMs), formatDuration(t.b.medianLatencyMs))}</td>
      <td className="num">{arrow(formatCompact(t.a.meanTokens), formatCompact(t.b.meanTokens))}</td>
      <td className="num">{t.a.meanCostUsd === null && t.b.meanCostUsd === null ? '—' : arrow(formatCost(t.a.meanCostUsd), formatCost(t.b.meanCostUsd))}</td>
      <td className="num">{arrow(num(t.a.meanToolCalls, 1), num(t.b.meanToolCalls, 1))}</td>
      {trajectory ? (
        <>
          <td className="num">{t.a.meanStepRatio === null && t.b.meanStepRatio === null ? '—' : arrow(ratio(t.a.meanStepRatio), ratio(t.b.meanStepRatio))}</td>
          <td className="num">
            {t.a.meanSolveRate === null && t.b.meanSolveRate === null ? '—' : arrow(`${num(t.a.meanSolveRate, 3)}/s`, `${num(t.b.meanSolveRate, 3)}/s`)}
          </td>
        </>
      ) : null}
      <td>
        <a
          className="cmp-link"
          href={comparePairHash(t.telling.a, t.telling.b, { groupBy, a: va, b: vb, task: t.task })}
          data-testid="task-open"
          title="A passing run of A beside a failing run of B when there is one"
        >
          side by side →
        </a>
      </td>
    </tr>
  );
}
