import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { observedTrajectory } from '../../../src/core/trajectory/observed';
import { alignTrajectory } from '../../../src/core/trajectory/align';
import { scenarioFromTrace } from '../../../src/core/trajectory/fromTrace';
import { ScenarioSchema, type Scenario } from '../../../src/core/trajectory/scenario';
import { hasTag, matchScenario, readTraceFacts, ScenarioStore, type TraceFacts } from '../../../src/core/store/scenarios';
import { fixture, tempWorkspace } from '../../helpers/workspace';

/**
 * Attaching scenarios to traces (the rule in scenarioStore.ts: id attribute, then tag, then
 * input) and making a scenario from a trace, on two real traces:
 * - the Phoenix agent turn (fixture-trace-1): input "can you save this trace to a dataset?",
 *   no tags; 9 model turns, 8 tool calls (turn i requests call i, turn 9 none), 0 → 35 s;
 * - the Pydantic AI joke generator (7a38edd8…), Langfuse tags ["example", "joke-generator"]:
 *   4 model turns, the first requests 3 tools with {"topic": "programming"}; 7.428 s.
 */
const JOKE = '7a38edd8123db47ad8dcb8aa4c5e3926';
let t: ReturnType<typeof tempWorkspace>;
let facts: Map<string, TraceFacts>;

const scenario = (id: string, match: Record<string, unknown>, extra: Record<string, unknown> = {}): Scenario =>
  ScenarioSchema.parse({ id, match, ideal: { steps: [{}] }, ...extra });

