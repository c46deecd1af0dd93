import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupByVersion, traceKeys, type VersionGroupBy } from '../../../src/core/compare/versionGrouping';
import { importFile } from '../../../src/core/import/importFile';
import type { Workspace } from '../../../src/core/store/workspace';
import { inputHash, readScenarioFile, readTraceFacts } from '../../../src/core/store/scenarios';
import { writePhoenixVariant } from '../../helpers/phoenixVariants';
import { importFixtures, tempWorkspace } from '../../helpers/workspace';

const EXAMPLE = resolve(__dirname, '../../../scenarios/phoenix-save-trace-to-dataset.scenario.json');
const CC = [
  'claude-code/cc-spotter-session-with-task-subagent.jsonl',
  'claude-code/cc-spotter-short-tool-errors.jsonl',
  'claude-code/cc-spotter-subagents-agent-a881341.jsonl',
  'claude-code/cc-spotter-subagents-agent-acompact-fffbd0.jsonl',
];
const VERCEL = 'vercel-ai-sdk/vercel-ai-sdk-v6-otel-js-readablespans-all.json';

let t: ReturnType<typeof tempWorkspace>;
let ws: Workspace;
let dir: string;

beforeAll(async () => {
  t = tempWorkspace();
  ws = t.ws;
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-versions-'));
  await importFixtures(ws, [...CC, VERCEL]);
  await importFile(ws, writePhoenixVariant(dir, 'v1.json', { traceId: 'turn-v1', rootAttributes: { 'gen_ai.agent.version': '1.0', 'tag.tags': ['team:data', 'release:r1'] } }));
  await importFile(ws, writePhoenixVariant(dir, 'v2.json', { traceId: 'turn-v2', rootAttributes: { 'gen_ai.agent.version': '2.0', 'tag.tags': ['release:r2'] }, drop: ['s10', 's11', 's12', 's13'] }));
});
afterAll(() => {
  t.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function groups(g: VersionGroupBy, withScenario = false) {
  const keys = traceKeys(readTraceFacts(ws), g, withScenario ? [readScenarioFile(EXAMPLE)] : []);
  const { groups: m, ungrouped } = groupByVersion(keys);
  return {
    keys: new Map(keys.map((k) => [k.traceId, k])),
    versions: Object.fromEntries([...m].map(([v, ks]) => [v, ks.map((k) => k.traceId).sort()])),
    ungrouped: ungrouped.length,
  };
}

describe('version grouping on real fixtures', () => {
  it('by the version column: Claude Code 2.1.38 sessions vs 2.1.39 sub-agents', () => {
    const g = groups({ by: 'version' });
    // the `version` field of every line: 2.1.38 in the two session files, 2.1.39 in the sub-agent
    // files — which are one trace, their session's (issue 16: sub-agents join their session's trace)
    expect(g.versions).toEqual({
      '2.1.38': ['491e126e-1e71-469c-ade2-fcc8af567c74', '55604662-cf2a-4331-851a-ec234028f8ca'],
      '2.1.39': ['258c7280-ae70-4798-800f-63464d01a85d'],
    });
    // 10 Vercel spans (each its own trace) and the 2 Phoenix turns have no version column
    expect(g.ungrouped).toBe(12);
  });

  it('by a root-span attribute: gen_ai.agent.version, or any key (Vercel telemetry metadata)', () => {
    expect(groups({ by: 'attribute', key: 'gen_ai.agent.version' }).versions).toEqual({ '1.0': ['turn-v1'], '2.0': ['turn-v2'] });
    const v = groups({ by: 'attribute', key: 'ai.telemetry.metadata.testCategory' });
    // five categories, each on a generate call and its provider call
    expect(Object.keys(v.versions).sort()).toEqual(['embeddings', 'multi-turn-conversation', 'streaming', 'structured-output', 'text-generation']);
    for (const ids of Object.values(v.versions)) expect(ids).toHaveLength(2);
    // the other traces: 2 Claude Code sessions, the sub-agents' session trace, 2 Phoenix turns
    expect(v.ungrouped).toBe(5);
  });

  it('by tag prefix and by import batch', () => {
    expect(groups({ by: 'tag', key: 'release:' }).versions).toEqual({ r1: ['turn-v1'], r2: ['turn-v2'] });
    const byImport = groups({ by: 'import' });
    // one batch per imported file that still holds a trace: the 2 Claude Code sessions, the
    // sub-agents' session trace (last written by the second sub-agent file), the Vercel capture,
    // two Phoenix runs
    expect(Object.keys(byImport.versions)).toHaveLength(6);
    expect(byImport.versions['#5 vercel-ai-sdk-v6-otel-js-readablespans-all.json']).toHaveLength(10);
    expect(byImport.versions['#6 v1.json']).toEqual(['turn-v1']);
    expect(byImport.ungrouped).toBe(0);
  });
});

describe('pair keys', () => {
  it('pairs the two versions of the Phoenix turn by scenario, else by input hash', () => {
    const withScenario = groups({ by: 'attribute', key: 'gen_ai.agent.version' }, true).keys;
    expect(withScenario.get('turn-v1')).toMatchObject({ scenarioId: 'save-trace-to-dataset', pairKey: 'scenario:save-trace-to-dataset', matchedBy: 'input' });
    expect(withScenario.get('turn-v2')!.pairKey).toBe('scenario:save-trace-to-dataset');

    const noScenario = groups({ by: 'attribute', key: 'gen_ai.agent.version' }).keys;
    const h = inputHash('can you save this trace to a dataset?');
    expect(noScenario.get('turn-v1')!.pairKey).toBe(`input:${h}`);
    expect(noScenario.get('turn-v2')!.pairKey).toBe(`input:${h}`);
  });

  it('a generate call and its provider call share the prompt, so their input hash', () => {
    const k = groups({ by: 'version' }).keys;
    // ai.generateText input {prompt: 'Write a haiku about programming.'}; doGenerate sends it as the user message
    expect(k.get('700d5f98fe2420adcf6ab0822f7a323c')!.pairKey).toBe(`input:${inputHash('Write a haiku about programming.')}`);
    expect(k.get('b3e700af9eab81e19f72f964d62a35af')!.pairKey).toBe(k.get('700d5f98fe2420adcf6ab0822f7a323c')!.pairKey);
    // every trace here has an input (Claude Code prompts, Vercel prompts/values, the Phoenix turn)
    // except the session trace holding only sub-agent files: its placeholder root has no prompt
    expect([...k.values()].filter((x) => x.pairKey === null).map((x) => x.traceId)).toEqual(['258c7280-ae70-4798-800f-63464d01a85d']);
  });
});
