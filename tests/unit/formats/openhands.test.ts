import { afterAll, describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md: openhands/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`openhands/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('openhands'); // detected
  expect(result.warnings).toEqual([]);
  return { ws, result };
}

describe('OpenHands event streams', () => {
  it('GUI-mode replay: 4 model responses with usage, 4 tool calls closed by their observations, the final agent message', async () => {
    const { ws, result } = await load('openhands-replay-basic_gui_mode.json');
    const id = 'openhands-openhands-replay-basic_gui_mode';
    expect(result.traceIds).toEqual([id]);
    const t = ws.getTrace(id)!;
    expect([t.llmCalls, t.toolCalls, t.toolErrors, t.inputTokens, t.outputTokens]).toEqual([5, 4, 1, 3439 + 3601 + 4769 + 5488, 104 + 1142 + 693 + 85]);
    expect(t.name).toBe('I want to create a VueJS app that allows me to:');
    const spans = ws.getSpans(id);
    expect(spans.filter((s) => s.kind === 'tool').map((s) => s.toolCall!.name)).toEqual(['execute_bash', 'str_replace_editor', 'str_replace_editor', 'execute_bash']);
    const mkdir = ws.getSpan(id, 'tool-7')!;
    expect(mkdir.toolCall).toMatchObject({ id: 'toolu_01W9Z8jBctr8X2frZV9p1RYs', arguments: { command: 'mkdir -p /workspace/todo-app' } });
    expect(mkdir.endMs! - mkdir.startMs).toBeCloseTo(Date.parse('2025-01-20T20:29:35.699Z') + 0.033 - (Date.parse('2025-01-20T20:29:35.040Z') + 0.676), 2);
    expect(mkdir.status).toBe('ok');
    // the http.server command ran into the timeout: exit code -1
    const server = ws.getSpan(id, 'tool-13')!;
    expect([server.status, server.statusMessage, server.attributes.exit_code]).toEqual(['error', 'exit code -1', -1]);
    const first = ws.getSpan(id, 'llm-1')!;
    expect([first.model, first.usage?.inputTokens, first.usage?.outputTokens, first.usage?.cacheWriteTokens]).toEqual(['claude-3-5-sonnet-20241022', 3439, 104, 3435]);
    expect(first.inputMessages?.[0]?.content).toMatch(/^I want to create a VueJS app that allows me to:/);
    expect(first.outputMessages?.[0]?.content).toMatch(/^I'll help you create a Vue.js appli/);
    expect(first.outputMessages?.[0]?.toolCalls?.[0]?.name).toBe('execute_bash');
    expect(ws.getSpan(id, 'llm-5')!.outputMessages?.[0]?.content).toMatch(/^I've created a complete Vue.js todo application/);
    // the agent went back to awaiting input: the run itself did not fail
    expect(ws.getSpan(id, 'run')!.status).toBe('ok');
  });

  it('basic replay: an edit then the finish tool', async () => {
    const { ws } = await load('openhands-replay-basic.json');
    const id = 'openhands-openhands-replay-basic';
    const t = ws.getTrace(id)!;
    expect([t.llmCalls, t.toolCalls, t.status]).toEqual([2, 2, 'ok']);
    expect(ws.getSpans(id).filter((s) => s.kind === 'tool').map((s) => s.toolCall!.name)).toEqual(['str_replace_editor', 'finish']);
    expect(t.name).toBe('Please create a simple 2048 game. No need to run it. Please finish the interaction after your finish coding.');
  });
});