beforeAll(async () => {
  t = tempWorkspace();
  await importFile(t.ws, fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'));
  await importFile(t.ws, fixture('langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json'));
  facts = new Map(readTraceFacts(t.ws).map((f) => [f.traceId, f]));
});
afterAll(() => t.cleanup());

describe('attaching scenarios to traces', () => {
  it('reads the Langfuse tags of a trace', () => {
    const joke = facts.get(JOKE)!;
    expect(hasTag(joke, 'joke-generator')).toBe(true);
    expect(hasTag(joke, 'example')).toBe(true);
    expect(hasTag(joke, 'joke')).toBe(false); // whole tags only
    expect(hasTag(facts.get('fixture-trace-1')!, 'example')).toBe(false);
  });

  it('a key → value tag map matches by key or key:value', () => {
    const f: TraceFacts = { ...facts.get(JOKE)!, metadata: { tags: { team: 'search', nightly: true } } };
    expect(hasTag(f, 'team')).toBe(true);
    expect(hasTag(f, 'team:search')).toBe(true);
    expect(hasTag(f, 'nightly:true')).toBe(true);
    expect(hasTag(f, 'search')).toBe(false);
  });

  it('id attribute, then tag, then input; among tags the smaller id', () => {
    const byInput = scenario('b-input', {}, { input: '  Can you SAVE this trace to a dataset? ' });
    const byTag = scenario('z-tag', { tag: 'joke-generator' });
    const byTag2 = scenario('a-tag', { tag: 'example' });
    const phoenix = facts.get('fixture-trace-1')!;
    const joke = facts.get(JOKE)!;
    expect(matchScenario([byInput, byTag], phoenix)).toEqual({ scenario: byInput, matchedBy: 'input' });
    expect(matchScenario([byInput, byTag], joke)).toEqual({ scenario: byTag, matchedBy: 'tag' });
    expect(matchScenario([byTag, byTag2], joke)?.scenario.id).toBe('a-tag');
    // an id attribute beats a tag: give the joke trace scenario.id = z-tag in its metadata
    const tagged: TraceFacts = { ...joke, metadata: { ...joke.metadata, 'scenario.id': 'z-tag' } };
    expect(matchScenario([byTag2, byTag], tagged)).toEqual({ scenario: byTag, matchedBy: 'attribute' });
    // a tag beats input text
    const both = scenario('c-input', { inputContains: 'save this trace' });
    const phoenixTagged: TraceFacts = { ...phoenix, metadata: { tags: ['example'] } };
    expect(matchScenario([both, byTag2], phoenixTagged)?.matchedBy).toBe('tag');
    expect(matchScenario([both], phoenix)?.matchedBy).toBe('input');
  });
});

describe('scenarioFromTrace: use this trace as the ideal trajectory', () => {
  it('one step per model turn with its calls; the trace aligns with itself at ratio 1', () => {
    const spans = t.ws.getSpans('fixture-trace-1');
    const s = scenarioFromTrace(spans, facts.get('fixture-trace-1')!, {
      id: 'save-ideal',
      name: 'From the Phoenix turn',
      trajectoryMatch: 'strict',
      argMatch: 'exact',
      attach: 'input',
    });
    expect(s.input).toBe('can you save this trace to a dataset?');
    expect(s.match).toEqual({ attribute: 'scenario.id' });
    expect(s.ideal.latencySeconds).toBe(35);
    expect(s.ideal.steps.map((st) => st.calls.map((c) => c.tool))).toEqual([
      ['list_datasets'],
      ['list_datasets'],
      ['ask_user'],
      ['create_dataset'],
      ['add_spans_to_dataset'],
      ['bash'],
      ['add_spans_to_dataset'],
      ['get_route_info'],
      [],
    ]);
    expect(s.ideal.steps[0]!.calls[0]!.args).toEqual({});
    expect(s.ideal.steps[3]!.calls[0]!.args).toMatchObject({ name: 'golden_examples' });
    const r = alignTrajectory(s, observedTrajectory(spans));
    expect(r.rows.every((row) => row.status === 'matched')).toBe(true);
    expect(r.metrics).toMatchObject({ correct: true, stepRatio: 1, toolCallRatio: 1, latencyRatio: 1 });
    // and it attaches to its own trace by input
    expect(matchScenario([s], facts.get('fixture-trace-1')!)?.matchedBy).toBe('input');
  });

  it('a turn fanning out to several tools is a parallel step; attach by tag; ignore drops the arguments', () => {
    const spans = t.ws.getSpans(JOKE);
    const s = scenarioFromTrace(spans, facts.get(JOKE)!, { id: 'j', trajectoryMatch: 'unordered', argMatch: 'ignore', attach: 'tag', tag: ' example ' });
    expect(s.input).toBeUndefined();
    expect(s.match.tag).toBe('example');
    expect(s.ideal.latencySeconds).toBe(7.428);
    expect(s.ideal.steps.map((st) => [st.calls.length, st.parallel])).toEqual([
      [3, true],
      [0, false],
      [0, false],
      [0, false],
    ]);
    expect(s.ideal.steps[0]!.calls.every((c) => c.args === undefined)).toBe(true);
    expect(matchScenario([s], facts.get(JOKE)!)).toMatchObject({ matchedBy: 'tag' });
  });

  it('says what is missing', () => {
    const joke = facts.get(JOKE)!;
    const opts = { id: 'x', trajectoryMatch: 'strict', argMatch: 'exact' } as const;
    expect(() => scenarioFromTrace(t.ws.getSpans(JOKE), joke, { ...opts, attach: 'tag' })).toThrow('attaching by tag needs a tag');
    expect(() => scenarioFromTrace(t.ws.getSpans(JOKE), { ...joke, inputText: ' ' }, { ...opts, attach: 'input' })).toThrow(
      `trace '${JOKE}' has no input text to attach by; attach by tag or attribute`,
    );
    const noTurns = t.ws.getSpans(JOKE).filter((s) => s.kind !== 'llm');
    expect(() => scenarioFromTrace(noTurns, joke, { ...opts, attach: 'attribute' })).toThrow(`trace '${JOKE}' has no model turns (LLM spans) to use as ideal steps`);
  });
});

describe('ScenarioStore.importTexts / replace', () => {
  it('saves the valid files in one go, names file and field of the others, replaces a renamed id', () => {
    const store = new ScenarioStore(t.ws);
    const r = store.importTexts([
      { name: 'a.scenario.json', text: JSON.stringify({ id: 'a', ideal: { steps: [{}] } }) },
      { name: 'b.scenario.json', text: JSON.stringify({ id: 'b', ideal: { steps: [{ calls: [{}] }] } }) },
      { name: 'c.scenario.json', text: '{' },
    ]);
    expect(r.loaded).toEqual([{ id: 'a', file: 'a.scenario.json' }]);
    expect(r.errors.map((e) => e.message)).toEqual([
      'b.scenario.json: ideal.steps.0.calls.0.tool: Invalid input: expected string, received undefined',
      expect.stringMatching(/^c\.scenario\.json: invalid JSON: /),
    ]);
    expect(store.get('a')?.sourceFile).toBe('a.scenario.json');
    store.replace(ScenarioSchema.parse({ id: 'a2', ideal: { steps: [{}] } }), 'a', 'a.scenario.json');
    expect(store.list().map((s) => s.scenario.id)).toEqual(['a2']);
    expect(store.get('a2')?.sourceFile).toBe('a.scenario.json');
  });
});
