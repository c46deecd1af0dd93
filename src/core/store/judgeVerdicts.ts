import type { Workspace } from './workspace';
import { readerOf } from './connection';
import type { VerdictStatus } from '../compare/verdictDiff';
import { EMPTY_VERDICT_SOURCE, type JudgeRunRef, type RunVerdict, type VerdictSource } from '../compare/verdictSource';

/**
 * Verdicts from the judges' tables (migration 4: judge_runs, verdicts). Judges are told apart
 * by judge id, which stays the same across edits of a judge (its hash changes). Rows are read
 * as arrays (`raw`): a 100k-verdict run is the common case for a diff, and objects per row
 * would cost more than the diff itself. A workspace from before migration 4 has nothing to diff.
 */
export function sqliteVerdictSource(ws: Workspace): VerdictSource {
  const db = readerOf(ws);
  const has = (t: string) => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
  if (!has('judge_runs') || !has('verdicts')) return EMPTY_VERDICT_SOURCE;

  const runsStmt = db.prepare(
    `SELECT r.id, r.name, r.started_at,
            (SELECT count(*) FROM verdicts v WHERE v.run_id = r.id) AS verdicts,
            (SELECT count(DISTINCT v.trace_id) FROM verdicts v WHERE v.run_id = r.id) AS traces,
            (SELECT json_group_array(j) FROM (SELECT DISTINCT v.judge_id AS j FROM verdicts v WHERE v.run_id = r.id ORDER BY j)) AS judges
       FROM judge_runs r ORDER BY r.started_at DESC, r.id DESC`,
  );
  const runStmt = db.prepare<[number], { id: number; name: string }>('SELECT id, name FROM judge_runs WHERE id = ?');
  const label = (r: { id: number; name: string }) => `#${r.id} ${r.name}`;
  const verdictsStmt = db
    .prepare('SELECT judge_id, trace_id, status, rationale, error FROM verdicts WHERE run_id = ? ORDER BY id')
    .raw(true);
  const latestStmt = db
    .prepare(
      `SELECT judge_id, trace_id, status, rationale, error FROM verdicts
        WHERE trace_id IN (SELECT value FROM json_each(?)) ORDER BY created_at, id`,
    )
    .raw(true);

  const toVerdicts = (rows: unknown[][]): RunVerdict[] => {
    const out: RunVerdict[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const [judge, traceId, status, rationale, error] = rows[i] as [string, string, VerdictStatus, string, string | null];
      // An errored verdict's rationale is usually empty: the error says what happened.
      const why = rationale || (status === 'error' && error ? error : '');
      out[i] = why ? { judge, traceId, status, rationale: why } : { judge, traceId, status };
    }
    return out;
  };
  const runId = (id: string) => (/^\d{1,15}$/.test(id) ? Number(id) : null);

  return {
    listRuns: (): JudgeRunRef[] =>
      (runsStmt.all() as { id: number; name: string; started_at: number; verdicts: number; traces: number; judges: string }[]).map(
        (r) => ({
          id: String(r.id),
          label: label(r),
          startedAt: r.started_at,
          verdicts: r.verdicts,
          traces: r.traces,
          judges: JSON.parse(r.judges) as string[],
        }),
      ),
    runVerdicts: (id) => {
      const n = runId(id);
      if (n === null || !runStmt.get(n)) return null;
      return toVerdicts(verdictsStmt.all(n) as unknown[][]);
    },
    runLabel: (id) => {
      const n = runId(id);
      const r = n === null ? undefined : runStmt.get(n);
      return r ? label(r) : null;
    },
    latestVerdicts: (traceIds) => {
      if (!traceIds.length) return [];
      const all = toVerdicts(latestStmt.all(JSON.stringify(traceIds)) as unknown[][]);
      const latest = new Map<string, RunVerdict>();
      for (const v of all) latest.set(`${v.judge}\u0000${v.traceId}`, v);
      return [...latest.values()];
    },
  };
}
