import { writerOf } from '../../../src/core/store/connection';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { MIGRATIONS } from '../../../src/core/store/schema';
import type { Workspace } from '../../../src/core/store/workspace';
import { alignTrajectory } from '../../../src/core/trajectory/align';
import { observedTrajectory } from '../../../src/core/trajectory/observed';
import { ScenarioSchema } from '../../../src/core/trajectory/scenario';
import {
  inputHash,
  inputText,
  matchScenario,
  readScenarioFile,
  readTraceFacts,
  ScenarioStore,
} from '../../../src/core/store/scenarios';
import { writePhoenixVariant } from '../../helpers/phoenixVariants';
import { importFixtures, tempWorkspace } from '../../helpers/workspace';

const SCENARIOS = resolve(__dirname, '../../../scenarios');
const EXAMPLE = join(SCENARIOS, 'phoenix-save-trace-to-dataset.scenario.json');
const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';

let t: ReturnType<typeof tempWorkspace>;
let ws: Workspace;
let dir: string;

beforeAll(async () => {
  t = tempWorkspace();
  ws = t.ws;
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-scenarios-'));
  await importFixtures(ws, [
    PHOENIX,
    'otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json',
    'inspect-ai/inspect-security-guide-3samples.json',
    'langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json',
    'langsmith/handmade-langsmith-python-run-ops.jsonl',
    'mlflow/handmade-mlflow3-trace.json',
  ]);
  // The same Phoenix turn, tagged with another scenario's id on its root span.
  await importFile(ws, writePhoenixVariant(dir, 'tagged.json', { traceId: 'tagged-turn', rootAttributes: { 'scenario.id': 'dataset-admin' } }));
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

describe('scenario store', () => {
  it('is a new migration with its own table', () => {
    expect(writerOf(ws).pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const cols = writerOf(ws).prepare(`SELECT name FROM pragma_table_info('scenarios')`).all() as { name: string }[];
    expect(cols.map((c) => c.name)).toEqual(['id', 'name', 'body', 'source_file', 'updated_at']);
  });

  it('loads the scenarios/ folder, reports bad files by file and field, skips other files', () => {
    const bad = join(dir, 'broken.scenario.json');
    writeFileSync(bad, JSON.stringify({ id: 'broken', ideal: { steps: [] } }));
    writeFileSync(join(dir, 'notes.json'), '{"not": "a scenario"}');
    writeFileSync(join(dir, 'ok.scenario.json'), JSON.stringify({ id: 'ok', ideal: { steps: [{ calls: [{ tool: 'search' }] }] } }));
    const store = new ScenarioStore(ws);
    const r = store.loadPaths([SCENARIOS, dir, join(dir, 'missing.scenario.json')]);
    expect(r.loaded.map((l) => l.id)).toEqual(['save-trace-to-dataset', 'ok']);
    expect(r.errors).toHaveLength(2);
    expect(r.errors.find((e) => e.file === bad)!.message).toMatch(/broken\.scenario\.json: ideal\.steps: /);
    expect(r.errors.find((e) => e.file === join(dir, 'missing.scenario.json'))!.message).toContain('ENOENT');
    expect(store.list().map((s) => [s.scenario.id, s.sourceFile])).toEqual([
      ['ok', join(dir, 'ok.scenario.json')],
      ['save-trace-to-dataset', EXAMPLE],
    ]);
    // defaults filled on parse: match attribute, modes
    const ok = store.get('ok')!.scenario;
    expect(ok.match.attribute).toBe('scenario.id');
    expect(ok.ideal.trajectoryMatch).toBe('strict');
    expect(ok.ideal.argMatch).toBe('exact');
  });

  it('saves (upserts) and deletes', () => {
    const store = new ScenarioStore(ws);
    const s = ScenarioSchema.parse({ id: 'tmp', name: 'first', ideal: { steps: [{ calls: [] }] } });
    store.save(s);
    store.save({ ...s, name: 'second' });
    expect(store.get('tmp')).toMatchObject({ scenario: { name: 'second' }, sourceFile: null });
    expect(store.delete('tmp')).toBe(true);
    expect(store.delete('tmp')).toBe(false);
    expect(store.get('tmp')).toBeNull();
  });
});

describe('trace input text (real fixtures)', () => {
  const facts = () => new Map(readTraceFacts(ws).map((f) => [f.traceId, f]));

  it('takes the user text out of strings, message lists and input objects', () => {
    const f = facts();
    // Phoenix: root span input.value
    expect(f.get('fixture-trace-1')!.inputText).toBe('can you save this trace to a dataset?');
    // Inspect: input is a message list [{role: 'user', content: …}]
    expect(f.get('jejv2PukU7Xq5AJrutaZi7')!.inputText).toBe('How do I prevent SQL Injection attacks?');
    // Langfuse (Vercel AI SDK): {prompt: …}
    expect(f.get('df41e597d0a85e0d7a6ae8ebfaa70aa0')!.inputText).toBe('What is the weather like today in San Francisco?');
    // LangSmith LangGraph run: {messages: [{role: 'user', content: …}]}
    expect(f.get('5d8f2a10-1c3b-4e7a-9f10-aa0000000001')!.inputText).toBe(
      "What's the weather in Paris, and the forecast for tomorrow?",
    );
    // MLflow 3: {request: …}
    expect(f.get('tr-0000a68a45347c8636c2a21872b1bfc8')!.inputText).toBe(
      'Find me a flight from SFO to JFK on 2025-12-20 and book the cheapest.',
    );
    // Jaeger example: no input anywhere
    expect(f.get('00000000000000000000000000000011')!.inputText).toBe('');
  });

  it('hashes the normalised input: case and whitespace do not matter', () => {
    expect(inputHash('Can you  SAVE this trace\nto a dataset? ')).toBe(inputHash('can you save this trace to a dataset?'));
    expect(inputHash('can you save this trace to a dataset')).not.toBe(inputHash('can you save this trace to a dataset?'));
    expect(inputHash('   ')).toBeNull();
    expect(inputText([{ role: 'system', content: 'be brief' }, { role: 'user', content: [{ type: 'text', text: 'hi' }] }])).toBe('hi');
  });
});

describe('matching traces to scenarios', () => {
  const example = readScenarioFile(EXAMPLE);
  const admin = ScenarioSchema.parse({ id: 'dataset-admin', ideal: { steps: [{ calls: [] }] } });
  const weather = ScenarioSchema.parse({
    id: 'weather',
    match: { inputContains: 'WEATHER like today' },
    ideal: { steps: [{ calls: [{ tool: 'getWeather' }] }] },
  });
  const all = [example, admin, weather];
  const factsOf = (id: string) => readTraceFacts(ws, [id])[0]!;

  it('by input text, by id attribute (which wins), by inputContains; else none', () => {
    expect(matchScenario(all, factsOf('fixture-trace-1'))).toMatchObject({ scenario: { id: 'save-trace-to-dataset' }, matchedBy: 'input' });
    // same input, but the root span names another scenario
    expect(matchScenario(all, factsOf('tagged-turn'))).toMatchObject({ scenario: { id: 'dataset-admin' }, matchedBy: 'attribute' });
    expect(matchScenario(all, factsOf('df41e597d0a85e0d7a6ae8ebfaa70aa0'))).toMatchObject({ scenario: { id: 'weather' }, matchedBy: 'input' });
    expect(matchScenario(all, factsOf('00000000000000000000000000000011'))).toBeNull();
    expect(matchScenario(all, factsOf('jejv2PukU7Xq5AJrutaZi7'))).toBeNull();
  });

  it('aligns the Phoenix turn with the example scenario (hand-checked)', () => {
    const r = alignTrajectory(example, observedTrajectory(ws.getSpans('fixture-trace-1')));
    // 9 LLM turns, 8 tool spans, 35 s; ideal 4 steps, 3 calls, 14 s
    expect(r.metrics).toMatchObject({ observedSteps: 9, idealSteps: 4, observedToolCalls: 8, idealToolCalls: 3, observedSeconds: 35 });
    expect(r.metrics.stepRatio).toBe(2.25);
    expect(r.metrics.toolCallRatio).toBeCloseTo(8 / 3, 10);
    expect(r.metrics.latencyRatio).toBe(2.5);
    expect(r.metrics.solveRate).toBeCloseTo(4 / 35, 10);
    // superset: every ideal call is there (extras allowed)
    expect(r.metrics.correct).toBe(true);
    // s11 (failed add_spans_to_dataset) used span id fx-otel-span-1, not the ideal fixture-node-1
    expect(r.rows.map((x) => `${x.status}:${x.observed?.spanId ?? '-'}`)).toEqual([
      'matched:s03',
      'extra:s05',
      'extra:s07',
      'matched:s09',
      'extra:s11',
      'extra:s13',
      'matched:s15',
      'extra:s17',
    ]);
    const strict = alignTrajectory({ ...example, ideal: { ...example.ideal, trajectoryMatch: 'strict' } }, observedTrajectory(ws.getSpans('fixture-trace-1')));
    expect(strict.metrics.correct).toBe(false);
  });
});
