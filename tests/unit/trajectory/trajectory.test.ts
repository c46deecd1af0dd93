import { describe, expect, it } from 'vitest';
import type { Span } from '../../../src/core/model/types';
import { alignTrajectory } from '../../../src/core/trajectory/align';
import { argsMatch } from '../../../src/core/trajectory/argMatch';
import { observedTrajectory } from '../../../src/core/trajectory/observed';
import { parseScenario, ScenarioSchema, type Scenario } from '../../../src/core/trajectory/scenario';

const T0 = 1_700_000_000_000;
let n = 0;
function sp(kind: Span['kind'], startS: number, endS: number, extra: Partial<Span> = {}): Span {
  n++;
  return {
    traceId: 't',
    spanId: `s${n}`,
    parentId: 'root',
    name: kind,
    kind,
    status: 'ok',
    startMs: T0 + startS * 1000,
    endMs: T0 + endS * 1000,
    attributes: {},
    events: [],
    ...extra,
  };
}
const tool = (name: string, args: Record<string, unknown>, startS: number, endS: number) =>
  sp('tool', startS, endS, { name, toolCall: { name, arguments: args } });
const root = (endS: number, status: Span['status'] = 'ok'): Span => ({
  ...sp('agent', 0, endS),
  spanId: 'root',
  parentId: null,
  status,
});

const scenario = (over: Partial<Scenario['ideal']> = {}): Scenario =>
  ScenarioSchema.parse({
    id: 'weather',
    ideal: {
      latencySeconds: 8,
      steps: [
        { calls: [{ tool: 'search', args: { q: 'sf weather' } }] },
        { calls: [{ tool: 'get_weather', args: { city: 'SF' } }, { tool: 'get_time', args: { tz: 'PST' } }], parallel: true },
        { calls: [{ tool: 'format', args: {} }] },
        { calls: [] },
      ],
      ...over,
    },
  });

describe('trajectory metrics (hand-checked)', () => {
  // Observed: 6 model turns, 5 tool calls, 14 s. Ideal: 4 steps, 4 calls, 8 s.
  // step ratio 6/4 = 1.5, tool-call ratio 5/4 = 1.25, latency ratio 14/8 = 1.75, solve rate 4/14 = 0.2857.
  const spans = [
    root(14),
    sp('llm', 0, 1),
    tool('search', { q: 'sf weather' }, 1, 2),
    sp('llm', 2, 3),
    tool('get_weather', { city: 'SF' }, 3, 4),
    sp('llm', 4, 5),
    tool('get_time', { tz: 'PST' }, 5, 6),
    sp('llm', 6, 7),
    tool('search', { q: 'again' }, 7, 9),
    sp('llm', 9, 10),
    tool('format', {}, 10, 11),
    sp('llm', 11, 14),
  ];

  it('computes step, tool-call and latency ratios and solve rate', () => {
    const r = alignTrajectory(scenario(), observedTrajectory(spans));
    expect(r.metrics.observedSteps).toBe(6);
    expect(r.metrics.observedToolCalls).toBe(5);
    expect(r.metrics.observedSeconds).toBe(14);
    expect(r.metrics.stepRatio).toBe(1.5);
    expect(r.metrics.toolCallRatio).toBe(1.25);
    expect(r.metrics.latencyRatio).toBe(1.75);
    expect(r.metrics.solveRate).toBeCloseTo(0.29, 2);
  });

  it('aligns calls: matched, extra, and parallel calls made in separate turns', () => {
    const r = alignTrajectory(scenario(), observedTrajectory(spans));
    expect(r.rows.map((x) => [x.status, x.observed?.tool ?? x.ideal?.tool])).toEqual([
      ['matched', 'search'],
      ['could-be-parallel', 'get_weather'],
      ['could-be-parallel', 'get_time'],
      ['extra', 'search'],
      ['matched', 'format'],
    ]);
    // strict: an extra call breaks it; superset: all ideal calls are there
    expect(r.metrics.correct).toBe(false);
    expect(alignTrajectory(scenario({ trajectoryMatch: 'superset' }), observedTrajectory(spans)).metrics.correct).toBe(true);
    expect(alignTrajectory(scenario({ trajectoryMatch: 'subset' }), observedTrajectory(spans)).metrics.correct).toBe(false);
  });

  it('solve rate is 0 when the run failed', () => {
    const failed = [root(14, 'error'), ...spans.slice(1)];
    expect(alignTrajectory(scenario(), observedTrajectory(failed)).metrics.solveRate).toBe(0);
  });

  it('reports missing and out-of-order calls', () => {
    const obs = observedTrajectory([
      root(5),
      sp('llm', 0, 1),
      tool('format', {}, 1, 2),
      sp('llm', 2, 3),
      tool('search', { q: 'sf weather' }, 3, 4),
    ]);
    const r = alignTrajectory(scenario({ trajectoryMatch: 'unordered' }), obs);
    const statuses = r.rows.map((x) => `${x.status}:${x.ideal?.tool ?? x.observed?.tool}`);
    expect(statuses.filter((s) => s.startsWith('missing'))).toEqual(['missing:get_weather', 'missing:get_time']);
    expect(statuses).toContain('out-of-order:format');
    expect(r.metrics.correct).toBe(false);
    // subset mode: the observed calls are all in the ideal
    expect(alignTrajectory(scenario({ trajectoryMatch: 'subset' }), obs).metrics.correct).toBe(true);
  });

  it('parallel calls in one turn match a parallel ideal step in any order', () => {
    const obs = observedTrajectory([
      root(4),
      sp('llm', 0, 1),
      tool('search', { q: 'sf weather' }, 1, 1.5),
      sp('llm', 1.5, 2),
      tool('get_time', { tz: 'PST' }, 2, 3),
      tool('get_weather', { city: 'SF' }, 2, 2.5),
      sp('llm', 3, 3.5),
      tool('format', {}, 3.5, 3.6),
      sp('llm', 3.6, 4),
    ]);
    const r = alignTrajectory(scenario(), obs);
    expect(r.rows.every((x) => x.status === 'matched')).toBe(true);
    expect(r.metrics.correct).toBe(true);
    expect(r.metrics.stepRatio).toBe(1);
  });
});

