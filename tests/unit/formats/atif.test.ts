import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// The example trajectory of the ATIF specification (Harbor RFC 0001, §IV). Expectations read off
// the file: 3 steps (user, agent with 2 financial_search calls, agent answer); metrics 520/80
// (200 cached, $0.00045) and 600/44 ($0.00033, 12 reasoning tokens).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));
const FILE = 'atif/harbor-rfc-0001-example-financial-search.trajectory.json';
const SESSION = '025B810F-B3A2-4C67-93C0-FE7A142A947A';

describe('ATIF trajectory (Harbor / Terminal-Bench)', async () => {
  const { ws, result, cleanup } = await importFixture(FILE);
  cleanups.push(cleanup);
  const spans = ws.getSpans(SESSION);
  const llm = spans.filter((s) => s.kind === 'llm');
  const tools = spans.filter((s) => s.kind === 'tool');

  it('is detected and makes one trace for the session under an agent span', () => {
    expect(result.format).toBe('atif');
    expect(result.traceIds).toEqual([SESSION]);
    const t = ws.getTrace(SESSION)!;
    expect(t).toMatchObject({ name: 'What is the current trading price of Alphabet (GOOGL)?', service: 'harbor-agent', version: '1.0.0', status: 'ok' });
    expect(t).toMatchObject({ llmCalls: 2, toolCalls: 2, toolErrors: 0, inputTokens: 520 + 600, outputTokens: 80 + 44 });
    expect(t.startMs).toBe(Date.parse('2025-10-11T10:30:00Z'));
    expect(t.endMs).toBe(Date.parse('2025-10-11T10:30:05Z'));
    expect(spans.find((s) => s.parentId === null)).toMatchObject({ spanId: `atif-${SESSION}`, kind: 'agent', name: 'harbor-agent' });
  });

  it('makes each agent step a model call with its metrics, reasoning and the prompt it answered', () => {
    expect(llm.map((s) => [s.spanId, s.model, s.startMs, s.endMs])).toEqual([
      ['step-2', 'gemini-2.5-flash', Date.parse('2025-10-11T10:30:00Z'), Date.parse('2025-10-11T10:30:02Z')],
      ['step-3', 'gemini-2.5-flash', Date.parse('2025-10-11T10:30:02Z'), Date.parse('2025-10-11T10:30:05Z')],
    ]);
    expect(llm[0]!.usage).toEqual({ inputTokens: 520, outputTokens: 80, cacheReadTokens: 200, costUsd: 0.00045 });
    expect(llm[1]!.usage).toEqual({ inputTokens: 600, outputTokens: 44, costUsd: 0.00033, reasoningTokens: 12 });
    expect(llm[0]!.inputMessages).toEqual([{ role: 'user', content: 'What is the current trading price of Alphabet (GOOGL)?' }]);
    expect(llm[0]!.outputMessages![0]!.reasoning).toMatch(/^The request requires two data points/);
    expect(llm[0]!.outputMessages![0]!.toolCalls!.map((c) => c.arguments)).toEqual([
      { ticker: 'GOOGL', metric: 'price' },
      { ticker: 'GOOGL', metric: 'volume' },
    ]);
    // the second call was sent both tool results
    expect(llm[1]!.inputMessages!.map((m) => [m.role, m.toolCallId])).toEqual([
      ['tool', 'call_price_1'],
      ['tool', 'call_volume_2'],
    ]);
    expect(llm[1]!.attributes.metrics).not.toHaveProperty('logprobs');
  });

  it('makes each tool call a tool span with the observation that names it as result', () => {
    expect(tools.map((t) => [t.name, t.toolCall!.id, t.toolCall!.result])).toEqual([
      ['financial_search', 'call_price_1', 'GOOGL is currently trading at $185.35 (Close: 10/11/2025)'],
      ['financial_search', 'call_volume_2', 'GOOGL volume: 1.5M shares traded.'],
    ]);
    expect(tools.every((t) => t.startMs === Date.parse('2025-10-11T10:30:02Z') && t.endMs === Date.parse('2025-10-11T10:30:05Z'))).toBe(true);
    expect(ws.getTrace(SESSION)!.meta.metadata).toMatchObject({ schemaVersion: 'ATIF-v1.4', finalMetrics: { total_steps: 3, total_cost_usd: 0.00078 } });
  });

  it('records a reward stored with the trajectory as a recorded evaluation, and flags errored results', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const doc = {
      schema_version: 'ATIF-v1.6',
      session_id: 's-reward',
      agent: { name: 'terminus-2', version: '2.0.0' },
      steps: [
        { step_id: 1, source: 'user', message: 'Fix the port.' },
        {
          step_id: 2,
          source: 'agent',
          message: '',
          tool_calls: [{ tool_call_id: 'call_0_1', function_name: 'bash_command', arguments: { keystrokes: 'false\n' } }],
          observation: { results: [{ source_call_id: 'call_0_1', content: 'exit 1', extra: { is_error: true } }] },
        },
      ],
      extra: { reward: 0 },
    };
    const r = await importBuffer(t.ws, 'trajectory.json', Buffer.from(JSON.stringify(doc)));
    expect(r.format).toBe('atif');
    expect(t.ws.getRecordedEvaluations('s-reward')).toMatchObject([{ name: 'reward', source: 'atif', value: 0, pass: false }]);
    expect(t.ws.getTrace('s-reward')).toMatchObject({ toolErrors: 1, status: 'ok' });
  });

  it('refuses a file without steps, naming it', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const err = await importBuffer(t.ws, 'bad.json', Buffer.from('{"schema_version": "ATIF-v1.4", "session_id": "x"}')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/bad\.json.*no `steps` array/);
  });
});
