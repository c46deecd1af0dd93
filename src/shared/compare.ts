/**
 * Contract of scenarios, trajectories, verdict diffs and agent versions (merged into
 * ApiInputSchemas / ApiOutputs in api.ts). Result types: src/core/model/compare.ts.
 */
import { z } from 'zod';
import { FLIP_KINDS } from '../core/model/compare';
import type {
  JudgeRunInfo,
  PairComparison,
  ScenarioInfo,
  ScenarioLoadResult,
  TrajectoryView,
  VerdictDiffView,
  VersionComparison,
  VersionList,
} from '../core/model/compare';

export type * from '../core/model/compare';
export { FLIP_KINDS } from '../core/model/compare';

const id = z.string().min(1).max(4096);
const key = z.string().min(1).max(1000);

export const VersionGroupBySchema = z.discriminatedUnion('by', [
  z.object({ by: z.literal('version') }).strict(),
  z.object({ by: z.literal('attribute'), key }).strict(),
  z.object({ by: z.literal('tag'), key: z.string().max(1000).optional() }).strict(),
  z.object({ by: z.literal('import') }).strict(),
]);

/** Which flips to return: the diff itself is always over every verdict. */
const flipPage = {
  judge: z.string().min(1).max(1000).optional(),
  kind: z.enum(FLIP_KINDS as [string, ...string[]]).optional(),
  limit: z.number().int().min(0).max(10_000).optional(),
  offset: z.number().int().min(0).optional(),
};

export const CompareInputSchemas = {
  listScenarios: z.object({}).strict(),
  getScenario: z.object({ id }).strict(),
  /** Save (insert or replace) a scenario; the body is validated on the backend (ScenarioSchema). */
  saveScenario: z.object({ scenario: z.record(z.string(), z.unknown()) }).strict(),
  deleteScenario: z.object({ id }).strict(),
  /** Load *.scenario.json files, or folders holding them, from this machine. */
  loadScenarios: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000) }).strict(),
  /** The trace's trajectory against a scenario: the one named, else the one it matches. */
  getTrajectory: z.object({ traceId: id, scenarioId: id.optional() }).strict(),
  /** Judge runs that can be diffed. */
  listDiffRuns: z.object({}).strict(),
  /** Verdict diff of two judge runs. pairBy 'auto' pairs by trace when the runs share traces. */
  diffRuns: z
    .object({ runA: id, runB: id, pairBy: z.enum(['auto', 'trace', 'pair']).optional(), ...flipPage })
    .strict(),
  /** Verdict diff of two agent versions (latest verdict per judge and trace, paired by task). */
  diffVersions: z.object({ groupBy: VersionGroupBySchema, a: key, b: key, ...flipPage }).strict(),
  listVersions: z.object({ groupBy: VersionGroupBySchema }).strict(),
  /** Version B against baseline A: summaries, every run of each task (repeated), regressions. */
  compareVersions: z
    .object({ groupBy: VersionGroupBySchema, a: key, b: key, /** k of pass@k / pass^k (clamped to the runs every paired task has) */ k: z.number().int().min(1).max(10_000).optional() })
    .strict(),
  /** Two traces side by side: trajectories (scenario matched like getTrajectory) and verdicts. */
  comparePair: z.object({ a: id, b: id }).strict(),
} as const;

export interface CompareOutputs {
  listScenarios: ScenarioInfo[];
  getScenario: ScenarioInfo | null;
  saveScenario: ScenarioInfo;
  deleteScenario: { deleted: boolean };
  loadScenarios: ScenarioLoadResult;
  /** trajectory null: the trace is unknown or no scenario matches; `scenarios` = how many exist. */
  getTrajectory: { trajectory: TrajectoryView | null; scenarios: number };
  listDiffRuns: JudgeRunInfo[];
  diffRuns: VerdictDiffView;
  diffVersions: VerdictDiffView;
  listVersions: VersionList;
  compareVersions: VersionComparison;
  /** null when either trace is unknown. */
  comparePair: PairComparison | null;
}
