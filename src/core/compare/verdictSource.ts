import type { VerdictStatus } from './verdictDiff';

/**
 * Where verdict diffs and version comparisons read judge verdicts from. The judges store
 * implements it over its tables (sqliteVerdictSource.ts); tests pass an in-memory one.
 */
export interface JudgeRunRef {
  id: string;
  label: string;
  startedAt: number | null;
  verdicts: number;
  traces: number;
  judges: string[];
}

export interface RunVerdict {
  /** Judge name (what the diff groups by: the same judge in both runs). */
  judge: string;
  traceId: string;
  status: VerdictStatus;
  rationale?: string;
}

export interface VerdictSource {
  listRuns(): JudgeRunRef[];
  /** Every verdict of one run; null when there is no such run. */
  runVerdicts(runId: string): RunVerdict[] | null;
  /** A run's label as listRuns gives it, without listRuns' counts over every run (a diff names two). */
  runLabel(runId: string): string | null;
  /** The latest verdict of each judge on each of these traces, over all runs. */
  latestVerdicts(traceIds: readonly string[]): RunVerdict[];
}

export const EMPTY_VERDICT_SOURCE: VerdictSource = {
  listRuns: () => [],
  runVerdicts: () => null,
  runLabel: () => null,
  latestVerdicts: () => [],
};

/** An in-memory source: runs in the given order, each a list of verdicts. */
export function memoryVerdictSource(runs: { id: string; label?: string; startedAt?: number; verdicts: RunVerdict[] }[]): VerdictSource {
  return {
    listRuns: () =>
      runs.map((r) => ({
        id: r.id,
        label: r.label ?? r.id,
        startedAt: r.startedAt ?? null,
        verdicts: r.verdicts.length,
        traces: new Set(r.verdicts.map((v) => v.traceId)).size,
        judges: [...new Set(r.verdicts.map((v) => v.judge))].sort(),
      })),
    runVerdicts: (id) => runs.find((r) => r.id === id)?.verdicts ?? null,
    runLabel: (id) => {
      const r = runs.find((x) => x.id === id);
      return r ? (r.label ?? r.id) : null;
    },
    latestVerdicts: (traceIds) => {
      const want = new Set(traceIds);
      const latest = new Map<string, RunVerdict>();
      for (const r of runs) for (const v of r.verdicts) if (want.has(v.traceId)) latest.set(`${v.judge}\u0000${v.traceId}`, v);
      return [...latest.values()];
    },
  };
}
