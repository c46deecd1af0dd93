import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareHandlers, type CompareHandlers } from '../../../src/backend/compare';
import { importFile } from '../../../src/core/import/importFile';
import { fixture, tempWorkspace } from '../../helpers/workspace';

/**
 * The scenario methods the UI uses (src/shared/compare.ts) on the real Pydantic AI joke trace
 * (tags example, joke-generator; 4 model turns, 3 tool calls in turn 1, 7.428 s).
 */
const JOKE_TRACE = '7a38edd8123db47ad8dcb8aa4c5e3926';
const JOKE_FILE = fixture('scenarios/pydantic-joke-generator.scenario.json');
let t: ReturnType<typeof tempWorkspace>;
let h: CompareHandlers;

beforeAll(async () => {
  t = tempWorkspace();
  await importFile(t.ws, fixture('langfuse/langfuse-pydantic-ai-tools-2025-12-04.trace.json'));
  h = compareHandlers(t.ws);
});
afterAll(() => t.cleanup());

describe('scenario handlers', () => {
  it('importScenarioFiles: valid files saved, invalid ones named; the trace attaches by tag', async () => {
    const r = await h.importScenarioFiles({
      files: [
        { name: 'pydantic-joke-generator.scenario.json', text: readFileSync(JOKE_FILE, 'utf8') },
        { name: 'broken.scenario.json', text: '{"id": "b", "ideal": {"steps": [{"parallel": "yes"}]}}' },
      ],
    });
    expect(r.loaded).toEqual([{ id: 'joke-generator', file: 'pydantic-joke-generator.scenario.json' }]);
    expect(r.errors).toEqual([{ file: 'broken.scenario.json', message: 'broken.scenario.json: ideal.steps.0.parallel: Invalid input: expected boolean, received string' }]);
    const { trajectory } = await h.getTrajectory({ traceId: JOKE_TRACE });
    expect(trajectory!.matchedBy).toBe('tag');
    expect(trajectory!.scenario.matchTag).toBe('joke-generator');
    // 4 turns / 3 steps, 3 / 3 calls, 7.428 / 5 s
    expect(trajectory!.metrics.stepRatio).toBeCloseTo(4 / 3, 10);
    expect(trajectory!.metrics.toolCallRatio).toBe(1);
    expect(trajectory!.metrics.latencyRatio).toBeCloseTo(7.428 / 5, 10);
    expect(trajectory!.metrics.correct).toBe(true);
  });

  it('scenarioJsonSchema and checkScenario', async () => {
    const schema = await h.scenarioJsonSchema({});
    expect((schema as { required: string[] }).required).toEqual(['id', 'ideal']);
    expect((await h.checkScenario({ text: readFileSync(JOKE_FILE, 'utf8') })).issues).toEqual([]);
    expect((await h.checkScenario({ text: '{"id": "x", "ideal": {"steps": [{}], "argMatch": "fuzzy"}}' })).issues).toEqual([
      { path: 'ideal.argMatch', message: 'Invalid input' },
    ]);
  });

  it('scenarioFromTrace stores a scenario; an existing id or unknown trace is refused', async () => {
    const s = await h.scenarioFromTrace({ traceId: JOKE_TRACE, id: 'mine', trajectoryMatch: 'strict', argMatch: 'exact', attach: 'attribute' });
    expect(s).toMatchObject({ id: 'mine', idealSteps: 4, idealToolCalls: 3, latencySeconds: 7.428, trajectoryMatch: 'strict', matchTag: null, sourceFile: null });
    await expect(Promise.resolve().then(() => h.scenarioFromTrace({ traceId: JOKE_TRACE, id: 'mine', trajectoryMatch: 'strict', argMatch: 'exact', attach: 'attribute' }))).rejects.toThrow(
      "a scenario 'mine' exists already",
    );
    await expect(Promise.resolve().then(() => h.scenarioFromTrace({ traceId: 'nope', id: 'x', trajectoryMatch: 'strict', argMatch: 'exact', attach: 'input' }))).rejects.toThrow(
      "trace 'nope' not found",
    );
    // attached by the scenario.id attribute only: the joke trace has none, the tag scenario still wins
    expect((await h.getTrajectory({ traceId: JOKE_TRACE })).trajectory!.scenario.id).toBe('joke-generator');
  });

  it('saveScenarioText: invalid text stores nothing; a changed id replaces; a taken id is refused', async () => {
    const body = (await h.getScenario({ id: 'mine' }))!.body as { ideal: { latencySeconds: number } };
    const before = await h.getScenario({ id: 'mine' });
    const bad = await h.saveScenarioText({ text: JSON.stringify({ ...body, ideal: { ...body.ideal, latencySeconds: -1 } }), previousId: 'mine' });
    expect(bad).toEqual({ scenario: null, issues: [{ path: 'ideal.latencySeconds', message: 'Too small: expected number to be >0' }] });
    expect(await h.getScenario({ id: 'mine' })).toEqual(before);

    const taken = await h.saveScenarioText({ text: JSON.stringify({ ...body, id: 'joke-generator' }), previousId: 'mine' });
    expect(taken).toEqual({ scenario: null, issues: [{ path: 'id', message: "a scenario 'joke-generator' exists already" }] });

    const renamed = await h.saveScenarioText({ text: JSON.stringify({ ...body, id: 'mine-2', name: 'renamed' }), previousId: 'mine' });
    expect(renamed.issues).toEqual([]);
    expect(renamed.scenario).toMatchObject({ id: 'mine-2', name: 'renamed' });
    expect((await h.listScenarios({})).map((s) => s.id)).toEqual(['joke-generator', 'mine-2']);
  });
});
