import { describe, expect, it } from 'vitest';
import { draftCodeJudge, draftJudgeId, draftLlmJudge, pickExamples, type DraftExample } from '../../../src/core/evals/judgeDraft';
import { modeOfJudgeTags, modeTruth, splitFigures } from '../../../src/core/evals/modeSplits';
import { parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import type { Label } from '../../../src/core/store/labels';

const mode = { name: 'gives up after a tool error', definition: 'The agent stops after one failed tool call instead of retrying.' };
const ex = (traceId: string, pass: boolean, critique = ''): DraftExample => ({ traceId, pass, input: `input of ${traceId}`, output: `output of ${traceId}`, critique });

describe('a judge drafted from a failure mode', () => {
  it('LLM: a valid *.judge.md with criteria, train examples and the mode tag', () => {
    const src = draftLlmJudge(mode, [ex('a', false, 'stopped after the forecast tool failed'), ex('b', true), ex('c', false)]);
    const spec = parseJudgeFile('fm-x.judge.md', src);
    expect(spec.kind).toBe('llm');
    expect(spec.tags).toEqual(['failure-mode', 'failure-mode:gives up after a tool error']);
    expect(modeOfJudgeTags(spec.tags)).toBe('gives up after a tool error');
    expect(spec.description).toBe(mode.definition);
    expect(src).toContain('- FAIL if the trace shows this failure mode: The agent stops after one failed tool call instead of retrying.');
    // failing and passing examples alternate, failing first
    expect([...src.matchAll(/### Example (\d): (PASS|FAIL)/g)].map((m) => m[2])).toEqual(['FAIL', 'PASS', 'FAIL']);
    expect(src).toContain("Reviewer's note: stopped after the forecast tool failed");
    expect(spec.template).toContain('{{ inputs }}');
  });

  it('trace text that looks like a template variable stays inert', () => {
    const src = draftLlmJudge(mode, [{ ...ex('a', false), input: 'render {{ secret }} please' }]);
    expect(() => parseJudgeFile('fm-x.judge.md', src)).not.toThrow();
    expect(src).toContain('render { { secret } } please');
  });

  it('code: a skeleton that compiles as a code judge and names its examples', () => {
    const src = draftCodeJudge(mode, [ex('t-1', false, 'gave up\n*/ tricky')]);
    const spec = parseJudgeFile('fm-x-code.judge.ts', src);
    expect(spec.kind).toBe('code');
    expect(spec.tags).toContain('failure-mode:gives up after a tool error');
    expect(src).toContain('//   FAIL t-1 — gave up */ tricky');
  });

  it('ids from mode names; at most three examples per side', () => {
    expect(draftJudgeId('Gives up after a tool error!', 'llm')).toBe('fm-gives-up-after-a-tool-error');
    expect(draftJudgeId('Gives up', 'code')).toBe('fm-gives-up-code');
    const many = [...'abcde'].map((c) => ex(c, false)).concat([...'vw'].map((c) => ex(c, true)));
    expect(pickExamples(many).map((e) => e.traceId)).toEqual(['a', 'v', 'b', 'w', 'c']);
  });
});

describe('per-split ground truth of one mode', () => {
  const label = (traceId: string, verdict: Label['verdict'], failureModes: string[], split: Label['split'] = 'dev'): Label => ({
    traceId, verdict, failureModes, split, critique: '', labeler: '', updatedAt: 0,
  });

  it('tagged = fail; pass = pass; failed for another mode = pass; fail without a mode and defer left out', () => {
    const truth = modeTruth(
      [label('t1', 'fail', ['M']), label('t2', 'pass', []), label('t3', 'fail', ['other']), label('t4', 'fail', []), label('t5', 'defer', ['M'])],
      'M',
    );
    expect(truth.map((t) => [t.traceId, t.pass])).toEqual([['t1', false], ['t2', true], ['t3', true]]);
  });

  it('TPR / TNR with errors counted apart, null when a class is missing', () => {
    const f = splitFigures('dev', [
      { human: true, judge: 'pass' },
      { human: true, judge: 'fail' },
      { human: false, judge: 'fail' },
      { human: false, judge: 'error' },
    ]);
    expect(f).toEqual({ split: 'dev', traces: 4, tp: 1, fn: 1, tn: 1, fp: 0, errors: 1, tpr: 0.5, tnr: 1 });
    expect(splitFigures('test', [{ human: true, judge: 'pass' }]).tnr).toBeNull();
  });
});
