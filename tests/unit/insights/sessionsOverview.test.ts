import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { importFixtures, tempWorkspace } from '../../helpers/workspace';

/**
 * Sessions and the Overview over real and hand-made files; every number below is worked out
 * from the files (see tests/fixtures/HANDMADE.md for the three-turn session).
 */
const SESSION_FILE = 'otlp-json/handmade-otlp-session-three-turns.json';
const CC_MAIN = 'claude-code/cc-spotter-subagents-agent-a881341.jsonl';
const CC_COMPACT = 'claude-code/cc-spotter-subagents-agent-acompact-fffbd0.jsonl';
const T0 = Date.UTC(2025, 11, 4, 10, 0, 0);

let b: Backend;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  await importFixtures(t.ws, [SESSION_FILE, CC_MAIN, CC_COMPACT]);
  b = createBackend({ workspace: t.ws, mode: 'browser', secrets: memoryKeychain() });
});
afterAll(async () => {
  await b.close();
  cleanup();
});

describe('sessions', () => {
  it('groups the three turns of support-chat-7 with their totals', async () => {
    const t = await b.call('getSession', { sessionId: 'support-chat-7' });
    expect(t!.turns.map((u) => [u.traceId.slice(0, 2), u.status, u.durationMs, u.inputTokens + u.outputTokens, u.toolCalls, u.toolErrors])).toEqual([
      ['a1', 'ok', 1250, 150, 1, 1],
      ['b2', 'error', 1650, 240, 1, 0],
      ['c3', 'ok', 650, 285, 0, 0],
    ]);
    // input / output come from the root spans' input.value / output.value (OTLP has no trace-level io)
    expect(t!.turns.map((u) => u.input)).toEqual(['Where is my order A-1009?', 'It was due yesterday.', 'Can you email me when it ships?']);
    expect(t!.turns[1]!.output).toBe('I\'m sorry, I could not reach the order service.');
    expect(t!.totals).toMatchObject({
      sessionId: 'support-chat-7',
      turns: 3,
      firstStartMs: T0,
      lastEndMs: T0 + 180_650,
      durationMs: 180_650,
      inputTokens: 580,
      outputTokens: 95,
      costUsd: null,
      toolCalls: 2,
      toolErrors: 1,
      failedTurns: 1,
      errorSpans: 2,
      formats: ['otlp-json'],
    });
    expect(await b.call('getSession', { sessionId: 'nope' })).toBeNull();
  });

  it('lists sessions (Claude Code sub-agent transcripts share their session id), filters and searches', async () => {
    const all = await b.call('listSessions', { sort: 'turns' });
    expect(all.total).toBe(2);
    // the two sub-agent transcripts of session 258c7280 join one trace, their session's (issue 16)
    expect(all.rows.map((s) => [s.sessionId, s.turns])).toEqual([
      ['support-chat-7', 3],
      ['258c7280-ae70-4798-800f-63464d01a85d', 1],
    ]);
    // the library filter narrows the turns counted: failed runs only
    const failed = await b.call('listSessions', { filter: { status: ['error'] } });
    expect(failed.rows.map((s) => [s.sessionId, s.turns])).toEqual([['support-chat-7', 1]]);
    expect((await b.call('listSessions', { search: '258C' })).rows.map((s) => s.sessionId)).toEqual(['258c7280-ae70-4798-800f-63464d01a85d']);
    // the library's session filter and column
    const lib = await b.call('listTraces', { sessionId: 'support-chat-7', sort: 'start', dir: 'asc' });
    expect(lib.rows.map((r) => r.traceId.slice(0, 2))).toEqual(['a1', 'b2', 'c3']);
    expect(lib.rows[0]!.sessionId).toBe('support-chat-7');
    expect((await b.call('listTraces', { hasSession: false })).rows.map((r) => r.traceId.slice(0, 2))).toEqual(['d4']);
  });
});

