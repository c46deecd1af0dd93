import { describe, expect, it } from 'vitest';
import { workspaceBefore } from '../../helpers/olderWorkspace';
import { migrate } from '../../../src/core/store/schema';
import { buildTraceListQuery } from '../../../src/core/store/traceQuery';

/**
 * Migration 13 indexes the text the library's filter searches (trigram FTS5, trace_text) for the
 * traces a workspace already holds, and its triggers keep it current from then on.
 */
describe('trace text index migration', () => {
  it('indexes the traces of an older workspace, and later writes through its triggers', () => {
    const db = workspaceBefore('CREATE VIRTUAL TABLE trace_text');
    const insert = (id: string, name: string, service: string | null) =>
      db
        .prepare(
          `INSERT INTO traces (id, name, format, source_file, import_id, service, status, span_count, error_count, llm_calls,
             tool_calls, tool_errors, input_tokens, output_tokens, imported_at)
           VALUES (?, ?, 'otlp-json', 'runs/today.json', 1, ?, 'ok', 1, 0, 0, 0, 0, 0, 0, 0)`,
        )
        .run(id, name, service);
    insert('t-old', 'Research agent', 'svc-alpha');
    migrate(db);
    insert('t-new', 'Coding agent', null);
    const ids = (text: string) => {
      const { sql, params } = buildTraceListQuery({ text, sort: 'name', dir: 'asc' });
      return (db.prepare(sql).all(params) as { id: string }[]).map((r) => r.id);
    };
    expect(ids('research')).toEqual(['t-old']);
    expect(ids('ALPHA')).toEqual(['t-old']);
    expect(ids('agent')).toEqual(['t-new', 't-old']);
    expect(ids('today.json')).toEqual(['t-new', 't-old']);
    expect(ids('t-n')).toEqual(['t-new']);
    db.prepare('DELETE FROM traces WHERE id = ?').run('t-old');
    expect(ids('agent')).toEqual(['t-new']);
    expect(db.prepare('SELECT count(*) FROM trace_text_map').pluck().get()).toBe(1);
    db.close();
  });
});
