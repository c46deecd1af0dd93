/**
 * Verdict diff of two judge runs of 100k verdicts each (options: --verdicts=100000, --repeat=5).
 *
 * Tracedeck: the `diffRuns` API call as the UI and `tracedeck diff` make it — read both runs from
 * the workspace, pair, per-judge pass rates, McNemar, flips, first page of flips with trace names.
 * Baseline: read the same rows and only build the same Map (judge + trace → verdict) of run A and
 * look every verdict of run B up in it: the least any diff has to do. Target: under a second.
 */
import { readerOf, writerOf } from '../../src/core/store/connection';
import { join } from 'node:path';
import { createBackend } from '../../src/backend/handlers';
import { Workspace } from '../../src/core/store/workspace';
import type { Bench, BenchContext, BenchOutcome } from './types';

const JUDGES = ['no-tool-errors', 'answer-cites', 'stays-on-task', 'no-pii'];

function fillRuns(ws: Workspace, n: number): { expectedFlips: number } {
  const db = writerOf(ws);
  const ins = db.prepare(
    `INSERT INTO verdicts (run_id, judge_id, judge_hash, trace_id, status, rationale, created_at) VALUES (?, ?, 'h', ?, ?, ?, ?)`,
  );
  let expectedFlips = 0;
  db.transaction(() => {
    db.prepare(`INSERT INTO judge_runs (id, name, started_at, status) VALUES (1, 'A', 1, 'done'), (2, 'B', 2, 'done')`).run();
    for (let i = 0; i < n; i++) {
      const judge = JUDGES[i % JUDGES.length]!;
      const trace = `trace-${Math.floor(i / JUDGES.length)}`;
      // A fails every 10th verdict, B every 7th: flips where exactly one of the two fails
      const fa = i % 10 === 0;
      const fb = i % 7 === 0;
      if (fa !== fb) expectedFlips++;
      ins.run(1, judge, trace, fa ? 'fail' : 'pass', fa ? `run A: verdict ${i} failed on step ${i % 13}` : 'ok', 1);
      ins.run(2, judge, trace, fb ? 'fail' : 'pass', fb ? `run B: verdict ${i} failed on step ${i % 11}` : 'ok', 2);
    }
  })();
  return { expectedFlips };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const diffBench: Bench = {
  name: 'diff',
  description: 'verdict diff of two 100k-verdict judge runs vs reading them and building the Maps only',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const quick = ctx.options.quick === 'true';
    const n = Number(ctx.options.verdicts ?? (quick ? 5_000 : 100_000));
    const repeat = Number(ctx.options.repeat ?? (quick ? 1 : 5));
    const ws = Workspace.open(join(ctx.tmpDir, 'diff-bench.tracedeck'));
    try {
      ctx.log(`diff: writing 2 × ${n} verdicts …`);
      const { expectedFlips } = fillRuns(ws, n);
      const backend = createBackend({ workspace: ws, mode: 'browser' });
      const read = readerOf(ws).prepare('SELECT judge_id, trace_id, status, rationale, error FROM verdicts WHERE run_id = ? ORDER BY id').raw(true);

      const baseline: number[] = [];
      const tracedeck: number[] = [];
      const problems: string[] = [];
      for (let r = 0; r < repeat; r++) {
        let t = performance.now();
        const a = read.all(1) as string[][];
        const b = read.all(2) as string[][];
        const m = new Map<string, string[]>();
        for (const row of a) m.set(`${row[0]}\u0000${row[1]}`, row);
        let found = 0;
        for (const row of b) if (m.has(`${row[0]}\u0000${row[1]}`)) found++;
        baseline.push(performance.now() - t);
        if (found !== n) problems.push(`baseline paired ${found} of ${n}`);

        t = performance.now();
        const d = await backend.call('diffRuns', { runA: '1', runB: '2' });
        tracedeck.push(performance.now() - t);
        if (d.flipsTotal !== expectedFlips) problems.push(`diff found ${d.flipsTotal} flips, expected ${expectedFlips}`);
      }
      const med = median(tracedeck);
      const base = median(baseline);
      return {
        ok: problems.length === 0,
        tables: [
          {
            title: `Verdict diff, 2 runs × ${n.toLocaleString('en-US')} verdicts (median of ${repeat})`,
            headers: ['measure', 'ms', '× baseline'],
            rows: [
              ['read rows + build Maps only (baseline)', base.toFixed(1), '1.00'],
              ['tracedeck diffRuns (read, diff, McNemar, flips page)', med.toFixed(1), (med / base).toFixed(2)],
            ],
            notes: [
              `${expectedFlips.toLocaleString('en-US')} flips; target < 1000 ms: ${med < 1000 ? 'met' : 'MISSED'}`,
              ...problems,
            ],
          },
        ],
        data: { verdicts: n, flips: expectedFlips, baselineMs: baseline, diffMs: tracedeck, medianDiffMs: med, medianBaselineMs: base },
      };
    } finally {
      ws.close();
    }
  },
};
