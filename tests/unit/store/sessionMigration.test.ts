import { describe, expect, it } from 'vitest';
import { workspaceBefore } from '../../helpers/olderWorkspace';
import { migrate, MIGRATIONS } from '../../../src/core/store/schema';

/**
 * Migration 7 indexes traces.session_id and backfills it from the stored meta where the column
 * was left empty; migration 8 adds the replay-variant links. Both upgrade an existing workspace.
 */
describe('session and variant migrations', () => {
  it('backfills session_id from meta.sessionId on an older workspace, and only there', () => {
    const db = workspaceBefore('traces_session');
    const row = (id: string, session: string | null, meta: object) =>
      db
        .prepare(
          `INSERT INTO traces (id, name, format, source_file, import_id, session_id, status, span_count, error_count, llm_calls,
             tool_calls, tool_errors, input_tokens, output_tokens, imported_at, meta)
           VALUES (?, 'n', 'otlp-json', 'f', 1, ?, 'ok', 1, 0, 0, 0, 0, 0, 0, 0, ?)`,
        )
        .run(id, session, JSON.stringify(meta));
    row('a', null, { sessionId: 's-from-meta' });
    row('b', 'kept', { sessionId: 'other' });
    row('c', null, { sessionId: 42 });
    row('d', null, {});
    migrate(db);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT id, session_id FROM traces ORDER BY id').all()).toEqual([
      { id: 'a', session_id: 's-from-meta' },
      { id: 'b', session_id: 'kept' },
      { id: 'c', session_id: null },
      { id: 'd', session_id: null },
    ]);
    const plan = db.prepare("EXPLAIN QUERY PLAN SELECT * FROM traces WHERE session_id = 'x'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('traces_session');
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'trace_variants'").get()).toEqual({ name: 'trace_variants' });
    db.close();
  });
});
