import { writerOf } from '../../../src/core/store/connection';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { LabelStore } from '../../../src/core/store/labels';
import { nextInQueue, queueOrder } from '../../../src/core/labels/queue';
import type { Workspace } from '../../../src/core/store/workspace';
import { fixture, importFixtures, tempWorkspace } from '../../helpers/workspace';

// Facts read from the fixture files:
// - phoenix: one trace 'fixture-trace-1', 00:00:00 → 00:00:35 (35 s), 8 tool spans, 1 with ERROR
//   status, LLM token counts 310222 prompt + 1895 completion = 312117.
// - claude-code short: one session 55604662-…, timestamps 21:11:52.438 → 21:16:12.381 (259.943 s),
//   2 tool_result with is_error=true, one API message with usage 3 in + 13 out = 16 tokens.
// - security guide: 3 samples (ids 1, 2, 3), events spanning 6.28 s, 5.39 s, 9.95 s, model_usage
//   total_tokens 629, 566, 797; no tool calls.
// - popularity: 10 samples, model_usage total_tokens 57..72 (all > 16), no tool calls.
const PHOENIX = 'fixture-trace-1';
const CLAUDE = '55604662-cf2a-4331-851a-ec234028f8ca';
const SG = ['jejv2PukU7Xq5AJrutaZi7', 'azKp2SRnKjCTS9rimuwWy2', 'HsRaLUYeLvb6ehcfhHorXD']; // samples 1, 2, 3
const POP = Array.from({ length: 10 }, (_, i) => `2wRuCQ9hGYaGPyAdoobgYV/${i + 1}/1`);

let ws: Workspace;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempWorkspace();
  ws = t.ws;
  cleanup = t.cleanup;
  await importFixtures(ws, [
    'openinference/phoenix-rest-spans-agent-turn-tools-error.json',
    'claude-code/cc-spotter-short-tool-errors.jsonl',
    'inspect-ai/inspect-security-guide-3samples.json',
    'inspect-ai/inspect-popularity-10samples.eval',
  ]);
});
afterAll(() => cleanup());

const ids = (spec: Parameters<typeof queueOrder>[1]) => queueOrder(ws, spec).map((e) => e.traceId);

describe('labelling queue orders on imported fixtures', () => {
  it('holds every trace once', () => {
    expect(new Set(ids({ order: 'random' }))).toEqual(new Set([PHOENIX, CLAUDE, ...SG, ...POP]));
    expect(ids({ order: 'random' })).toHaveLength(15);
  });

  it('outliers: longest, most tool failures, most tokens first', () => {
    expect(ids({ order: 'longest' }).slice(0, 5)).toEqual([CLAUDE, PHOENIX, SG[2], SG[0], SG[1]]);
    const failures = ids({ order: 'toolFailures' });
    expect(failures.slice(0, 2)).toEqual([CLAUDE, PHOENIX]);
    const tokens = ids({ order: 'tokens' });
    expect(tokens.slice(0, 4)).toEqual([PHOENIX, SG[2], SG[0], SG[1]]);
    expect(tokens.at(-1)).toBe(CLAUDE);
  });

  it('random: the same seed gives the same order, another seed another one', () => {
    const a = ids({ order: 'random', seed: 7 });
    expect(ids({ order: 'random', seed: 7 })).toEqual(a);
    expect(ids({ order: 'random', seed: 8 })).not.toEqual(a);
    expect([...a].sort()).toEqual([...ids({ order: 'random', seed: 8 })].sort());
  });

  it('random: a newly imported trace does not reshuffle the others', async () => {
    const t = tempWorkspace();
    try {
      await importFile(t.ws, fixture('inspect-ai/inspect-popularity-10samples.eval'));
      const before = queueOrder(t.ws, { order: 'random', seed: 3 }).map((e) => e.traceId);
      await importFile(t.ws, fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'));
      const after = queueOrder(t.ws, { order: 'random', seed: 3 }).map((e) => e.traceId);
      expect(after.filter((id) => id !== PHOENIX)).toEqual(before);
    } finally {
      t.cleanup();
    }
  });

  it('stratified: round-robin over the field values', () => {
    const byFormat = queueOrder(ws, { order: 'stratified', field: 'format' });
    // formats: claude-code (1), inspect-ai (13), openinference (1) → one of each, then inspect-ai only
    expect(byFormat.slice(0, 3).map((e) => e.stratum)).toEqual(['claude-code', 'inspect-ai', 'openinference']);
    expect(byFormat.slice(0, 3).map((e) => e.traceId)).toEqual([CLAUDE, expect.any(String), PHOENIX]);
    expect(byFormat.slice(3).every((e) => e.stratum === 'inspect-ai')).toBe(true);

    // services: phoenix has none, claude-code, popularity (10), security_guide (3)
    const bySvc = queueOrder(ws, { order: 'stratified', field: 'service' }).map((e) => e.stratum);
    expect(bySvc).toEqual([
      '(none)', 'claude-code', 'popularity', 'security_guide',
      'popularity', 'security_guide',
      'popularity', 'security_guide',
      ...Array(7).fill('popularity'),
    ]);
  });

  it('steps past labelled traces, wraps around to skipped ones, or includes them on request', () => {
    const order = queueOrder(ws, { order: 'longest' });
    const store = new LabelStore(writerOf(ws));
    store.setLabel({ traceId: PHOENIX, verdict: 'fail' });
    store.setLabel({ traceId: SG[2]!, verdict: 'defer' });
    try {
      const labelled = store.labelledTraceIds();
      expect(nextInQueue(order, labelled)?.entry.traceId).toBe(CLAUDE);
      // after CLAUDE come PHOENIX (labelled) and SG 3 (deferred = labelled): skipped
      expect(nextInQueue(order, labelled, { after: CLAUDE })?.entry.traceId).toBe(SG[0]);
      expect(nextInQueue(order, labelled, { after: CLAUDE, includeLabelled: true })?.entry.traceId).toBe(PHOENIX);
      // from the last trace, skipping wraps to the first unlabelled one; including stops
      const last = order.at(-1)!.traceId;
      expect(nextInQueue(order, labelled, { after: last })?.entry.traceId).toBe(CLAUDE);
      expect(nextInQueue(order, labelled, { after: last, includeLabelled: true })).toBeNull();
      // stepping from the start visits every unlabelled trace once
      const seen: string[] = [];
      let at: string | undefined;
      for (let i = 0; i < 13; i++) {
        const p = nextInQueue(order, labelled, { after: at })!;
        seen.push(p.entry.traceId);
        at = p.entry.traceId;
      }
      expect(new Set(seen).size).toBe(13);
      expect(seen).not.toContain(PHOENIX);
      const all = new Set(order.map((e) => e.traceId));
      expect(nextInQueue(order, all)).toBeNull();
    } finally {
      store.deleteLabel(PHOENIX);
      store.deleteLabel(SG[2]!);
    }
  });
});
