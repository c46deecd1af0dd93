import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, createBackend, type Backend } from '../../../src/backend/handlers';
import { axialAnswerJsonSchema, parseAxialAnswer } from '../../../src/core/labels/axialCoding';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { fixture, tempWorkspace } from '../../helpers/workspace';
import { chat, startFakeOpenAI } from '../judges/support/fakeOpenAI';

// Phoenix agent turn 'pxi.turn' (fixture-trace-1): s01 agent over s02..s18, alternating LLM
// calls (even ids) and tool calls (odd ids); s11 add_spans_to_dataset failed. Inspect
// popularity samples: sample → generate → model-5 (llm) → match → score-9 (other).
const PHOENIX_FILE = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const POP_FILE = fixture('inspect-ai/inspect-popularity-10samples.eval');
const PHOENIX = 'fixture-trace-1';
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function backendWith(files: string[]): Promise<Backend> {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const b = createBackend({ workspace: t.ws, mode: 'desktop', secrets: memoryKeychain() });
  cleanups.push(() => void b.close());
  const out = await b.importPaths(files);
  expect(out.every((o) => o.ok)).toBe(true);
  return b;
}

const code = async (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (e: unknown) => (e instanceof ApiError ? `${e.code}: ${e.message}` : String(e)),
  );

describe('open coding: notes and the first-failure mark', () => {
  it('lists the conversation, keeps one first-failure mark per trace, notes on spans and traces', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    const steps = (await b.call('labelSteps', { traceId: PHOENIX }))!;
    expect(steps.total).toBe(18);
    expect(steps.steps.map((s) => [s.spanId, s.depth]).slice(0, 3)).toEqual([['s01', 0], ['s02', 1], ['s03', 1]]);
    const s11 = steps.steps.find((s) => s.spanId === 's11')!;
    expect(s11).toMatchObject({ kind: 'tool', toolName: 'add_spans_to_dataset', status: 'error' });
    expect(s11.error).toContain("Error fetching GraphQL query 'exampleMutation'");

    // Mark s09 first, then move the mark to s11 with a note: one mark, the empty s09 mark gone.
    await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's09' });
    let notes = await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's11', text: 'add_spans_to_dataset failed on a GraphQL error' });
    expect(notes.map((n) => [n.spanId, n.firstFailure, n.text, n.spanName, n.spanKind])).toEqual([
      ['s11', true, 'add_spans_to_dataset failed on a GraphQL error', 'add_spans_to_dataset', 'tool'],
    ]);
    // A note written on a span first carries the mark when that span is marked.
    const onS18 = await b.call('addSpanNote', { traceId: PHOENIX, spanId: 's18', text: 'Says Done! although the save failed' });
    const onTrace = await b.call('addSpanNote', { traceId: PHOENIX, spanId: null, text: 'Never told the user about the failure' });
    expect(onTrace).toMatchObject({ spanId: null, spanName: null, firstFailure: false });
    notes = await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's18' });
    expect(notes.map((n) => [n.id, n.spanId, n.firstFailure])).toEqual([
      [notes[0]!.id, 's11', false],
      [onS18.id, 's18', true],
      [onTrace.id, null, false],
    ]);
    notes = await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's11' });
    expect(notes.filter((n) => n.firstFailure).map((n) => n.spanId)).toEqual(['s11']);

    expect(await code(b.call('addSpanNote', { traceId: PHOENIX, spanId: 's99', text: 'x' }))).toBe(
      "not-found: no span 's99' in trace 'fixture-trace-1'",
    );
    expect(await code(b.call('addSpanNote', { traceId: PHOENIX, spanId: 's02', text: '  ' }))).toBe('bad-input: a note needs some text');
    expect(await code(b.call('updateSpanNote', { id: 9999, text: 'x' }))).toBe('bad-input: no note 9999');
    const upd = await b.call('updateSpanNote', { id: onTrace.id, text: 'Never told the user' });
    expect(upd.text).toBe('Never told the user');
    expect(await b.call('deleteSpanNote', { id: onTrace.id })).toEqual({ deleted: true });
    expect((await b.call('listSpanNotes', { traceId: PHOENIX })).map((n) => n.spanId)).toEqual(['s11', 's18']);
  });

  it('counts the first-failure matrix from the marks', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's11' });
    await b.call('setFirstFailure', { traceId: POP(3), spanId: 'model-5' });
    await b.call('setFirstFailure', { traceId: POP(4), spanId: 'model-5' });
    await b.call('setFirstFailure', { traceId: POP(7), spanId: 'score-9' });
    const m = await b.call('firstFailureMatrix', {});
    // s11 follows the LLM call s10; model-5 is the first step of its sample; score-9 follows model-5.
    expect(m.cells.map((c) => [c.from, c.to, c.count, c.traceIds])).toEqual([
      ['(start)', 'llm', 2, [POP(3), POP(4)]],
      ['llm', 'add_spans_to_dataset', 1, [PHOENIX]],
      ['llm', 'other', 1, [POP(7)]],
    ]);
    expect(m).toMatchObject({ traces: 4, missing: 0, rows: ['(start)', 'llm'], cols: ['llm', 'add_spans_to_dataset', 'other'] });
  });
});

