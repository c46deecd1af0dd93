import { describe, expect, it } from 'vitest';
import { diffVerdicts, type DiffVerdict } from '../../../src/core/compare/verdictDiff';

const v = (judge: string, id: string, status: DiffVerdict['status'], rationale?: string): DiffVerdict => ({
  judge,
  pairKey: id,
  traceId: id,
  status,
  rationale,
});

describe('diffVerdicts', () => {
  it('per-judge pass rates over paired verdicts, flips with rationale, errors apart', () => {
    const a = [
      v('tools', 't1', 'pass', 'no tool errors'),
      v('tools', 't2', 'pass'),
      v('tools', 't3', 'fail'),
      v('tools', 't4', 'pass'),
      v('tools', 't5', 'error', 'judge threw'),
      v('tools', 'only-a', 'pass'),
      v('tone', 't1', 'fail'),
    ];
    const b = [
      v('tools', 't1', 'fail', 'search failed twice'),
      v('tools', 't2', 'pass'),
      v('tools', 't3', 'pass'),
      v('tools', 't4', 'error', 'timeout'),
      v('tools', 't5', 'pass'),
      v('tools', 'only-b', 'fail'),
      v('tone', 't1', 'fail'),
    ];
    const d = diffVerdicts(a, b);
    const tools = d.judges.find((j) => j.judge === 'tools')!;
    // paired pass/fail in both: t1, t2, t3 → A passes 2/3, B passes 2/3
    expect(tools.paired).toBe(3);
    expect(tools.passRateA).toBeCloseTo(2 / 3);
    expect(tools.passRateB).toBeCloseTo(2 / 3);
    expect(tools.delta).toBeCloseTo(0);
    expect(tools.mcnemar).toMatchObject({ passToFail: 1, failToPass: 1, pValue: 1 });
    expect(tools).toMatchObject({ errorsA: 1, errorsB: 1, onlyInA: 1, onlyInB: 1 });
    expect(d.flips.map((f) => `${f.judge}/${f.pairKey}:${f.kind}`)).toEqual([
      'tools/t1:pass→fail',
      'tools/t3:fail→pass',
      'tools/t4:new-error',
      'tools/t5:error-fixed',
    ]);
    expect(d.flips[0]!.before.rationale).toBe('no tool errors');
    expect(d.flips[0]!.after.rationale).toBe('search failed twice');
    expect(d.judges.find((j) => j.judge === 'tone')!.delta).toBe(0);
  });

  it('handles 100k verdicts (correctness only; speed is in the bench)', () => {
    const a: DiffVerdict[] = [];
    const b: DiffVerdict[] = [];
    for (let i = 0; i < 100_000; i++) {
      a.push(v('j', `t${i}`, i % 10 === 0 ? 'fail' : 'pass'));
      b.push(v('j', `t${i}`, i % 5 === 0 ? 'fail' : 'pass'));
    }
    const d = diffVerdicts(a, b);
    // A fails multiples of 10; B fails multiples of 5 → 10k new fails (odd multiples of 5), none fixed
    expect(d.judges[0]!.mcnemar.passToFail).toBe(10_000);
    expect(d.judges[0]!.mcnemar.failToPass).toBe(0);
    expect(d.judges[0]!.delta).toBeCloseTo(-0.1);
    expect(d.flips).toHaveLength(10_000);
  });
});
