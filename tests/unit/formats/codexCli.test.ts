import { afterAll, describe, expect, it } from 'vitest';
import { codexCliImporter } from '../../../src/core/formats/codexCli/codexCli';
import { importFixture } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md and HANDMADE.md: codex-cli/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`codex-cli/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('codex-cli'); // detected
  return { ws, result };
}

const CURRENT = 'rollout-2026-05-11T11-26-55-019e1625-789d-76c0-80ab-3724b5ddb799.jsonl';
const LEGACY = 'handmade-codex-legacy-rollout-2025-08-20.jsonl';

describe('Codex CLI rollouts, current layout {timestamp, type, payload}', () => {
  it('a real 2-prompt session: turns, 105 tool calls (8 with a non-zero exit), usage = the last total_token_usage', async () => {
    const { ws, result } = await load(CURRENT);
    const id = 'codex-019e1625-789d-76c0-80ab-3724b5ddb799';
    expect(result.traceIds).toEqual([id]);
    expect(result.warnings).toEqual([]);
    const t = ws.getTrace(id)!;
    expect([t.name, t.service, t.version, t.toolCalls, t.toolErrors]).toEqual(['show tools', 'codex-cli', '0.125.0', 105, 8]);
    expect([t.inputTokens, t.outputTokens]).toEqual([6055836, 9118]);
    expect(t.startMs).toBe(Date.parse('2026-05-11T08:27:17.490Z'));
    expect(t.endMs).toBe(Date.parse('2026-05-11T08:44:58.544Z'));
    const spans = ws.getSpans(id);
    expect(spans.filter((s) => s.sourceKind === 'turn').map((s) => s.name)).toEqual([
      'turn 1: show tools',
      "turn 2: let's update the defailt context compart to 90 in env var",
    ]);
    const byTool = new Map<string, number>();
    for (const s of spans) if (s.kind === 'tool') byTool.set(s.toolCall!.name, (byTool.get(s.toolCall!.name) ?? 0) + 1);
    expect(Object.fromEntries(byTool)).toEqual({ exec_command: 43, write_stdin: 54, apply_patch: 3, update_plan: 2, web_search: 3 });
    const first = ws.getSpan(id, 'tool-call_Y2p6KmqwoTtpi6atpDPuxC5M')!;
    expect(first.toolCall!.arguments).toMatchObject({ cmd: "sed -n '1,180p' /Users/Sample_User/.codex/plugins/cache/openai-curated/superpowers/63976030/skills/using-superpowers/SKILL.md" });
    expect(String(first.toolCall!.result)).toMatch(/^Chunk ID: a21e41\nWall time: 1.0037 seconds\nProcess running with session ID 48230/);
    expect(first.endMs! - first.startMs).toBe(Date.parse('2026-05-11T08:27:23.709Z') - Date.parse('2026-05-11T08:27:22.479Z'));
    expect(first.parentId).toBe('turn-1');
    // the first model call: the prompt in, the tool call out, the first token_count as usage, gpt-5.5 from turn_context
    const call1 = ws.getSpan(id, 'call-1')!;
    expect(call1.model).toBe('gpt-5.5');
    expect(call1.inputMessages).toEqual([{ role: 'user', content: 'show tools' }]);
    expect(call1.outputMessages![0]!.toolCalls![0]!.id).toBe('call_Y2p6KmqwoTtpi6atpDPuxC5M');
    expect(call1.usage).toEqual({ inputTokens: 18703, outputTokens: 167, reasoningTokens: 62, totalTokens: 18870 });
    expect(t.meta.output).toMatch(/^Implemented the default context compaction setting as `threshold: 0.9`/);
    // the session itself ended normally: failed commands are tool errors, not a failed run
    expect(ws.getSpan(id, 'session')!.status).toBe('ok');
  });
});

describe('Codex CLI rollouts, legacy layout ({id, timestamp, instructions} then bare items)', () => {
  it('reads the items between record_type:state markers; the exit code in the output metadata fails the tool call', async () => {
    const { ws, result } = await load(LEGACY);
    const id = 'codex-5a0c1e5e-7f3b-4c2a-9d7e-2f1b8c9d0e11';
    expect(result.warnings).toEqual([`${result.source}: this Codex rollout (legacy layout) has no per-line times: every span sits at the session start`]);
    expect(result.spanCount).toBe(5); // session, turn, 2 model calls, 1 tool call
    const tool = ws.getSpan(id, 'tool-call_Xq1')!;
    expect(tool.toolCall).toEqual({
      id: 'call_Xq1',
      name: 'shell',
      arguments: { command: ['bash', '-lc', 'npm test'], workdir: '/home/dev/demo', timeout_ms: 120000 },
      result: 'FAIL test/math.test.js\n  ✕ adds (3 ms)\nTests: 1 failed, 4 passed\n',
      isError: true,
    });
    expect([tool.status, tool.statusMessage]).toEqual(['error', 'exit code 1']);
    expect(ws.getSpan(id, 'call-1')!.outputMessages![0]!.reasoning).toBe('**Running the test suite**');
    expect(ws.getSpan(id, 'call-2')!.outputMessages![0]!.content).toBe('One test fails: `adds` in test/math.test.js.');
    const t = ws.getTrace(id)!;
    expect([t.name, t.llmCalls, t.toolCalls, t.toolErrors]).toEqual(['Run the tests and tell me what fails', 2, 1, 1]);
    expect(t.startMs).toBe(Date.parse('2025-08-20T09:15:02.417Z'));
  });

  it('sniff: both layouts, not a Claude Code transcript', () => {
    expect(codexCliImporter.sniff('x.jsonl', Buffer.from('{"id":"a","timestamp":"2025-08-20T09:15:02.417Z","instructions":null}\n{"record_type":"state"}\n'))).toBeGreaterThanOrEqual(0.9);
    expect(codexCliImporter.sniff('x.jsonl', Buffer.from('{"timestamp":"2025-10-29T00:59:38.317Z","type":"session_meta","payload":{"id":"a"}}\n'))).toBeGreaterThanOrEqual(0.9);
    expect(codexCliImporter.sniff('x.jsonl', Buffer.from('{"type":"user","sessionId":"s","parentUuid":null,"message":{}}\n'))).toBe(0);
  });
});
