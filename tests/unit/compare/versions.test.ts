import { describe, expect, it } from 'vitest';
import type { TraceSummary } from '../../../src/core/model/types';
import { compareVersions, summariseVersions, type VersionedTrace } from '../../../src/core/compare/versions';

function row(version: string, key: string, o: Partial<TraceSummary> & { correct?: boolean; judge?: [number, number] }): VersionedTrace {
  const trace: TraceSummary = {
    traceId: `${version}-${key}`,
    name: key,
    format: 'otlp-json',
    sourceFile: 'x',
    service: 'agent',
    version,
    startMs: 0,
    endMs: 1000,
    durationMs: 1000,
    status: 'ok',
    spanCount: 5,
    errorCount: 0,
    llmCalls: 2,
    toolCalls: 2,
    toolErrors: 0,
    evalPass: 0,
    evalFail: 0,
    inputTokens: 100,
    outputTokens: 0,
    costUsd: null,
    importedAt: 0,
    ...o,
  };
  return { trace, version, pairKey: key, correct: o.correct ?? null, judgePass: o.judge?.[0] ?? null, judgeTotal: o.judge?.[1] ?? null };
}

describe('agent versions', () => {
  const a = [
    row('v1', 's1', { inputTokens: 100, durationMs: 1000, correct: true, judge: [2, 2] }),
    row('v1', 's2', { inputTokens: 300, durationMs: 3000, correct: true, judge: [2, 2], toolCalls: 4, toolErrors: 0 }),
  ];
  const b = [
    row('v2', 's1', { inputTokens: 250, durationMs: 1100, correct: true, judge: [2, 2] }),
    row('v2', 's2', { inputTokens: 700, durationMs: 2900, correct: true, judge: [2, 2], toolCalls: 4, toolErrors: 1 }),
    row('v2', 's3', { inputTokens: 50 }),
  ];

  it('summarises each version (hand-checked means and ratios)', () => {
    const [s1, s2] = summariseVersions([...a, ...b]);
    expect(s1).toMatchObject({ version: 'v1', traces: 2, meanTokens: 200, correctness: 1, judgePassRate: 1 });
    expect(s1!.toolFailureRatio).toBe(0);
    // v2: tokens (250 + 700 + 50) / 3; tool failures 1 of 2+4+2 calls
    expect(s2!.meanTokens).toBeCloseTo(1000 / 3);
    expect(s2!.toolFailureRatio).toBe(1 / 8);
  });

  it('pairs traces of the same scenario and flags token doubling even when judges pass', () => {
    const r = compareVersions(a, b);
    expect(r.pairs.map((p) => [p.pairKey, p.tokensRatio])).toEqual([
      ['s1', 2.5],
      ['s2', 700 / 300],
    ]);
    const tokens = r.regressions.find((x) => x.metric === 'tokens');
    // 200 → 333.3 is ×1.67 overall: below ×2, so not flagged on the mean …
    expect(tokens).toBeUndefined();
    expect(r.regressions.find((x) => x.metric === 'tool-failures')!.message).toBe('tool failure ratio 0.0% → 12.5%');
    expect(r.regressions.some((x) => x.metric === 'judges')).toBe(false);

    // … but with the small trace gone, the mean doubles (200 → 475) and both pairs are named.
    const r2 = compareVersions(a, b.slice(0, 2));
    const t2 = r2.regressions.find((x) => x.metric === 'tokens')!;
    expect(t2.message).toBe('mean tokens per trace ×2.38 (200 → 475)');
    expect(t2.pairKeys).toEqual(['s1', 's2']);
    expect(r2.b.judgePassRate).toBe(1);
  });
});
