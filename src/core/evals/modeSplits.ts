import type { Label, Split } from '../store/labels';
import type { SplitFiguresView } from '../model/evals';

/**
 * Ground truth for a judge drafted from one failure mode, and its agreement per split. A judge
 * for mode M answers "is M absent?" (pass = absent, like every Tracedeck judge: positive = pass):
 * a labelled trace tagged M is a fail; a trace labelled pass is a pass; a trace labelled fail and
 * tagged only with other modes is a pass (it failed for another reason). A trace labelled fail
 * with no mode at all says nothing about M and is left out, as are deferred ones.
 *
 * Splits are the labels' own (LabelStore.assignSplits: a fixed hash of the trace id, 20 % train,
 * 40 % dev, 40 % test): few-shot examples come from train, the prompt is tuned on dev, and test is
 * run once for the figures to report.
 */

export interface ModeTruth {
  traceId: string;
  split: Split | null;
  /** true = the mode is absent (the judge should pass). */
  pass: boolean;
  critique: string;
}

export function modeTruth(labels: readonly Label[], mode: string): ModeTruth[] {
  const out: ModeTruth[] = [];
  for (const l of labels) {
    if (l.verdict === 'defer') continue;
    const tagged = l.failureModes.includes(mode);
    if (!tagged && l.verdict === 'fail' && l.failureModes.length === 0) continue;
    out.push({ traceId: l.traceId, split: l.split, pass: !tagged, critique: l.critique });
  }
  return out;
}

/** TPR / TNR of one split (positive = pass); the contract's type, computed here. */
export type SplitFigures = SplitFiguresView;

export function splitFigures(split: Split, pairs: readonly { human: boolean; judge: 'pass' | 'fail' | 'error' }[]): SplitFigures {
  const f: SplitFigures = { split, traces: pairs.length, tp: 0, tn: 0, fp: 0, fn: 0, errors: 0, tpr: null, tnr: null };
  for (const p of pairs) {
    if (p.judge === 'error') f.errors++;
    else if (p.human && p.judge === 'pass') f.tp++;
    else if (p.human) f.fn++;
    else if (p.judge === 'fail') f.tn++;
    else f.fp++;
  }
  if (f.tp + f.fn > 0) f.tpr = f.tp / (f.tp + f.fn);
  if (f.tn + f.fp > 0) f.tnr = f.tn / (f.tn + f.fp);
  return f;
}

/** The tag linking a drafted judge to its failure mode (judge front matter / meta `tags`). */
export const MODE_TAG_PREFIX = 'failure-mode:';

export function modeOfJudgeTags(tags: readonly string[]): string | null {
  const t = tags.find((x) => x.startsWith(MODE_TAG_PREFIX));
  return t ? t.slice(MODE_TAG_PREFIX.length) : null;
}
