import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateLine, regressionGate } from '../../../src/core/compare/regressionGate';
import { pairedRunsTest } from '../../../src/core/compare/pairedRunsTest';
import { importFile } from '../../../src/core/import/importFile';
import { Workspace } from '../../../src/core/store/workspace';
import { tracedeck } from '../../helpers/cli';
import { TASK_INPUTS, writeRepeatedRuns } from '../../helpers/repeatedRuns';

describe('the regression gate line', () => {
  it("the issue's single task (5/6 → 4/8): a 33-point drop that 14 runs cannot prove passes, and says so", () => {
    const t = pairedRunsTest([{ nA: 6, cA: 5, nB: 8, cB: 4 }])!;
    const g = regressionGate([{ name: 'all criteria', passRateA: 5 / 6, passRateB: 0.5, delta: t.delta, pValue: t.pValue }], 0);
    // p = 903/3003 = 0.301 (tests/unit/stats/repeatedRunsStats.test.ts)
    expect(gateLine(g)).toBe('gate: passed — no significant drop; closest all criteria: pass rate 83.3% → 50.0% (Δ −33.3 pp, p = 0.301 ≥ 0.05)');
  });

  it('fails on a significant drop and on new errors, naming each; a rise never fails', () => {
    const drop = { name: 'tools', passRateA: 1, passRateB: 0.5, delta: -0.5, pValue: 0.002 };
    const rise = { name: 'answer', passRateA: 0.5, passRateB: 1, delta: 0.5, pValue: 0.002 };
    expect(gateLine(regressionGate([drop, rise], 0))).toBe('gate: failed — tools: pass rate 100.0% → 50.0% (Δ −50.0 pp, p = 0.002 < 0.05)');
    expect(gateLine(regressionGate([rise], 2))).toBe('gate: failed — 2 verdict(s) newly erroring');
    expect(gateLine(regressionGate([rise], 0))).toBe('gate: passed — no pass rate dropped (1 compared, threshold p < 0.05)');
    expect(gateLine(regressionGate([drop], 0, 0.001))).toBe(
      'gate: passed — no significant drop; closest tools: pass rate 100.0% → 50.0% (Δ −50.0 pp, p = 0.002 ≥ 0.001)',
    );
    expect(gateLine(regressionGate([], 0))).toBe('gate: passed — nothing to compare (threshold p < 0.05)');
  });
});

/**
 * `tracedeck diff --versions` on the generated repeated runs (tests/helpers/repeatedRuns.ts; no
 * judge here, so the criteria are 'all' and 'run outcome', equal because only failing tools
 * fail a run): 94.4% → 50.0%, Δ −44.4 pp, p = 1047/210210 = 0.005 (worked out in
 * tests/unit/compare/repeatedRuns.test.ts).
 */
describe('tracedeck diff --versions', () => {
  let dir: string;
  let ws: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-diff-versions-'));
    ws = join(dir, 'cli.tracedeck');
    const w = Workspace.open(ws);
    for (const f of writeRepeatedRuns(dir)) await importFile(w, f);
    w.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('text: criteria, tasks, unpaired, and the gate line last; exit 1 on the significant drop', async () => {
    const r = await tracedeck(['diff', '--versions', 'v1', 'v2', '--workspace', ws, '--fail-on-regression']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Tasks: 3 in both, 1 only in v1, 1 only in v2; runs 15 + 18; k = 4 (at most 4)');
    expect(r.stdout).toMatch(/all criteria\s+3\s+14\/16\s+94\.4%\s+50\.0%\s+-44\.4 pp\s+-100\.0 pp … \+0\.0 pp\s+0\.005\s+permutation, exact\s+100\.0%\/66\.2%\s+77\.8%\/33\.8%\s+1\/1/);
    expect(r.stdout).toMatch(/Refund order #1234 for a broken kettle\s+5\/6\s+4\/8\s+-33\.3 pp\s+33\.3%\/1\.4%\s+A\+B\s+1\.25s\/1\.85s\s+120\/180/);
    expect(r.stdout).toContain(`Only in v1:\n  ${TASK_INPUTS.translate}  1/1 passed`);
    expect(r.stdout).toContain(`Only in v2:\n  ${TASK_INPUTS.booking}  2/2 passed`);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toBe(
      'gate: failed — all criteria: pass rate 94.4% → 50.0% (Δ −44.4 pp, p = 0.005 < 0.05); run outcome: pass rate 94.4% → 50.0% (Δ −44.4 pp, p = 0.005 < 0.05)',
    );
  }, 180_000);

  it('--alpha, the reverse direction, --json, --k, by the version column; usage and unknown versions', async () => {
    const strict = await tracedeck(['diff', '--versions', 'v1', 'v2', '--workspace', ws, '--fail-on-regression', '--alpha', '0.001']);
    expect(strict.code).toBe(0);
    expect(strict.stdout.trimEnd().split('\n').at(-1)).toBe(
      'gate: passed — no significant drop; closest all criteria: pass rate 94.4% → 50.0% (Δ −44.4 pp, p = 0.005 ≥ 0.001)',
    );
    const back = await tracedeck(['diff', '--versions', 'v2', 'v1', '--by', 'version', '--workspace', ws, '--fail-on-regression']);
    expect(back.code).toBe(0);
    expect(back.stdout.trimEnd().split('\n').at(-1)).toBe('gate: passed — no pass rate dropped (2 compared, threshold p < 0.05)');

    const j = await tracedeck(['diff', '--versions', 'v1', 'v2', '--workspace', ws, '--json', '--k', '2']);
    expect(j.code).toBe(0);
    const v = JSON.parse(j.stdout);
    expect(v.repeated.k).toBe(2);
    const refund = v.repeated.tasks.find((t: { label: string }) => t.label === TASK_INPUTS.refund);
    // pass^2: C(5,2)/C(6,2) = 10/15 → C(4,2)/C(8,2) = 6/28
    expect(refund.a.passHatK).toBeCloseTo(10 / 15, 12);
    expect(refund.b.passHatK).toBeCloseTo(6 / 28, 12);
    expect(v.gate).toMatchObject({ passed: false, alpha: 0.05 });
    expect(v.repeated.criteria[0].pValue).toBeCloseTo(1047 / 210210, 12);

    expect((await tracedeck(['diff', '--versions', 'v1', '--workspace', ws])).code).toBe(2);
    expect((await tracedeck(['diff', '--versions', 'v1', 'v2', '--alpha', '2', '--workspace', ws])).code).toBe(2);
    const missing = await tracedeck(['diff', '--versions', 'v1', 'v9', '--workspace', ws]);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain("no traces of version 'v9'");
  }, 300_000);
});
