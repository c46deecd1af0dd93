import { describe, expect, it } from 'vitest';
import { workspaceBefore } from '../../helpers/olderWorkspace';
import { migrate } from '../../../src/core/store/schema';
import { trigramQuery } from '../../../src/core/store/trigrams';

/**
 * Migration 14 has the span text index merge its segments 8 at a time (FTS5 'automerge'): a big
 * trace's build is 50 chunks, each a segment, and merging them 4 at a time cost it ~0.3 s per
 * 100k spans. An older workspace keeps its index rows, and they are still found afterwards.
 */
describe('span text index merge setting (migration 14)', () => {
  it('applies to an older workspace without touching what its index holds', () => {
    const db = workspaceBefore("VALUES ('automerge', 8)");
    const automerge = () => db.prepare("SELECT v FROM span_text_config WHERE k = 'automerge'").pluck().get();
    expect(automerge()).toBeUndefined(); // FTS5's default, 4
    const add = db.prepare('INSERT INTO span_text (rowid, text) VALUES (?, ?)');
    for (let i = 1; i <= 40; i++) db.transaction(() => add.run(i, `{"name":"tool call ${i}","output":"weather in Paris"}`))();
    migrate(db);
    expect(automerge()).toBe(8);
    for (let i = 41; i <= 80; i++) db.transaction(() => add.run(i, `{"name":"llm call ${i}","output":"rain in Lyon"}`))();
    const match = (needle: string) =>
      (db.prepare('SELECT rowid FROM span_text WHERE span_text MATCH ? ORDER BY rowid').pluck().all(trigramQuery(needle)) as number[]).length;
    expect(match('paris')).toBe(40);
    expect(match('lyon')).toBe(40);
    expect(match('call')).toBe(80);
    db.close();
  });
});
