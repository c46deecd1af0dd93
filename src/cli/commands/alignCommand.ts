import { ApiError } from '../../backend/apiError';
import type { AlignmentReportView } from '../../shared/api';
import { oneOf, parseCommandArgs } from '../args';
import { CliExit, EXIT, UsageError } from '../exitCodes';
import { toJson } from '../jsonShapes';
import { withBackend } from '../openBackend';
import type { Output } from '../output';
import { oneLine } from '../text';
import { resolveWorkspacePath } from '../workspacePath';

/**
 * `tracedeck align --judge ID [--split S] [--json]`: the judge alignment report (TPR, TNR,
 * confusion matrix, θ with its bootstrap CI, disagreements). Exit 1 when TPR/TNR or θ cannot be
 * computed (the report still prints, the reason goes to stderr), 3 when there is no such judge.
 */
export async function alignCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    judge: { type: 'string' },
    split: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`align takes no arguments (got '${positionals[0]}'); use --judge ID`);
  if (!values.judge) throw new UsageError('align needs --judge ID');
  const split = oneOf('split', values.split, ['train', 'dev', 'test', 'all'] as const);
  const workspace = resolveWorkspacePath(values.workspace);
  const report = await withBackend(workspace, async (b) => {
    try {
      return await b.call('alignmentReport', { judgeId: values.judge!, ...(split ? { split } : {}) });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not-found') {
        const known = (await b.call('alignmentJudges', {})).map((j) => j.id);
        throw new CliExit(EXIT.notFound, `${e.message}${known.length ? ` (judges with verdicts: ${known.join(', ')})` : ''}`);
      }
      throw e;
    }
  });
  await io.out(values.json ? `${toJson(report)}\n` : reportText(report));
  for (const err of [report.agreementError, report.thetaError]) if (err) io.err(`tracedeck: ${err}\n`);
  return report.agreementError || report.thetaError ? EXIT.failed : EXIT.ok;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function reportText(r: AlignmentReportView): string {
  const c = r.counts;
  const lines = [
    `Judge   ${oneLine(r.judge.id, 100)}${r.judge.name !== r.judge.id ? ` (${oneLine(r.judge.name, 100)})` : ''}    Split ${r.split}`,
    `Labels  ${c.labelled} pass/fail (${c.deferred} deferred, excluded) · ${c.paired} paired with a verdict · ` +
      `${c.judgeErrors} judge error${c.judgeErrors === 1 ? '' : 's'} excluded · ${c.unjudged} without a verdict`,
    '',
  ];
  if (r.agreement) {
    const { tp, tn, fp, fn } = r.agreement.confusion;
    const w = Math.max(12, ...[tp, tn, fp, fn].map((n) => String(n).length + 2));
    const cell = (n: number) => String(n).padStart(w);
    lines.push(
      `${' '.repeat(18)}${'judge pass'.padStart(w)}${'judge fail'.padStart(w)}`,
      `${`human pass (${r.agreement.humanPass})`.padEnd(18)}${cell(tp)}${cell(fn)}    TPR ${pct(r.agreement.tpr)} (${tp}/${r.agreement.humanPass})`,
      `${`human fail (${r.agreement.humanFail})`.padEnd(18)}${cell(fp)}${cell(tn)}    TNR ${pct(r.agreement.tnr)} (${tn}/${r.agreement.humanFail})`,
      '',
    );
  } else lines.push(`TPR/TNR: cannot compute: ${r.agreementError}`, '');
  if (r.theta) {
    const t = r.theta;
    lines.push(
      `θ (bias-corrected pass rate)  ${pct(t.theta)}   ${Math.round(t.confidence * 100)}% CI [${pct(t.ci[0])}, ${pct(t.ci[1])}]`,
      `  judge pass rate on ${t.unlabelled} unlabelled trace${t.unlabelled === 1 ? '' : 's'}: ${pct(t.pObs)}` +
        (t.unlabelledErrors ? ` (${t.unlabelledErrors} error${t.unlabelledErrors === 1 ? '' : 's'} excluded)` : '') +
        ` · ${t.resamples} bootstrap resamples${t.skipped ? `, ${t.skipped} degenerate skipped` : ''}`,
      '',
    );
  } else lines.push(`θ: cannot compute: ${r.thetaError}`, '');
  lines.push(
    `Splits  ${r.splits.map((s) => `${s.split} ${s.pass} pass / ${s.fail} fail / ${s.defer} defer (${s.paired} paired)`).join(' · ')}`,
    '',
  );
  lines.push(`Disagreements (${r.disagreements.length})`);
  for (const d of r.disagreements) {
    lines.push(`  ${oneLine(d.traceId, 80)}  human ${d.human.toUpperCase()}  judge ${d.judge.toUpperCase()}  ${oneLine(d.traceName ?? '', 60)}`);
    if (d.critique) lines.push(`    human: ${oneLine(d.critique, 200)}`);
    if (d.rationale) lines.push(`    judge: ${oneLine(d.rationale, 200)}`);
  }
  lines.push('', `Few-shot examples: ${r.fewShot.examples.length} (from ${r.fewShot.from === 'train' ? 'the train split' : 'all splits: no train labels with a critique yet'}; --json has the text)`);
  return `${lines.join('\n')}\n`;
}
