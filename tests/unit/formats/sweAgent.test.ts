import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md: swe-agent/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`swe-agent/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('swe-agent'); // detected
  return { ws, result };
}

describe('SWE-agent trajectories', () => {
  it('test-repo run: 5 steps = 5 LLM + 5 tool spans, tool calls from history, usage and cost from model_stats, submitted = ok', async () => {
    const { ws, result } = await load('6e44b9__sweagenttestrepo-1c2844.traj');
    const id = 'swe-agent-SWE-agent__test-repo-i1'; // replay_config.problem_statement.id
    expect(result.traceIds).toEqual([id]);
    expect(result.spanCount).toBe(11);
    const t = ws.getTrace(id)!;
    expect([t.name, t.status, t.llmCalls, t.toolCalls, t.inputTokens, t.outputTokens]).toEqual(['SWE-agent__test-repo-i1', 'ok', 5, 5, 7141, 243]);
    expect(t.costUsd).toBeCloseTo(0.01952, 6);
    expect(t.durationMs).toBeCloseTo(1633.4884989992133, 3); // Σ execution_time
    const spans = ws.getSpans(id);
    const tools = spans.filter((s) => s.kind === 'tool');
    expect(tools.map((s) => s.toolCall?.name)).toEqual(['find_file', 'open', 'edit', 'bash', 'submit']);
    const find = ws.getSpan(id, 'step-1-action')!;
    expect(find.toolCall).toMatchObject({ id: 'call_fJuazlMUN5fQDQ73G6XSpYpx', arguments: { file_name: 'missing_colon.py' } });
    expect(String(find.toolCall!.result)).toMatch(/^Found 1 matches for "missing_colon.py" in \/SWE-agent__test-repo:/);
    expect(find.endMs! - find.startMs).toBeCloseTo(281.4128329991945, 6);
    // the last step (submit) has no assistant message in history: its action line is the call
    expect(ws.getSpan(id, 'step-5-action')!.toolCall).toMatchObject({ name: 'submit', arguments: { command: 'submit' } });
    const step1 = ws.getSpan(id, 'step-1')!;
    expect(step1.outputMessages?.[0]?.content).toMatch(/^To start addressing this issue, I will first search for the `missing_colon.py` f/);
    expect(step1.inputMessages?.map((m) => m.role)).toEqual(['system', 'user']);
    const step2 = ws.getSpan(id, 'step-2')!;
    expect(step2.inputMessages?.map((m) => [m.role, m.toolCallId])).toEqual([['tool', 'call_fJuazlMUN5fQDQ73G6XSpYpx']]);
    const root = ws.getSpan(id, 'run')!;
    expect([root.kind, root.status, root.attributes.exit_status]).toEqual(['agent', 'ok', 'submitted']);
    expect(String(root.output)).toContain('+def division(a: float, b: float) -> float:');
  });

  it('function-calling demonstration: 11 steps with JSON arguments; zero model_stats mean no usage', async () => {
    const { ws, result } = await load('marshmallow-code__marshmallow-1867.function-calling.traj');
    const id = 'swe-agent-marshmallow-code__marshmallow-1867';
    expect(result.spanCount).toBe(23);
    const t = ws.getTrace(id)!;
    expect([t.llmCalls, t.toolCalls, t.inputTokens, t.outputTokens, t.costUsd, t.status]).toEqual([11, 11, 0, 0, null, 'ok']);
    const tools = ws.getSpans(id).filter((s) => s.kind === 'tool');
    expect(tools.map((s) => s.toolCall?.name)).toEqual(['create', 'edit', 'bash', 'bash', 'find_file', 'open', 'edit', 'edit', 'bash', 'bash', 'submit']);
    expect(ws.getSpan(id, 'step-6-action')!.toolCall!.arguments).toEqual({ path: 'src/marshmallow/fields.py', line_number: 1474 });
  });

  it('an exit status other than submitted fails the run, with the status as its message', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const doc = {
      trajectory: [{ action: 'ls', observation: 'a b', thought: 'look', execution_time: 0.5 }],
      history: [],
      info: { exit_status: 'exit_cost', model_stats: { tokens_sent: 10, tokens_received: 2, instance_cost: 0.1 } },
    };
    const r = await importBuffer(t.ws, 'x__y-1.traj', Buffer.from(JSON.stringify(doc)));
    expect(r.format).toBe('swe-agent');
    const root = t.ws.getSpan('swe-agent-x__y-1', 'run')!;
    expect([root.status, root.statusMessage]).toEqual(['error', 'exit status: exit_cost']);
    expect(t.ws.getTrace('swe-agent-x__y-1')!.status).toBe('error');
  });
});
