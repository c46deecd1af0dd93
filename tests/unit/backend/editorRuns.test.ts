import { describe, expect, it } from 'vitest';
import { EditorRuns } from '../../../src/backend/editorRuns';

describe('the judge editor’s live re-runs, ordered by edit number', () => {
  it('does not start an edit older than one already asked for, whatever the arrival order', () => {
    const runs = new EditorRuns();
    const newer = runs.begin('ed', 7, 1000)!;
    // Edit 6 arrives 400 ms after edit 7 (another connection, a busy server): it is the old one.
    expect(runs.begin('ed', 6, 1400)).toBeNull();
    expect(newer.signal.aborted).toBe(false);
  });

  it('stops the older runs of the same editor that have been going for over 250 ms', () => {
    const runs = new EditorRuns();
    const first = runs.begin('ed', 1, 0)!;
    const second = runs.begin('ed', 2, 100)!; // first: 100 ms in, let it finish
    expect(first.signal.aborted).toBe(false);
    const third = runs.begin('ed', 3, 400)!; // first 400 ms, second 300 ms in
    expect(first.signal.aborted).toBe(true);
    expect(second.signal.aborted).toBe(true);
    expect(third.signal.aborted).toBe(false);
    // An ended run is not stopped afterwards.
    third.end();
    runs.begin('ed', 4, 5000);
    expect(third.signal.aborted).toBe(false);
  });

  it('leaves other editors’ runs alone', () => {
    const runs = new EditorRuns();
    const a = runs.begin('a', 1, 0)!;
    runs.begin('b', 9, 1000);
    expect(a.signal.aborted).toBe(false);
    // Each editor counts on its own: a low number from a new editor is not "older".
    expect(runs.begin('c', 0, 1000)).not.toBeNull();
  });

  it('remembers at most 64 editors, forgetting the least recently used', () => {
    const runs = new EditorRuns();
    runs.begin('kept', 5, 0);
    runs.begin('gone', 5, 0);
    for (let i = 0; i < 62; i++) runs.begin(`e${i}`, 1, 0);
    runs.begin('kept', 6, 0); // used again: now the most recent
    runs.begin('e-new', 1, 0); // 65th editor: 'gone' is forgotten
    expect(runs.begin('kept', 5, 0)).toBeNull();
    expect(runs.begin('gone', 1, 0)).not.toBeNull();
  });
});
