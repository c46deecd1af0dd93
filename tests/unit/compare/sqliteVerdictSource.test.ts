import { writerOf } from '../../../src/core/store/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { sqliteVerdictSource } from '../../../src/core/store/judgeVerdicts';
import { tempWorkspace } from '../../helpers/workspace';

/**
 * Verdicts as the judges store writes them (migration 4), inserted with SQL so this test does
 * not depend on the judge runner: the columns are the contract.
 */
let t: ReturnType<typeof tempWorkspace>;
let backend: Backend;

function addRun(id: number, name: string, startedAt: number, verdicts: [judge: string, trace: string, status: string, rationale?: string, error?: string][]) {
  const db = writerOf(t.ws);
  db.prepare(`INSERT INTO judge_runs (id, name, started_at, status) VALUES (?, ?, ?, 'done')`).run(id, name, startedAt);
  const ins = db.prepare(
    `INSERT INTO verdicts (run_id, judge_id, judge_hash, trace_id, status, rationale, error, created_at) VALUES (?, ?, 'h', ?, ?, ?, ?, ?)`,
  );
  db.transaction(() => {
    for (const [judge, trace, status, rationale, error] of verdicts) ins.run(id, judge, trace, status, rationale ?? '', error ?? null, startedAt);
  })();
}

beforeAll(() => {
  t = tempWorkspace();
  addRun(1, 'baseline', 1000, [
    ['no-tool-errors', 'a', 'pass', 'no failed tool calls'],
    ['no-tool-errors', 'b', 'fail', 'search failed twice'],
    ['answer-cites', 'a', 'pass', 'cites the doc'],
    ['answer-cites', 'b', 'pass', 'cites the doc'],
  ]);
  addRun(2, 'after prompt change', 2000, [
    ['no-tool-errors', 'a', 'fail', 'lookup_account failed'],
    ['no-tool-errors', 'b', 'pass', 'no failed tool calls'],
    ['answer-cites', 'a', 'error', '', 'judge timed out after 60 s'],
    ['answer-cites', 'b', 'pass', 'cites the doc'],
  ]);
  backend = createBackend({ workspace: t.ws, mode: 'browser' });
});
afterAll(() => t.cleanup());

describe('verdicts from the judges tables', () => {
  it('lists runs newest first with counts and judge ids', () => {
    const runs = sqliteVerdictSource(t.ws).listRuns();
    expect(runs).toEqual([
      { id: '2', label: '#2 after prompt change', startedAt: 2000, verdicts: 4, traces: 2, judges: ['answer-cites', 'no-tool-errors'] },
      { id: '1', label: '#1 baseline', startedAt: 1000, verdicts: 4, traces: 2, judges: ['answer-cites', 'no-tool-errors'] },
    ]);
  });

  it('reads a run, uses the error as rationale of an errored verdict, rejects unknown ids', () => {
    const src = sqliteVerdictSource(t.ws);
    expect(src.runVerdicts('2')).toContainEqual({ judge: 'answer-cites', traceId: 'a', status: 'error', rationale: 'judge timed out after 60 s' });
    expect(src.runVerdicts('3')).toBeNull();
    expect(src.runVerdicts('1; DROP TABLE verdicts')).toBeNull();
    // The label alone, as listRuns gives it
    expect(src.runLabel('2')).toBe('#2 after prompt change');
    expect(src.runLabel('3')).toBeNull();
    expect(src.runLabel('1; DROP TABLE verdicts')).toBeNull();
    // latest per judge and trace: run 2 for both traces
    expect(src.latestVerdicts(['a']).map((v) => `${v.judge}:${v.status}`).sort()).toEqual(['answer-cites:error', 'no-tool-errors:fail']);
  });

  it('diffs two runs through the API (same traces → paired by trace)', async () => {
    const d = await backend.call('diffRuns', { runA: '1', runB: '2' });
    expect(d.pairBy).toBe('trace');
    expect(d.judges.find((j) => j.judge === 'no-tool-errors')).toMatchObject({
      paired: 2,
      passRateA: 0.5,
      passRateB: 0.5,
      delta: 0,
      mcnemar: { passToFail: 1, failToPass: 1, pValue: 1 },
    });
    expect(d.flips.map((f) => [f.judge, f.pairKey, f.kind, f.before.rationale, f.after.rationale])).toEqual([
      ['no-tool-errors', 'a', 'pass→fail', 'no failed tool calls', 'lookup_account failed'],
      ['no-tool-errors', 'b', 'fail→pass', 'search failed twice', 'no failed tool calls'],
      ['answer-cites', 'a', 'new-error', 'cites the doc', 'judge timed out after 60 s'],
    ]);
    // traces a and b are not in the workspace: no names
    expect(d.flips[0]!.before.traceName).toBeNull();
  });

  it('100k verdicts per run: every flip counted', async () => {
    const a: [string, string, string][] = [];
    const b: [string, string, string][] = [];
    for (let i = 0; i < 100_000; i++) {
      a.push(['j', `t${i}`, i % 10 === 0 ? 'fail' : 'pass']);
      b.push(['j', `t${i}`, i % 5 === 0 ? 'fail' : 'pass']);
    }
    addRun(10, 'big A', 3000, a);
    addRun(11, 'big B', 4000, b);
    const d = await backend.call('diffRuns', { runA: '10', runB: '11', limit: 10 });
    // A fails multiples of 10, B multiples of 5: 10k odd multiples of 5 flip pass→fail, none back
    expect(d.verdictsA).toBe(100_000);
    expect(d.judges).toHaveLength(1);
    expect(d.judges[0]).toMatchObject({ paired: 100_000, mcnemar: { passToFail: 10_000, failToPass: 0 } });
    expect(d.judges[0]!.delta).toBeCloseTo(-0.1, 10);
    expect(d.flipsTotal).toBe(10_000);
    expect(d.flips.map((f) => f.pairKey)).toEqual(['t5', 't15', 't25', 't35', 't45', 't55', 't65', 't75', 't85', 't95']);
  });
});
