import type { TraceSummary } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import { traceNamesById, traceSummariesById } from '../core/store/traces';
import { alignTrajectory, type TrajectoryResult } from '../core/trajectory/align';
import { observedTrajectory } from '../core/trajectory/observed';
import { checkScenarioText, scenarioJsonSchema, ScenarioSchema, type Scenario } from '../core/trajectory/scenario';
import { scenarioFromTrace } from '../core/trajectory/fromTrace';
import {
  matchScenario,
  readTraceFacts,
  ScenarioStore,
  type StoredScenario,
} from '../core/store/scenarios';
import { pairLevelRegressions } from '../core/compare/pairRegressions';
import { diffRunVerdicts } from '../core/compare/runDiff';
import type { VerdictDiff } from '../core/compare/verdictDiff';
import { groupByVersion, traceKeys, type TraceKeys, type VersionGroupBy } from '../core/compare/versionGrouping';
import { compareVersions, REGRESSION_RULES, summariseVersion, type VersionedTrace } from '../core/compare/versions';
import { compareRepeatedRuns, OUTCOME_CRITERION, passRateRegression, type RunRecord } from '../core/compare/repeatedRuns';
import { versionVerdictDiff } from '../core/compare/versionVerdictDiff';
import type { RunVerdict, VerdictSource } from '../core/compare/verdictSource';
import { sqliteVerdictSource } from '../core/store/judgeVerdicts';
import { combinedVerdictSource, recordedVerdictSource } from '../core/store/recordedVerdicts';
import type {
  ApiInput,
  CompareOutputs,
  FlipDto,
  FlipKind,
  PairTrajectory,
  ScenarioInfo,
  TrajectoryView,
  VerdictDiffView,
  VersionPair,
  VersionSummaryDto,
} from '../shared/api';
import { FLIP_KINDS } from '../shared/api';
import { ApiError } from './apiError';

/**
 * Handlers of scenarios, trajectories, verdict diffs and agent versions (src/shared/compare.ts).
 * Trajectory alignments are cached per trace and scenario version: a versions table over a few
 * thousand traces reads each trace's spans once, not on every call.
 */

type CompareMethod = keyof CompareOutputs;
export type CompareHandlers = {
  [M in CompareMethod]: (input: ApiInput<M>) => CompareOutputs[M] | Promise<CompareOutputs[M]>;
};

export interface CompareOptions {
  /** Where verdicts come from; defaults to the judges' tables in the workspace. */
  verdicts?: VerdictSource;
}

const DEFAULT_FLIP_LIMIT = 200;
const TRAJECTORY_CACHE = 5000;

