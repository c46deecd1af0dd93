/**
 * CLI cold start: `tracedeck ls` on an empty workspace, as a user types it (bin/tracedeck: the
 * launcher, Node start, the compiled CLI, opening SQLite), against `node -e 0` in the same run —
 * the floor no Node program starts under. Target: ≤ 300 ms.
 *
 * Options: --cli-runs=7 (--quick: 3).
 */
import { join } from 'node:path';
import { BIN_TRACEDECK, timedRun } from './procs';
import { REPO_ROOT } from './spawnChild';
import { medianRange } from './stats';
import type { Bench, BenchContext, BenchOutcome, BenchFigure } from './types';

export const cliBench: Bench = {
  name: 'cli',
  description: 'CLI cold start: tracedeck ls on an empty workspace vs node -e 0',
  async run(ctx: BenchContext): Promise<BenchOutcome> {
    const runs = Math.max(1, Number(ctx.options['cli-runs'] ?? (ctx.options.quick === 'true' ? 3 : 7)));
    const ws = join(ctx.tmpDir, 'cli-empty.tracedeck');
    const bin = BIN_TRACEDECK(REPO_ROOT);
    // The first run creates the workspace (and rebuilds out/cli if a source is newer): not timed.
    const first = await timedRun(bin, ['ls', '--workspace', ws]);
    if (first.code !== 0) throw new Error(`tracedeck ls failed: ${first.stderr}`);
    const ls: number[] = [];
    const node: number[] = [];
    const version: number[] = [];
    for (let i = 0; i < runs; i++) {
      node.push((await timedRun(process.execPath, ['-e', '0'])).wallMs);
      version.push((await timedRun(bin, ['--version'])).wallMs);
      const r = await timedRun(bin, ['ls', '--workspace', ws]);
      if (r.code !== 0 || !/No traces/.test(r.stdout)) throw new Error(`tracedeck ls: ${r.code} ${r.stdout} ${r.stderr}`);
      ls.push(r.wallMs);
    }
    const nodeStat = medianRange(node);
    const figures: BenchFigure[] = [
      {
        id: 'cli.ls',
        label: '`tracedeck ls` on an empty workspace (cold process)',
        unit: 'ms',
        ours: medianRange(ls).median,
        stat: medianRange(ls),
        baseline: nodeStat.median,
        baselineStat: nodeStat,
        baselineLabel: '`node -e 0`, same run',
        better: 'lower',
        target: { on: 'ours', op: '<=', value: 300 },
      },
      {
        id: 'cli.version',
        label: '`tracedeck --version` (launcher + Node + CLI entry)',
        unit: 'ms',
        ours: medianRange(version).median,
        stat: medianRange(version),
        baseline: nodeStat.median,
        baselineStat: nodeStat,
        baselineLabel: '`node -e 0`, same run',
        better: 'lower',
      },
    ];
    const f = (xs: number[]) => {
      const s = medianRange(xs);
      return `${s.median!.toFixed(0)} ms (${s.min!.toFixed(0)}–${s.max!.toFixed(0)})`;
    };
    return {
      ok: true,
      data: { runs, lsMs: ls, versionMs: version, nodeMs: node },
      figures,
      tables: [
        {
          title: `CLI cold start, ${runs} runs each, interleaved`,
          headers: ['command', 'median (min–max)'],
          rows: [
            ['tracedeck ls (empty workspace)', f(ls)],
            ['tracedeck --version', f(version)],
            ['node -e 0', f(node)],
          ],
        },
      ],
    };
  },
};