describe('overview', () => {
  it('bins latency, tokens and tool calls of the filtered traces; every bin selects its traces', async () => {
    const o = await b.call('overview', { filter: { formats: ['otlp-json'] } });
    expect(o.total).toBe(4);
    const h = (m: string) => o.histograms.find((x) => x.metric === m)!;
    // durations 1250, 1650, 650, 350 ms: width 200 from 200 (linear; max/min < 100)
    expect(h('duration').scale).toBe('linear');
    expect(h('duration').bins.map((x) => [x.lo, x.count])).toEqual([
      [200, 1], [400, 0], [600, 1], [800, 0], [1000, 0], [1200, 1], [1400, 0], [1600, 1],
    ]);
    // tokens 150, 240, 285, 60: width 20 from 60
    expect(h('tokens').bins.filter((x) => x.count).map((x) => x.lo)).toEqual([60, 140, 240, 280]);
    // tool calls 1, 1, 0, 0: one bin per integer
    expect(h('toolCalls').bins.map((x) => [x.lo, x.hi, x.count])).toEqual([[0, 1, 2], [1, 2, 2]]);
    expect(h('cost')).toMatchObject({ bins: [], missing: 4 });

    // Opening a bar = listing with its ranges: exactly the counted traces.
    for (const bin of h('duration').bins.filter((x) => x.count)) {
      const r = await b.call('listTraces', { formats: ['otlp-json'], ranges: bin.ranges });
      expect(r.total).toBe(bin.count);
    }
    const one = await b.call('listTraces', { formats: ['otlp-json'], ranges: h('duration').bins[7]!.ranges });
    expect(one.rows.map((r) => r.traceId.slice(0, 2))).toEqual(['b2']);
  });

  it('trends failed runs and tool errors in 10-minute buckets', async () => {
    const o = await b.call('overview', { filter: { formats: ['otlp-json'] } });
    expect(o.trend.unit).toBe('10 minutes');
    expect(o.trend.buckets).toHaveLength(7);
    expect(o.trend.buckets[0]).toMatchObject({ startMs: T0, traces: 3, failedRuns: 1, tracesWithToolErrors: 1, toolCalls: 2, toolErrors: 1 });
    expect(o.trend.buckets[6]).toMatchObject({ startMs: T0 + 3_600_000, traces: 1, failedRuns: 0 });
    const failed = await b.call('listTraces', { ranges: o.trend.buckets[0]!.ranges, status: ['error'] });
    expect(failed.rows.map((r) => r.traceId.slice(0, 2))).toEqual(['b2']);
  });

  it('gives each judge run a pass rate over the filter, and the point opens the judged traces', async () => {
    await b.call('importJudgesDir', { dir: join(__dirname, '../../../judges') });
    const done = new Promise<void>((resolve) => {
      const off = b.events.subscribe((e) => {
        if (e.type === 'judge-run-finished') {
          off();
          resolve();
        }
      });
    });
    const { runId } = await b.call('startJudgeRun', {
      judgeIds: ['no-tool-errors'],
      selection: { mode: 'filter', query: { formats: ['otlp-json'] } },
      name: 'r1',
    });
    await done;
    const o = await b.call('overview', { filter: { formats: ['otlp-json'] } });
    // a1 has the failed lookup_order call; b2, c3, d4 none
    expect(o.passRates).toEqual([
      expect.objectContaining({ runId, runName: 'r1', judgeId: 'no-tool-errors', judgeName: 'No tool errors', pass: 3, fail: 1, rate: 0.75 }),
    ]);
    const narrowed = await b.call('overview', { filter: { sessionId: 'support-chat-7' } });
    expect(narrowed.passRates[0]).toMatchObject({ pass: 2, fail: 1 });
    const failing = await b.call('listTraces', { judgeVerdict: { runId, judgeId: 'no-tool-errors', status: 'fail' } });
    expect(failing.rows.map((r) => r.traceId.slice(0, 2))).toEqual(['a1']);
  });
});