export function compareHandlers(ws: Workspace, opts: CompareOptions = {}): CompareHandlers {
  const store = new ScenarioStore(ws);
  // Tracedeck's judge runs, and next to them the evaluations recorded in the imported files.
  const verdicts = opts.verdicts ?? combinedVerdictSource(sqliteVerdictSource(ws), recordedVerdictSource(ws));
  const trajectories = new Map<string, TrajectoryResult>();

  const scenarios = () => store.list();

  /** Alignment of one trace with one scenario; cached on the trace row and scenario version. */
  const align = (summary: TraceSummary, s: StoredScenario): TrajectoryResult => {
    const key = [summary.traceId, summary.importedAt, summary.spanCount, s.scenario.id, s.updatedAt].join('\u0000');
    const hit = trajectories.get(key);
    if (hit) return hit;
    const r = alignTrajectory(s.scenario, observedTrajectory(ws.getSpans(summary.traceId)));
    trajectories.set(key, r);
    if (trajectories.size > TRAJECTORY_CACHE) trajectories.delete(trajectories.keys().next().value!);
    return r;
  };

  const summaries = (traceIds?: readonly string[]): Map<string, TraceSummary> => traceSummariesById(ws, traceIds);

  /** Every trace's version and pair key under a grouping. */
  const keyed = (groupBy: VersionGroupBy) => {
    const stored = scenarios();
    const facts = readTraceFacts(ws);
    const keys = traceKeys(
      facts,
      groupBy,
      stored.map((s) => s.scenario),
    );
    const inputs = new Map(facts.map((f) => [f.traceId, f.inputText]));
    return { stored, keys, inputs, ...groupByVersion(keys) };
  };

  /** Traces of one version as compareVersions wants them: trajectory and judge facts attached. */
  const versioned = (
    version: string,
    keys: readonly TraceKeys[],
    stored: readonly StoredScenario[],
    traces: Map<string, TraceSummary>,
    latest: Map<string, RunVerdict[]>,
  ) => {
    const byId = new Map(stored.map((s) => [s.scenario.id, s]));
    const rows: (VersionedTrace & { trajectory: TrajectoryResult | null; scenarioId: string | null })[] = [];
    for (const k of keys) {
      const trace = traces.get(k.traceId);
      if (!trace) continue;
      const s = k.scenarioId ? byId.get(k.scenarioId) : undefined;
      const trajectory = s ? align(trace, s) : null;
      const vs = latest.get(k.traceId) ?? [];
      const judged = vs.filter((v) => v.status !== 'error');
      rows.push({
        trace,
        version,
        pairKey: k.pairKey,
        scenarioId: k.scenarioId,
        correct: trajectory ? trajectory.metrics.correct : null,
        judgePass: judged.length ? judged.filter((v) => v.status === 'pass').length : null,
        judgeTotal: judged.length ? judged.length : null,
        trajectory,
      });
    }
    return rows;
  };

  const latestByTrace = (traceIds: readonly string[]): Map<string, RunVerdict[]> => {
    const m = new Map<string, RunVerdict[]>();
    for (const v of verdicts.latestVerdicts(traceIds)) {
      const l = m.get(v.traceId);
      if (l) l.push(v);
      else m.set(v.traceId, [v]);
    }
    return m;
  };

  const summaryDto = (version: string, rows: ReturnType<typeof versioned>): VersionSummaryDto => {
    const t = rows.flatMap((r) => (r.trajectory ? [r.trajectory.metrics] : []));
    const meanOf = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);
    return {
      ...summariseVersion(version, rows),
      meanStepRatio: meanOf(t.map((m) => m.stepRatio)),
      meanToolCallRatio: meanOf(t.map((m) => m.toolCallRatio).filter(Number.isFinite)),
      meanLatencyRatio: meanOf(t.flatMap((m) => (m.latencyRatio === null ? [] : [m.latencyRatio]))),
      meanSolveRate: meanOf(t.map((m) => m.solveRate)),
      withScenario: t.length,
      judged: rows.filter((r) => r.judgeTotal !== null).length,
    };
  };

  const traceNames = (ids: Iterable<string>): Map<string, string> => traceNamesById(ws, [...new Set(ids)]);

  const diffView = (
    started: number,
    a: { id: string; label: string },
    b: { id: string; label: string },
    pairBy: 'trace' | 'pair',
    diff: VerdictDiff,
    counts: { a: number; b: number },
    page: { judge?: string; kind?: string; limit?: number; offset?: number },
  ): VerdictDiffView => {
    const flipCounts = Object.fromEntries(FLIP_KINDS.map((k) => [k, 0])) as Record<FlipKind, number>;
    for (const f of diff.flips) flipCounts[f.kind]++;
    const filtered = diff.flips.filter((f) => (!page.judge || f.judge === page.judge) && (!page.kind || f.kind === page.kind));
    const offset = page.offset ?? 0;
    const shown = filtered.slice(offset, offset + (page.limit ?? DEFAULT_FLIP_LIMIT));
    const names = traceNames(shown.flatMap((f) => [f.before.traceId, f.after.traceId]));
    const flips: FlipDto[] = shown.map((f) => ({
      judge: f.judge,
      pairKey: f.pairKey,
      kind: f.kind,
      before: { ...f.before, traceName: names.get(f.before.traceId) ?? null },
      after: { ...f.after, traceName: names.get(f.after.traceId) ?? null },
    }));
    return {
      a,
      b,
      pairBy,
      judges: diff.judges,
      flips,
      flipsTotal: filtered.length,
      flipCounts,
      verdictsA: counts.a,
      verdictsB: counts.b,
      tookMs: Math.round((performance.now() - started) * 10) / 10,
    };
  };

  const scenarioOrThrow = (raw: unknown): Scenario => {
    const r = ScenarioSchema.safeParse(raw);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    throw new ApiError('bad-input', `invalid scenario: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  };

  return {
    listScenarios: () => scenarios().map(scenarioInfo),
    getScenario: ({ id }) => {
      const s = store.get(id);
      return s ? scenarioInfo(s) : null;
    },
    saveScenario: async ({ scenario }) => {
      const s = scenarioOrThrow(scenario);
      // Through the write queue: an import may hold a transaction open on the write connection.
      await ws.exclusive(async () => store.save(s));
      return scenarioInfo(store.get(s.id)!);
    },
    deleteScenario: async ({ id }) => ({ deleted: await ws.exclusive(async () => store.delete(id)) }),
    loadScenarios: ({ paths }) => ws.exclusive(async () => store.loadPaths(paths)),
    importScenarioFiles: ({ files }) => ws.exclusive(async () => store.importTexts(files)),
    scenarioJsonSchema: () => scenarioJsonSchema(),
    checkScenario: ({ text }) => {
      const r = checkScenarioText(text);
      return { issues: r.ok ? [] : r.issues };
    },
    saveScenarioText: async ({ text, previousId }) => {
      const r = checkScenarioText(text);
      if (!r.ok) return { scenario: null, issues: r.issues };
      const prev = previousId ? store.get(previousId) : null;
      if (r.scenario.id !== previousId && store.get(r.scenario.id))
        return { scenario: null, issues: [{ path: 'id', message: `a scenario '${r.scenario.id}' exists already` }] };
      await ws.exclusive(async () => store.replace(r.scenario, previousId ?? null, prev?.sourceFile ?? null));
      return { scenario: scenarioInfo(store.get(r.scenario.id)!), issues: [] };
    },
    scenarioFromTrace: async ({ traceId, ...opts }) => {
      const facts = readTraceFacts(ws, [traceId])[0];
      if (!facts) throw new ApiError('not-found', `trace '${traceId}' not found`);
      if (store.get(opts.id)) throw new ApiError('bad-input', `a scenario '${opts.id}' exists already`);
      let s: Scenario;
      try {
        s = scenarioFromTrace(ws.getSpans(traceId), facts, opts);
      } catch (e) {
        throw new ApiError('bad-input', (e as Error).message);
      }
      await ws.exclusive(async () => store.save(s));
      return scenarioInfo(store.get(s.id)!);
    },

    getTrajectory: ({ traceId, scenarioId }) => {
      const all = scenarios();
      const trace = summaries([traceId]).get(traceId);
      if (!trace) return { trajectory: null, scenarios: all.length };
      let chosen: { s: StoredScenario; by: TrajectoryView['matchedBy'] } | null = null;
      if (scenarioId) {
        const s = all.find((x) => x.scenario.id === scenarioId);
        if (!s) throw new ApiError('not-found', `no scenario '${scenarioId}'`);
        chosen = { s, by: 'explicit' };
      } else if (all.length > 0) {
        // Only with scenarios to match: reading a trace's facts walks its spans (most of a
        // second at 1M spans, on the server's one thread, as the trace view opens).
        const facts = readTraceFacts(ws, [traceId])[0];
        const m = facts ? matchScenario(all.map((x) => x.scenario), facts) : null;
        const s = m && all.find((x) => x.scenario.id === m.scenario.id);
        if (m && s) chosen = { s, by: m.matchedBy };
      }
      if (!chosen) return { trajectory: null, scenarios: all.length };
      return { trajectory: trajectoryView(ws, trace, chosen.s, chosen.by), scenarios: all.length };
    },

    listDiffRuns: () => verdicts.listRuns(),

    diffRuns: ({ runA, runB, pairBy, ...page }) => {
      const started = performance.now();
      const va = verdicts.runVerdicts(runA);
      const vb = verdicts.runVerdicts(runB);
      const la = va && verdicts.runLabel(runA);
      const lb = vb && verdicts.runLabel(runB);
      if (!va || !la) throw new ApiError('not-found', `no judge run '${runA}'`);
      if (!vb || !lb) throw new ApiError('not-found', `no judge run '${runB}'`);
      let keyOf: ((traceId: string) => string | null) | undefined;
      if (pairBy !== 'trace') {
        // Pair keys are only needed when the runs judged different traces.
        const ids = new Set<string>();
        for (const v of va) ids.add(v.traceId);
        const shared = vb.some((v) => ids.has(v.traceId));
        if (pairBy === 'pair' || !shared) {
          for (const v of vb) ids.add(v.traceId);
          const keys = traceKeys(
            readTraceFacts(ws, [...ids]),
            { by: 'version' },
            scenarios().map((s) => s.scenario),
          );
          const m = new Map(keys.map((k) => [k.traceId, k.pairKey]));
          keyOf = (id) => m.get(id) ?? null;
        }
      }
      const { pairBy: used, diff } = diffRunVerdicts(va, vb, { pairBy: pairBy ?? 'auto', pairKeyOf: keyOf });
      return diffView(started, { id: runA, label: la }, { id: runB, label: lb }, used, diff, { a: va.length, b: vb.length }, page);
    },

    diffVersions: ({ groupBy, a, b, ...page }) => {
      const started = performance.now();
      const { groups } = keyed(groupBy);
      const ka = groups.get(a);
      const kb = groups.get(b);
      if (!ka) throw new ApiError('not-found', `no traces of version '${a}'`);
      if (!kb) throw new ApiError('not-found', `no traces of version '${b}'`);
      const pairOf = new Map([...ka, ...kb].map((k) => [k.traceId, k.pairKey]));
      // Verdicts in trace start order: every run of a task counts, the first of each kind shows a flip.
      const order = (ks: TraceKeys[]) => {
        const rank = new Map(ks.map((k, i) => [k.traceId, i]));
        return verdicts.latestVerdicts(ks.map((k) => k.traceId)).sort((x, y) => rank.get(x.traceId)! - rank.get(y.traceId)!);
      };
      const va = order(ka);
      const vb = order(kb);
      const diff = versionVerdictDiff(va, vb, (id) => pairOf.get(id) ?? null);
      return diffView(started, { id: a, label: a }, { id: b, label: b }, 'pair', diff, { a: va.length, b: vb.length }, page);
    },

    listVersions: ({ groupBy }) => {
      const { stored, groups, ungrouped } = keyed(groupBy);
      const traces = summaries();
      const ids = [...groups.values()].flatMap((g) => g.map((k) => k.traceId));
      const latest = latestByTrace(ids);
      const versions = [...groups.entries()].map(([v, ks]) => summaryDto(v, versioned(v, ks, stored, traces, latest)));
      return { groupBy, versions, ungrouped: ungrouped.length };
    },

    compareVersions: ({ groupBy, a, b, k }) => {
      const { stored, groups, inputs } = keyed(groupBy);
      const ka = groups.get(a);
      const kb = groups.get(b);
      if (!ka) throw new ApiError('not-found', `no traces of version '${a}'`);
      if (!kb) throw new ApiError('not-found', `no traces of version '${b}'`);
      const traces = summaries([...ka, ...kb].map((k) => k.traceId));
      const latest = latestByTrace([...traces.keys()]);
      const ra = versioned(a, ka, stored, traces, latest);
      const rb = versioned(b, kb, stored, traces, latest);
      const cmp = compareVersions(ra, rb);
      const byTrace = new Map([...ra, ...rb].map((r) => [r.trace.traceId, r]));
      const pairs: VersionPair[] = cmp.pairs.map((p) => {
        const xa = byTrace.get(p.a.traceId)!;
        const xb = byTrace.get(p.b.traceId)!;
        const verdictsOf = (id: string) => new Map((latest.get(id) ?? []).map((v) => [v.judge, v.status]));
        const vA = verdictsOf(p.a.traceId);
        const vB = verdictsOf(p.b.traceId);
        const judges = [...new Set([...vA.keys(), ...vB.keys()])].sort();
        const verdictRows = judges.map((j) => ({ judge: j, a: vA.get(j) ?? null, b: vB.get(j) ?? null }));
        return {
          pairKey: p.pairKey,
          scenarioId: xa.scenarioId ?? xb.scenarioId,
          a: p.a,
          b: p.b,
          tokensRatio: p.tokensRatio,
          latencyRatio: p.latencyRatio,
          toolCallsDelta: p.toolCallsDelta,
          trajectoryA: pairTrajectory(xa.trajectory),
          trajectoryB: pairTrajectory(xb.trajectory),
          verdicts: verdictRows,
          flags: pairFlags(p, verdictRows),
        };
      });
      const keysA = new Set(ra.flatMap((r) => (r.pairKey ? [r.pairKey] : [])));
      const keysB = new Set(rb.flatMap((r) => (r.pairKey ? [r.pairKey] : [])));
      const runs = (rows: typeof ra) => rows.flatMap((r) => (r.pairKey ? [runRecord(r, r.pairKey, inputs.get(r.trace.traceId) ?? '', latest)] : []));
      const repeated = compareRepeatedRuns(runs(ra), runs(rb), { k });
      const headline = passRateRegression(repeated);
      return {
        groupBy,
        a: summaryDto(a, ra),
        b: summaryDto(b, rb),
        pairs,
        regressions: [...(headline ? [headline] : []), ...cmp.regressions, ...pairLevelRegressions(cmp.pairs, cmp.regressions)],
        repeated,
        unpairedA: [...keysA].filter((k) => !keysB.has(k)).length,
        unpairedB: [...keysB].filter((k) => !keysA.has(k)).length,
      };
    },

    comparePair: ({ a, b }) => {
      const traces = summaries([a, b]);
      const ta = traces.get(a);
      const tb = traces.get(b);
      if (!ta || !tb) return null;
      const stored = scenarios();
      const facts = new Map(readTraceFacts(ws, [a, b]).map((f) => [f.traceId, f]));
      const matched = (id: string) => {
        const f = facts.get(id);
        const m = f ? matchScenario(stored.map((x) => x.scenario), f) : null;
        return m ? (stored.find((x) => x.scenario.id === m.scenario.id) ?? null) : null;
      };
      // One scenario for both when only one side matched: they are being compared as one task.
      const sa = matched(a);
      const sb = matched(b);
      const traj = (t: TraceSummary, s: StoredScenario | null) => {
        const p = s ? pairTrajectory(align(t, s)) : null;
        return p && s ? { ...p, scenarioId: s.scenario.id } : null;
      };
      const latest = latestByTrace([a, b]);
      const byJudge = (id: string) => new Map((latest.get(id) ?? []).map((v) => [v.judge, v]));
      const va = byJudge(a);
      const vb = byJudge(b);
      const judges = [...new Set([...va.keys(), ...vb.keys()])].sort();
      return {
        a: ta,
        b: tb,
        trajectoryA: traj(ta, sa ?? sb),
        trajectoryB: traj(tb, sb ?? sa),
        verdicts: judges.map((j) => ({
          judge: j,
          a: va.get(j)?.status ?? null,
          b: vb.get(j)?.status ?? null,
          rationaleA: va.get(j)?.rationale ?? null,
          rationaleB: vb.get(j)?.rationale ?? null,
        })),
      };
    },
  };
}

/**
 * One run as the repeated-runs comparison reads it. Outcome: no error span, and the trajectory
 * satisfies its scenario when one matched; judges: their latest pass/fail (errors are unknown).
 */
function runRecord(
  r: VersionedTrace & { trajectory: TrajectoryResult | null; scenarioId: string | null },
  task: string,
  input: string,
  latest: Map<string, RunVerdict[]>,
): RunRecord {
  const t = r.trace;
  const checks: Record<string, boolean> = { [OUTCOME_CRITERION]: t.status !== 'error' && (r.trajectory ? r.trajectory.metrics.correct : true) };
  for (const v of latest.get(t.traceId) ?? []) if (v.status !== 'error') checks[v.judge] = v.status === 'pass';
  return {
    traceId: t.traceId,
    name: t.name,
    task,
    taskLabel: r.scenarioId ?? taskInputLabel(input),
    scenarioId: r.scenarioId,
    startMs: t.startMs,
    durationMs: t.durationMs,
    tokens: t.inputTokens + t.outputTokens,
    costUsd: t.costUsd,
    toolCalls: t.toolCalls,
    stepRatio: r.trajectory ? r.trajectory.metrics.stepRatio : null,
    solveRate: r.trajectory ? r.trajectory.metrics.solveRate : null,
    checks,
  };
}

/** A task named by its input: the first 80 characters, whitespace collapsed. */
function taskInputLabel(input: string): string {
  const s = input.replace(/\s+/g, ' ').trim();
  return s.length > 80 ? `${s.slice(0, 79)}…` : s || '(no input)';
}

function pairTrajectory(t: TrajectoryResult | null): PairTrajectory | null {
  if (!t) return null;
  const m = t.metrics;
  return { correct: m.correct, stepRatio: m.stepRatio, toolCallRatio: m.toolCallRatio, latencyRatio: m.latencyRatio, solveRate: m.solveRate };
}

/** What a single pair shows on its own, by the same thresholds as the version-level flags. */
function pairFlags(
  p: { a: TraceSummary; b: TraceSummary; tokensRatio: number | null; latencyRatio: number | null; correctA: boolean | null; correctB: boolean | null },
  verdicts: { a: string | null; b: string | null }[],
): string[] {
  const flags: string[] = [];
  if ((p.tokensRatio ?? 0) >= REGRESSION_RULES.tokensRatio) flags.push('tokens');
  if ((p.latencyRatio ?? 0) >= REGRESSION_RULES.latencyRatio) flags.push('latency');
  if (p.b.toolErrors > p.a.toolErrors) flags.push('tool-failures');
  if (p.b.status === 'error' && p.a.status !== 'error') flags.push('errors');
  if (p.correctA === true && p.correctB === false) flags.push('correctness');
  if (verdicts.some((v) => v.a === 'pass' && v.b === 'fail')) flags.push('judges');
  return flags;
}

function scenarioInfo(s: StoredScenario): ScenarioInfo {
  const sc = s.scenario;
  return {
    id: sc.id,
    name: sc.name ?? null,
    sourceFile: s.sourceFile,
    updatedAt: s.updatedAt,
    input: sc.input ?? null,
    expectations: sc.expectations ?? null,
    matchAttribute: sc.match.attribute,
    inputContains: sc.match.inputContains ?? null,
    matchTag: sc.match.tag ?? null,
    idealSteps: sc.ideal.steps.length,
    idealToolCalls: sc.ideal.steps.reduce((n, st) => n + st.calls.length, 0),
    latencySeconds: sc.ideal.latencySeconds ?? null,
    trajectoryMatch: sc.ideal.trajectoryMatch,
    argMatch: sc.ideal.argMatch,
    body: sc,
  };
}

export function trajectoryView(
  ws: Workspace,
  trace: TraceSummary,
  s: StoredScenario,
  matchedBy: TrajectoryView['matchedBy'],
): TrajectoryView {
  const observed = observedTrajectory(ws.getSpans(trace.traceId));
  const r = alignTrajectory(s.scenario, observed);
  return {
    traceId: trace.traceId,
    scenario: scenarioInfo(s),
    matchedBy,
    mode: r.mode,
    rows: r.rows,
    metrics: r.metrics,
    observedSteps: observed.steps.map((st) => ({ spanId: st.spanId, startMs: st.startMs, endMs: st.endMs, calls: st.calls.length })),
    idealSteps: s.scenario.ideal.steps.map((st) => ({
      name: st.name ?? null,
      parallel: st.parallel,
      calls: st.calls.map((c) => (c.args ? { tool: c.tool, args: c.args } : { tool: c.tool })),
    })),
  };
}