describe('axial coding', () => {
  it('codes notes to modes by hand, moves tags with them, and feeds saturation', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    const n1 = await b.call('addSpanNote', { traceId: PHOENIX, spanId: 's18', text: 'Claims success after a failed tool call' });
    const n2 = await b.call('addSpanNote', { traceId: POP(3), spanId: 'model-5', text: 'Answered No, target Yes' });
    for (const [t, v] of [[POP(1), 'pass'], [PHOENIX, 'fail'], [POP(3), 'fail'], [POP(2), 'pass']] as const) {
      await b.call('setLabel', { traceId: t, verdict: v });
    }
    const r = await b.call('codeNotes', { noteIds: [n1.id, n2.id], mode: 'wrong result', definition: 'the result is wrong' });
    expect(r.notes.map((n) => n.mode)).toEqual(['wrong result', 'wrong result']);
    expect(r.modes.map((m) => [m.name, m.count, m.definition])).toEqual([['wrong result', 2, 'the result is wrong']]);
    // Split: the Phoenix note moves to its own mode; the trace tag follows the note.
    await b.call('codeNotes', { noteIds: [n1.id], mode: 'false success' });
    expect((await b.call('labelItem', { traceId: PHOENIX }))!.failureModes).toEqual(['false success']);
    expect((await b.call('labelItem', { traceId: POP(3) }))!.failureModes).toEqual(['wrong result']);

    const s = await b.call('saturation', {});
    // Review order: pop 1 (none), Phoenix (false success: new), pop 3 (wrong result: new), pop 2.
    expect(s.curve.map((p) => [p.traceId, p.modes, p.newModes])).toEqual([
      [POP(1), 0, []],
      [PHOENIX, 1, ['false success']],
      [POP(3), 2, ['wrong result']],
      [POP(2), 2, []],
    ]);
    expect(s.modes.map((m) => [m.name, m.count, m.rate])).toEqual([
      ['false success', 1, 0.25],
      ['wrong result', 1, 0.25],
    ]);
    expect(s.sinceLastNew).toBe(1);
    // Re-labelling does not move a trace in the review order.
    await b.call('setLabel', { traceId: POP(1), verdict: 'fail' });
    expect((await b.call('saturation', {})).curve[0]!.traceId).toBe(POP(1));

    // Merging modes moves the coded notes too; deleting a mode uncodes them.
    await b.call('mergeFailureModes', { from: 'false success', into: 'wrong result' });
    expect((await b.call('listSpanNotes', {})).map((n) => n.mode)).toEqual(['wrong result', 'wrong result']);
    await b.call('deleteFailureMode', { name: 'wrong result' });
    expect((await b.call('listSpanNotes', {})).map((n) => n.mode)).toEqual([null, null]);
  });

  it('says the model is not configured and proposes nothing', async () => {
    const b = await backendWith([PHOENIX_FILE]);
    await b.call('addSpanNote', { traceId: PHOENIX, spanId: 's11', text: 'tool failed' });
    const p = await b.call('proposeFailureModes', {});
    expect(p.problem).toMatch(/^model not configured: no API key for https:\/\/api\.openai\.com\/v1/);
    expect(p.groups).toEqual([]);
  });

  it('asks the configured model with the notes and validates its groups', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    const a = await b.call('addSpanNote', { traceId: PHOENIX, spanId: 's11', text: 'add_spans_to_dataset failed on a GraphQL error' });
    const c = await b.call('addSpanNote', { traceId: PHOENIX, spanId: 's18', text: 'Says Done! although the save failed' });
    const d = await b.call('addSpanNote', { traceId: POP(3), spanId: null, text: 'Answered No; the target was Yes' });
    const answer = {
      groups: [
        { name: 'tool error', definition: 'A tool call fails.', noteIds: [a.id] },
        { name: 'false success', definition: 'The agent reports success after a failure.', noteIds: [c.id, a.id] },
      ],
    };
    const server = await startFakeOpenAI([{ body: chat(`Here you go:\n\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``) }, { body: chat('{"groups": [{"name": "x", "definition": "y", "noteIds": [424242]}]}') }]);
    try {
      const { settings } = await b.call('getLlmSettings', {});
      await b.call('setLlmSettings', { settings: { ...settings, baseUrl: server.baseUrl, model: 'm-axial' } });
      const p = await b.call('proposeFailureModes', {});
      expect(p).toMatchObject({ problem: null, model: 'm-axial', notes: 3, ungrouped: [d.id] });
      // a note named by two groups stays in the first
      expect(p.groups).toEqual([
        { name: 'tool error', definition: 'A tool call fails.', noteIds: [a.id] },
        { name: 'false success', definition: 'The agent reports success after a failure.', noteIds: [c.id] },
      ]);
      const req = server.requests[0]!.body;
      const prompt = req.messages[0].content as string;
      expect(prompt).toContain(`[${a.id}] trace "pxi.turn", span "add_spans_to_dataset" (tool): add_spans_to_dataset failed on a GraphQL error`);
      expect(prompt).toContain(`[${d.id}] trace "popularity 3", whole trace: Answered No; the target was Yes`);
      expect(req.response_format).toEqual({
        type: 'json_schema',
        json_schema: { name: 'failure_mode_groups', strict: true, schema: axialAnswerJsonSchema() },
      });
      expect(await code(b.call('proposeFailureModes', {}))).toBe(
        'failed: proposing failure modes failed: malformed model output: the groups name notes that were not in the prompt: 424242',
      );

      // The user renames the first group and accepts both.
      const acc = await b.call('acceptFailureModeGroups', {
        groups: [
          { name: 'tool call failed', definition: 'A tool call returns an error.', noteIds: [a.id] },
          { ...p.groups[1]!, noteIds: [c.id, d.id] },
        ],
      });
      expect(acc.modes.map((m) => [m.name, m.count])).toEqual([
        ['false success', 2],
        ['tool call failed', 1],
      ]);
      expect((await b.call('listSpanNotes', { mode: 'false success' })).map((n) => n.id)).toEqual([c.id, d.id]);
    } finally {
      await server.close();
    }
  });
});

describe('the axial answer schema', () => {
  it('is strict JSON Schema and rejects answers that do not fit', () => {
    const s = axialAnswerJsonSchema();
    expect(s).toMatchObject({ type: 'object', additionalProperties: false, required: ['groups'] });
    expect(() => parseAxialAnswer('{"groups": [{"name": "", "definition": "d", "noteIds": [1]}]}', new Set([1]))).toThrow(
      /malformed model output: groups\.0\.name: Too small/,
    );
    expect(() => parseAxialAnswer('no json here', new Set([1]))).toThrow(/no JSON object in the reply/);
    expect(parseAxialAnswer('{"groups": []}', new Set())).toEqual([]);
  });
});
