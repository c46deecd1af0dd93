import type { Workspace } from './workspace';
import { readerOf } from './connection';
import type { JudgeVerdictRow } from '../labels/report';
import type { JudgeRunRef, RunVerdict, VerdictSource } from '../compare/verdictSource';

/**
 * Evaluations recorded in imported files (migration 6: recorded_evaluations) as a verdict source
 * next to Tracedeck's own judge runs. Only evaluations with a verdict (pass not null, by the
 * mapping in model/evaluations.ts) take part. For diffs, each source file is one "run" (id
 * `recorded:<file>`), its evaluations grouped by name as judges `recorded:<name>`; so two eval
 * logs of two agent versions diff like two judge runs. For alignment, each evaluation name is
 * a judge `recorded:<name>`.
 */
export const RECORDED_PREFIX = 'recorded:';

const baseName = (p: string) => p.split(/[\\/]/).pop() || p;

export function recordedVerdictSource(ws: Workspace): VerdictSource {
  const db = readerOf(ws);
  const has = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recorded_evaluations'`).get();
  if (!has) return { listRuns: () => [], runVerdicts: () => null, runLabel: () => null, latestVerdicts: () => [] };
  const label = (file: string) => `recorded · ${baseName(file)}`;
  const runsStmt = db.prepare(
    `SELECT t.source_file AS file, min(t.imported_at) AS at, count(*) AS verdicts, count(DISTINCT e.trace_id) AS traces,
            json_group_array(DISTINCT e.name) AS names
       FROM recorded_evaluations e JOIN traces t ON t.id = e.trace_id
      WHERE e.pass IS NOT NULL GROUP BY t.source_file ORDER BY at DESC, file`,
  );
  const runStmt = db
    .prepare(
      `SELECT e.name, e.trace_id, e.pass, e.comment FROM recorded_evaluations e JOIN traces t ON t.id = e.trace_id
        WHERE t.source_file = ? AND e.pass IS NOT NULL ORDER BY t.start_ms, e.trace_id, e.seq`,
    )
    .raw(true);
  const latestStmt = db
    .prepare(
      `SELECT name, trace_id, pass, comment FROM recorded_evaluations
        WHERE pass IS NOT NULL AND trace_id IN (SELECT value FROM json_each(?)) ORDER BY trace_id, seq`,
    )
    .raw(true);
  const toVerdicts = (rows: unknown[][]): RunVerdict[] =>
    rows.map((r) => {
      const [name, traceId, pass, comment] = r as [string, string, number, string | null];
      const v: RunVerdict = { judge: `${RECORDED_PREFIX}${name}`, traceId, status: pass === 1 ? 'pass' : 'fail' };
      if (comment) v.rationale = comment;
      return v;
    });
  return {
    listRuns: (): JudgeRunRef[] =>
      (runsStmt.all() as { file: string; at: number; verdicts: number; traces: number; names: string }[]).map((r) => ({
        id: `${RECORDED_PREFIX}${r.file}`,
        label: label(r.file),
        startedAt: r.at,
        verdicts: r.verdicts,
        traces: r.traces,
        judges: (JSON.parse(r.names) as string[]).map((n) => `${RECORDED_PREFIX}${n}`).sort(),
      })),
    runVerdicts: (id) => {
      if (!id.startsWith(RECORDED_PREFIX)) return null;
      const rows = runStmt.all(id.slice(RECORDED_PREFIX.length)) as unknown[][];
      return rows.length ? toVerdicts(rows) : null;
    },
    // A file with evaluations is a run; which files have some is runVerdicts' answer.
    runLabel: (id) => (id.startsWith(RECORDED_PREFIX) ? label(id.slice(RECORDED_PREFIX.length)) : null),
    latestVerdicts: (traceIds) => (traceIds.length ? toVerdicts(latestStmt.all(JSON.stringify(traceIds)) as unknown[][]) : []),
  };
}

/** Judge runs first, then recorded evaluations; a run id belongs to one of them. */
export function combinedVerdictSource(judges: VerdictSource, recorded: VerdictSource): VerdictSource {
  return {
    listRuns: () => [...judges.listRuns(), ...recorded.listRuns()],
    runVerdicts: (id) => (id.startsWith(RECORDED_PREFIX) ? recorded.runVerdicts(id) : judges.runVerdicts(id)),
    runLabel: (id) => (id.startsWith(RECORDED_PREFIX) ? recorded.runLabel(id) : judges.runLabel(id)),
    latestVerdicts: (ids) => [...judges.latestVerdicts(ids), ...recorded.latestVerdicts(ids)],
  };
}

/** Recorded evaluation names as judges for the alignment report (judge id `recorded:<name>`). */
export function recordedAlignmentJudges(ws: Workspace) {
  const db = readerOf(ws);
  const has = !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'recorded_evaluations'`).get();
  const judgesStmt = has
    ? db.prepare(
        `SELECT name, count(DISTINCT trace_id) AS verdicts FROM recorded_evaluations
          WHERE pass IS NOT NULL AND trace_id IN (SELECT id FROM traces) GROUP BY name ORDER BY name`,
      )
    : null;
  const verdictsStmt = has
    ? db
        .prepare(
          `SELECT trace_id, pass, comment FROM recorded_evaluations
            WHERE name = ? AND pass IS NOT NULL AND trace_id IN (SELECT id FROM traces) ORDER BY trace_id, seq`,
        )
        .raw(true)
    : null;
  return {
    listJudges: () =>
      ((judgesStmt?.all() ?? []) as { name: string; verdicts: number }[]).map((r) => ({
        id: `${RECORDED_PREFIX}${r.name}`,
        name: `${r.name} (recorded)`,
        verdicts: r.verdicts,
        // Only pass / fail evaluations are listed, so every one is decided.
        decided: r.verdicts,
      })),
    latestVerdicts: (judgeId: string): { judge: { id: string; name: string }; verdicts: JudgeVerdictRow[] } | null => {
      if (!verdictsStmt || !judgeId.startsWith(RECORDED_PREFIX)) return null;
      const name = judgeId.slice(RECORDED_PREFIX.length);
      const rows = verdictsStmt.all(name) as [string, number, string | null][];
      if (rows.length === 0) return null;
      // Several evaluations of one name on one trace (e.g. two annotators): the last recorded wins.
      const latest = new Map<string, JudgeVerdictRow>();
      for (const [traceId, pass, comment] of rows) latest.set(traceId, { traceId, status: pass === 1 ? 'pass' : 'fail', rationale: comment ?? '' });
      return { judge: { id: judgeId, name: `${name} (recorded)` }, verdicts: [...latest.values()] };
    },
  };
}
