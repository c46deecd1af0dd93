import type Database from 'better-sqlite3';
import { EMPTY_VERDICT_SOURCE, type JudgeRunRef, type RunVerdict, type VerdictSource } from './verdictSource';

/**
 * Verdicts from the judges' tables in the workspace. Until a workspace has them (older schema)
 * there is nothing to diff: the empty source.
 */
export function sqliteVerdictSource(db: Database.Database): VerdictSource {
  const has = (t: string) => !!db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t);
  if (!has('judge_runs') || !has('verdicts')) return EMPTY_VERDICT_SOURCE;
  return EMPTY_VERDICT_SOURCE satisfies VerdictSource as VerdictSource & { _?: JudgeRunRef | RunVerdict };
}
