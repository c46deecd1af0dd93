import { writerOf } from '../../../src/core/store/connection';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tracedeck } from '../../helpers/cli';
import { importFile } from '../../../src/core/import/importFile';
import { Workspace } from '../../../src/core/store/workspace';
import { fixture } from '../../helpers/workspace';

const SCENARIOS = resolve(__dirname, '../../../scenarios');
const EXAMPLE = join(SCENARIOS, 'phoenix-save-trace-to-dataset.scenario.json');



let dir: string;
let ws: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-compare-cli-'));
  ws = join(dir, 'cli.tracedeck');
  const w = Workspace.open(ws);
  await importFile(w, fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'));
  // Two judge runs as the judges store writes them (migration 4). 'tools' passes all 20 traces
  // in run 1 and fails the first 10 in run 2; 'answer' errors on t0 in run 2.
  const db = writerOf(w);
  db.prepare(`INSERT INTO judge_runs (id, name, started_at, status) VALUES (1, 'baseline', 1, 'done'), (2, 'candidate', 2, 'done')`).run();
  const ins = db.prepare(
    `INSERT INTO verdicts (run_id, judge_id, judge_hash, trace_id, status, rationale, error, created_at) VALUES (?, ?, 'h', ?, ?, ?, ?, ?)`,
  );
  for (let i = 0; i < 20; i++) {
    ins.run(1, 'tools', `t${i}`, 'pass', 'no failed tool calls', null, 1);
    ins.run(2, 'tools', `t${i}`, i < 10 ? 'fail' : 'pass', i < 10 ? `search failed on t${i}` : 'no failed tool calls', null, 2);
  }
  ins.run(1, 'answer', 't0', 'pass', 'cites the doc', null, 1);
  ins.run(2, 'answer', 't0', 'error', '', 'judge timed out', 2);
  w.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tracedeck trajectory', () => {
  it('--scenario FILE --json: the hand-checked metrics of the Phoenix turn', async () => {
    const r = await tracedeck(['trajectory', 'fixture-trace-1', '--scenario', EXAMPLE, '--workspace', ws, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout);
    expect(v.traceId).toBe('fixture-trace-1');
    expect(v.matchedBy).toBe('explicit');
    // 9 turns / 4 ideal, 8 calls / 3 ideal, 35 s / 14 s, 4 ideal steps in 35 s
    expect(v.metrics).toMatchObject({ correct: true, stepRatio: 2.25, latencyRatio: 2.5, observedSeconds: 35 });
    expect(v.metrics.toolCallRatio).toBeCloseTo(8 / 3, 10);
    expect(v.metrics.solveRate).toBeCloseTo(4 / 35, 10);
    expect(v.rows.map((x: { status: string }) => x.status)).toEqual(['matched', 'extra', 'extra', 'matched', 'extra', 'extra', 'matched', 'extra']);
  });

  it('--scenario DIR matches by input; text output', async () => {
    const r = await tracedeck(['trajectory', 'fixture-trace-1', '--scenario', SCENARIOS, '--workspace', ws]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('save-trace-to-dataset (Save the current trace to a dataset)  matched by input');
    expect(r.stdout).toMatch(/Steps\s+9 observed \/ 4 ideal\s+ratio 2\.25/);
    expect(r.stdout).toMatch(/extra\s+-\s+4\s+add_spans_to_dataset\s+s11\s+error/);
  });

  it('exit codes: unknown trace 3, no scenario 1, bad scenario file 1 naming the field, usage 2', async () => {
    expect((await tracedeck(['trajectory', 'nope', '--scenario', EXAMPLE, '--workspace', ws])).code).toBe(3);
    const none = await tracedeck(['trajectory', 'fixture-trace-1', '--workspace', ws]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('no scenarios in');
    const bad = join(dir, 'bad.scenario.json');
    writeFileSync(bad, JSON.stringify({ id: 'b', ideal: { steps: [{ calls: [{ tool: 'x', argMatch: 'fuzzy' }] }] } }));
    const r = await tracedeck(['trajectory', 'fixture-trace-1', '--scenario', bad, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${bad}: ideal.steps.0.calls.0.argMatch`);
    expect((await tracedeck(['trajectory', '--workspace', ws])).code).toBe(2);
  });
});

describe('tracedeck diff', () => {
  it('--json: per-judge deltas with McNemar and every flip with rationale before/after', async () => {
    const r = await tracedeck(['diff', '1', '2', '--workspace', ws, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const d = JSON.parse(r.stdout);
    expect(d.pairBy).toBe('trace');
    const tools = d.judges.find((j: { judge: string }) => j.judge === 'tools');
    // 20 paired, 20 → 10 passes; 10 pass→fail, 0 back: p = 2 · 0.5^10 = 0.001953125
    expect(tools).toMatchObject({ paired: 20, passRateA: 1, passRateB: 0.5, delta: -0.5, mcnemar: { passToFail: 10, failToPass: 0 } });
    expect(tools.mcnemar.pValue).toBeCloseTo(2 * 0.5 ** 10, 12);
    expect(d.flipCounts).toEqual({ 'pass→fail': 10, 'fail→pass': 0, 'new-error': 1, 'error-fixed': 0 });
    expect(d.flips).toHaveLength(11);
    expect(d.flips[0]).toMatchObject({
      judge: 'tools',
      kind: 'pass→fail',
      before: { traceId: 't0', status: 'pass', rationale: 'no failed tool calls' },
      after: { traceId: 't0', status: 'fail', rationale: 'search failed on t0' },
    });
    expect(d.regressions).toEqual(['tools: pass rate 100.0% → 50.0% (Δ −50.0 pp, p = 0.002 < 0.05)', '1 verdict(s) newly erroring']);
    expect(d.gate).toMatchObject({ passed: false, alpha: 0.05 });
  });

  it('text output, --fail-on-regression, unknown run, usage', async () => {
    const r = await tracedeck(['diff', '1', '2', '--workspace', ws, '--flips', '2']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Verdict diff  #1 baseline  →  #2 candidate');
    expect(r.stdout).toMatch(/tools\s+20\s+100\.0%\s+50\.0%\s+-50\.0 pp\s+0\.002\s+10\s+0\s+0\/0/);
    expect(r.stdout).toContain('showing 2 of 11 (--flips N)');
    expect(r.stdout).toContain('      before (pass): no failed tool calls');
    expect(r.stdout).toContain('      after  (fail): search failed on t0');
    expect(r.stdout).not.toContain('gate:'); // a gate line only when gating
    const failed = await tracedeck(['diff', '1', '2', '--workspace', ws, '--fail-on-regression']);
    expect(failed.code).toBe(1);
    // The last line says why: judge, Δ pass rate, p and the threshold.
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe(
      'gate: failed — tools: pass rate 100.0% → 50.0% (Δ −50.0 pp, p = 0.002 < 0.05); 1 verdict(s) newly erroring',
    );
    // run 2 against itself: nothing changed ('answer' has only an error verdict: nothing paired)
    const same = await tracedeck(['diff', '2', '2', '--workspace', ws, '--fail-on-regression']);
    expect(same.code).toBe(0);
    expect(same.stdout.trimEnd().split('\n').at(-1)).toBe('gate: passed — no pass rate dropped (2 compared, threshold p < 0.05)');
    const missing = await tracedeck(['diff', '1', '99', '--workspace', ws]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no judge run '99'");
    expect((await tracedeck(['diff', '1', '--workspace', ws])).code).toBe(2);
    expect((await tracedeck(['diff', '1', '2', '--pair-by', 'nope', '--workspace', ws])).code).toBe(2);
  }, 180_000);
});
