import type Database from 'better-sqlite3';
import { toRecordedEvaluation, type RecordedEvaluationInput } from '../model/evaluations';

/**
 * Replaces a trace's recorded evaluations (scores, feedback, annotations, assessments from its
 * file) inside the import transaction, deriving pass / fail by the documented mapping.
 */
export function writeRecordedEvaluations(db: Database.Database, traceId: string, list: readonly RecordedEvaluationInput[]): void {
  db.prepare('DELETE FROM recorded_evaluations WHERE trace_id = ?').run(traceId);
  if (list.length === 0) return;
  const insert = db.prepare(
    `INSERT INTO recorded_evaluations (trace_id, seq, name, source, value, pass, comment, span_id, author, time_ms)
     VALUES (?,?,?,?,?,?,?,?,?,?)`,
  );
  list.forEach((input, i) => {
    const e = toRecordedEvaluation(input);
    insert.run(
      traceId,
      i,
      e.name,
      e.source,
      e.value === undefined ? null : JSON.stringify(e.value),
      e.pass === null ? null : e.pass ? 1 : 0,
      e.comment ?? null,
      e.spanId ?? null,
      e.author ?? null,
      e.timeMs ?? null,
    );
  });
}
