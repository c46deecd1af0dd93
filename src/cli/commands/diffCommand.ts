import { ApiError } from '../../backend/apiError';
import type { VerdictDiffView } from '../../shared/api';
import { intOption, oneOf, parseCommandArgs } from '../args';
import { CliExit, EXIT, UsageError } from '../exitCodes';
import { toJson } from '../jsonShapes';
import { withBackend } from '../openBackend';
import { LineBuffer, type Output } from '../output';
import { oneLine, table } from '../text';
import { resolveWorkspacePath } from '../workspacePath';

/** A judge's drop counts as a regression at this McNemar p-value (--fail-on-regression). */
const ALPHA = 0.05;
const TEXT_FLIPS = 50;
const MAX_FLIPS = 10_000;

export async function diffCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    'pair-by': { type: 'string' },
    judge: { type: 'string' },
    flips: { type: 'string' },
    'fail-on-regression': { type: 'boolean' },
  });
  if (positionals.length !== 2) throw new UsageError('diff needs two judge run ids: RUN_A RUN_B (see `tracedeck judge runs`)');
  const [runA, runB] = positionals as [string, string];
  const pairBy = oneOf('pair-by', values['pair-by'], ['auto', 'trace', 'pair'] as const);
  const limit = intOption('flips', values.flips, 0, MAX_FLIPS) ?? (values.json ? MAX_FLIPS : TEXT_FLIPS);

  const d = await withBackend(resolveWorkspacePath(values.workspace), async (b) => {
    try {
      return await b.call('diffRuns', { runA, runB, pairBy, judge: values.judge, limit });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not-found') throw new CliExit(EXIT.notFound, e.message);
      throw e;
    }
  });

  const regressions = regressionsOf(d);
  if (values.json) {
    await io.out(toJson({ ...d, regressions }) + '\n');
  } else {
    await printDiff(d, regressions, io);
  }
  return values['fail-on-regression'] && regressions.length ? EXIT.failed : EXIT.ok;
}

/** What --fail-on-regression fails on: a significant drop of a judge, or verdicts newly erroring. */
function regressionsOf(d: VerdictDiffView): string[] {
  const out: string[] = [];
  for (const j of d.judges) {
    if (j.delta !== null && j.delta < 0 && j.mcnemar.pValue < ALPHA)
      out.push(`${j.judge}: pass rate ${pct(j.passRateA)} → ${pct(j.passRateB)} (p = ${pval(j.mcnemar.pValue)})`);
  }
  if (d.flipCounts['new-error'] > 0) out.push(`${d.flipCounts['new-error']} verdict(s) newly erroring`);
  return out;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
const pp = (x: number | null) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pp`);
const pval = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));

async function printDiff(d: VerdictDiffView, regressions: string[], io: Output): Promise<void> {
  const buf = new LineBuffer(io);
  await buf.line(`Verdict diff  ${oneLine(d.a.label, 80)}  →  ${oneLine(d.b.label, 80)}`);
  await buf.line(
    `Paired by ${d.pairBy === 'trace' ? 'trace' : 'scenario / input'}; ${d.verdictsA} + ${d.verdictsB} verdicts; ${d.tookMs} ms`,
  );
  await buf.line('');
  const rows = d.judges.map((j) => [
    oneLine(j.judge, 40),
    String(j.paired),
    pct(j.passRateA),
    pct(j.passRateB),
    pp(j.delta),
    pval(j.mcnemar.pValue),
    String(j.mcnemar.passToFail),
    String(j.mcnemar.failToPass),
    `${j.errorsA}/${j.errorsB}`,
  ]);
  if (rows.length === 0) await buf.line('No verdicts in either run.');
  else
    for (const l of table(
      ['JUDGE', 'PAIRED', 'PASS A', 'PASS B', 'DELTA', 'P (MCNEMAR)', 'P→F', 'F→P', 'ERRORS A/B'],
      rows,
      new Set([1, 2, 3, 4, 5, 6, 7]),
    ))
      await buf.line(l);

  const total = Object.values(d.flipCounts).reduce((s, n) => s + n, 0);
  await buf.line('');
  await buf.line(
    `Flips: ${total} (${Object.entries(d.flipCounts)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')})${d.flips.length < d.flipsTotal ? `; showing ${d.flips.length} of ${d.flipsTotal} (--flips N)` : ''}`,
  );
  for (const f of d.flips) {
    const same = f.before.traceId === f.after.traceId;
    await buf.line(
      `  ${f.kind.padEnd(11)} ${oneLine(f.judge, 40)}  ${same ? oneLine(f.before.traceId, 80) : `${oneLine(f.before.traceId, 60)} → ${oneLine(f.after.traceId, 60)}`}`,
    );
    await buf.line(`      before (${f.before.status}): ${oneLine(f.before.rationale || '-', 200)}`);
    await buf.line(`      after  (${f.after.status}): ${oneLine(f.after.rationale || '-', 200)}`);
  }
  if (regressions.length) {
    await buf.line('');
    await buf.line('Regressions:');
    for (const r of regressions) await buf.line(`  ${r}`);
  }
  await buf.flush();
}