describe('failed attempts', () => {
  it('a failed call followed by a working retry matches the retry; the failure is extra', () => {
    const failedSearch = { ...tool('search', { q: 'sf weather' }, 1, 2), status: 'error' as const };
    const obs = observedTrajectory([
      root(6),
      sp('llm', 0, 1),
      failedSearch,
      sp('llm', 2, 3),
      tool('search', { q: 'sf weather' }, 3, 4),
    ]);
    const rows = alignTrajectory(scenario({ trajectoryMatch: 'superset' }), obs).rows;
    expect(rows.filter((r) => r.observed?.tool === 'search').map((r) => [r.status, r.observed!.isError])).toEqual([
      ['extra', true],
      ['matched', false],
    ]);
  });
});

describe('argument matching', () => {
  it('implements exact, ignore, subset, superset and key lists', () => {
    expect(argsMatch({ a: 1, b: 2 }, { a: 1, b: 2 }, 'exact')).toBe(true);
    expect(argsMatch({ a: 1 }, { a: 1, b: 2 }, 'exact')).toBe(false);
    expect(argsMatch({ a: 1 }, { z: 9 }, 'ignore')).toBe(true);
    expect(argsMatch({ a: 1 }, { a: 1, b: 2 }, 'subset')).toBe(true);
    expect(argsMatch({ a: 1, c: 3 }, { a: 1, b: 2 }, 'subset')).toBe(false);
    expect(argsMatch({ a: 1, b: 2, c: 3 }, { a: 1, b: 2 }, 'superset')).toBe(true);
    expect(argsMatch({ a: 1 }, { a: 1, b: 2 }, 'superset')).toBe(false);
    expect(argsMatch({ q: { city: 'SF' }, n: 1 }, { q: { city: 'SF' }, n: 2 }, ['q.city'])).toBe(true);
    expect(argsMatch({ q: { city: 'LA' } }, { q: { city: 'SF' } }, ['q.city'])).toBe(false);
  });

  it('per-tool overrides apply', () => {
    const s = scenario({ toolArgMatch: { search: 'ignore' } });
    const obs = observedTrajectory([root(2), sp('llm', 0, 1), tool('search', { q: 'other words' }, 1, 2)]);
    expect(alignTrajectory(s, obs).rows[0]!.status).toBe('matched');
  });
});

describe('scenario files', () => {
  it('names the file and field on bad input', () => {
    expect(() => parseScenario('bad.json', '{"id": "x", "ideal": {"steps": []}}')).toThrow(/bad\.json: ideal\.steps/);
    expect(() => parseScenario('bad.json', '{oops')).toThrow(/bad\.json: invalid JSON/);
  });
});
