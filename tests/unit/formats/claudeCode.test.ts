import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer, importFile } from '../../../src/core/import/importFile';
import type { Span } from '../../../src/core/model/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values were read from the JSONL files with python3: lines per message.id, usage per
// id (field-wise max over its lines), tool_use blocks and their tool_result lines, timestamps.

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`claude-code/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('claude-code');
  expect(result.traceIds).toHaveLength(1);
  return view(ws, result.traceIds[0]!);
}

function view(ws: Workspace, traceId: string) {
  const spans = ws.getSpans(traceId);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  const under = (id: string): Span[] => {
    // every span below id (iterative)
    const out: Span[] = [];
    const stack = [id];
    while (stack.length) {
      const p = stack.pop()!;
      for (const s of spans) if (s.parentId === p) (out.push(s), stack.push(s.spanId));
    }
    return out;
  };
  return { ws, traceId, spans, span: (id: string) => byId.get(id)!, under, summary: ws.getTrace(traceId)! };
}

const ofKind = (spans: Span[], kind: Span['kind']) => spans.filter((s) => s.kind === kind);
const sum = (spans: Span[], k: 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens') =>
  spans.reduce((n, s) => n + (s.usage?.[k] ?? 0), 0);

describe('Claude Code session: short transcript with rejected tool calls', () => {
  const file = 'cc-spotter-short-tool-errors.jsonl';
  const session = '55604662-cf2a-4331-851a-ec234028f8ca';

  it('merges the 5 lines of one API message into one llm span with usage counted once', async () => {
    const { traceId, spans, summary } = await load(file);
    expect(traceId).toBe(session);
    expect(summary.llmCalls).toBe(1);
    const [llm] = ofKind(spans, 'llm');
    expect(llm!.spanId).toBe('msg_01MKH1ccEGrZGNPvu8pYiiQa');
    expect(llm!.attributes.lines).toEqual([5, 6, 7, 8, 10]);
    expect(llm!.usage).toEqual({ inputTokens: 3, outputTokens: 13, cacheReadTokens: 11515, cacheWriteTokens: 13835 });
    expect(summary.inputTokens).toBe(3);
    expect(summary.outputTokens).toBe(13);
    const out = llm!.outputMessages![0]!;
    expect(out.reasoning).toMatch(/^The user is having trouble starting their Phoenix server/);
    expect(out.content).toContain('Let me check the project structure and try running the server to see the error.');
    expect(out.toolCalls!.map((t) => t.name)).toEqual(['Bash', 'Glob']);
    expect(llm!.model).toBe('claude-opus-4-6');
    // from the prompt line (21:11:56.846) to the message's last line (21:12:01.669)
    expect(llm!.startMs).toBe(Date.parse('2026-02-10T21:11:56.846Z'));
    expect(llm!.endMs).toBe(Date.parse('2026-02-10T21:12:01.669Z'));
    expect(llm!.inputMessages).toEqual([{ role: 'user', content: 'mix phx.server doesnt seem to start' }]);
  });

  it('has the two rejected tool calls as error spans with the result text', async () => {
    const { spans, summary } = await load(file);
    expect(summary.toolCalls).toBe(2);
    expect(summary.toolErrors).toBe(2);
    // Two rejected tool calls, then the user ran /model: the session did not fail (no API error).
    expect(summary.errorCount).toBe(2);
    expect(summary.status).toBe('ok');
    const [bash, glob] = ofKind(spans, 'tool');
    expect(bash!.toolCall).toMatchObject({
      id: 'toolu_0116Hyi5v8ut7Ffb7d8qV1Sc',
      name: 'Bash',
      arguments: { command: 'mix phx.server 2>&1 | head -80', timeout: 30000 },
      isError: true,
    });
    expect(glob!.toolCall).toMatchObject({ name: 'Glob', arguments: { pattern: 'mix.exs', path: '/home/marco/projects/spotter' } });
    for (const t of [bash!, glob!]) {
      expect(t.status).toBe('error');
      expect(t.statusMessage).toMatch(/^The user doesn't want to proceed with this tool use\./);
      expect(t.output).toBe('User rejected tool use'); // toolUseResult is a plain string here
    }
    // tool_use line → tool_result line
    expect(bash!.endMs! - bash!.startMs).toBe(1363);
    expect(glob!.endMs! - glob!.startMs).toBe(811);
    expect(bash!.events.map((e) => e.name)).toEqual(['hook PreToolUse:Bash']);
  });

  it('groups the prompt into a turn and keeps hooks and system lines as events, not spans', async () => {
    const { spans, span } = await load(file);
    expect(spans).toHaveLength(5); // root, turn, llm, 2 tools
    const root = span(`session-${session}`);
    expect(root).toMatchObject({ kind: 'agent', parentId: null, input: 'mix phx.server doesnt seem to start' });
    expect(root.events.map((e) => e.name)).toEqual(['hook SessionStart:startup', 'hook SessionStart:startup']);
    const turn = spans.find((s) => s.sourceKind === 'turn')!;
    expect(turn.name).toBe('mix phx.server doesnt seem to start');
    // Lines 14-15: the local /model command and what it printed (colour codes dropped).
    expect(turn.events.map((e) => e.name)).toEqual(['interrupted', 'command /model', 'command output']);
    expect(turn.events[2]!.attributes).toEqual({ text: 'Kept model as Default (recommended)' });
    expect(ofKind(spans, 'tool').every((t) => t.parentId === turn.spanId)).toBe(true);
  });
});

describe('Claude Code session with a Task sub-agent', () => {
  const file = 'cc-spotter-session-with-task-subagent.jsonl';
  const session = '491e126e-1e71-469c-ade2-fcc8af567c74';

  it('has 12 llm spans for the 28 assistant lines (12 distinct message ids), usage once per id', async () => {
    const { spans, under, span } = await load(file);
    const agent = span('agent-afb92ff');
    const inAgent = new Set(under(agent.spanId).map((s) => s.spanId));
    const main = spans.filter((s) => !inAgent.has(s.spanId) && s.spanId !== agent.spanId);
    const llm = ofKind(main, 'llm');
    expect(llm).toHaveLength(12);
    expect(llm.reduce((n, s) => n + (s.attributes.lines as number[]).length, 0)).toBe(28);
    expect(span('msg_01LvWnndr3MWQW8w3xEieBJx').attributes.lines).toHaveLength(7);
    expect(sum(llm, 'inputTokens')).toBe(1576);
    expect(sum(llm, 'outputTokens')).toBe(1586);
    expect(sum(llm, 'cacheReadTokens')).toBe(427286);
    expect(sum(llm, 'cacheWriteTokens')).toBe(25842);
    // the last line of msg_0179… carries the final output_tokens (472), earlier ones 8
    expect(span('msg_0179FgGtJzf3MkRAWS4a4tbE').usage!.outputTokens).toBe(472);
  });

  it('has the 16 tool calls of the session, in order, with results', async () => {
    const { spans, span, under } = await load(file);
    const inAgent = new Set(under('agent-afb92ff').map((s) => s.spanId));
    const tools = ofKind(spans, 'tool').filter((s) => !inAgent.has(s.spanId));
    expect(tools.map((t) => t.name)).toEqual([
      'WebFetch', 'WebSearch', 'WebSearch', 'WebSearch', 'Glob', 'WebSearch', 'Read', 'WebSearch',
      'AskUserQuestion', 'Task', 'Write', 'ExitPlanMode', 'Bash', 'Bash', 'Bash', 'Bash',
    ]);
    expect(tools.every((t) => t.status === 'ok')).toBe(true);
    const read = tools.find((t) => t.name === 'Read')!;
    expect(read.toolCall!.arguments).toEqual({ file_path: '/home/marco/projects/spotter/mix.exs' });
    expect(String(read.toolCall!.result)).toMatch(/defmodule Spotter\.MixProject do/);
    const task = span('toolu_01Cz2Pnv7qNcnK1ZiocxWhQX');
    expect(task.toolCall!.arguments).toMatchObject({ subagent_type: 'Plan', model: 'haiku', description: 'Draft beads for linting setup' });
    expect(String(task.toolCall!.result)).toMatch(/^Excellent! Now I have all the information I need/);
    expect(task.output).toMatchObject({ agentId: 'afb92ff', totalToolUseCount: 9, status: 'completed' });
    // tool_use at 21:58:15.450, result at 21:58:54.253 (toolUseResult.totalDurationMs 38799)
    expect(task.endMs! - task.startMs).toBe(38803);
    const write = tools.find((t) => t.name === 'Write')!;
    expect(write.events.map((e) => e.name)).toEqual([
      'hook PreToolUse:Write',
      'hook PostToolUse:Write',
      'hook PostToolUse:Write',
      'hook PostToolUse:Write',
      'hook PostToolUse:Write',
      'hook PostToolUse:Write',
    ]);
  });

  it('rebuilds the sub-agent from its agent_progress lines under the Task span', async () => {
    const { span, under, summary } = await load(file);
    const agent = span('agent-afb92ff');
    expect(agent).toMatchObject({ kind: 'agent', parentId: 'toolu_01Cz2Pnv7qNcnK1ZiocxWhQX', name: 'Plan agent afb92ff' });
    expect(agent.attributes.transcriptSource).toBe('agent_progress lines');
    expect(String(agent.input)).toMatch(/^Draft bead content for setting up Credo, Dialyxir, and mix_audit/);
    const inside = under(agent.spanId);
    const llm = ofKind(inside, 'llm');
    // 9 assistant progress lines, 5 distinct ids, + the final answer, which Claude Code reports
    // only in the Task result (toolUseResult.content, and usage 3 in / 3130 out / 29869 cache
    // read / 892 cache write: 3 + 3130 + 29869 + 892 = 33894 = its totalTokens)
    expect(llm).toHaveLength(6);
    expect(llm.every((s) => s.model === 'claude-haiku-4-5-20251001')).toBe(true);
    expect([sum(llm, 'inputTokens'), sum(llm, 'outputTokens'), sum(llm, 'cacheReadTokens'), sum(llm, 'cacheWriteTokens')]).toEqual([
      24 + 3, 7 + 3130, 95343 + 29869, 14285 + 892,
    ]);
    const final = llm[llm.length - 1]!;
    expect(final).toMatchObject({ spanId: 'agent-afb92ff-final-answer', sourceKind: 'final answer (from the Task result)' });
    expect(final.outputMessages![0]!.content).toMatch(/^Excellent! Now I have all the information I need to draft the bead content/);
    expect(String(agent.output)).toBe(final.outputMessages![0]!.content);
    const tools = ofKind(inside, 'tool');
    expect(tools.map((t) => t.name)).toEqual(['Read', 'Read', 'Bash', 'Bash', 'Bash', 'Read', 'Bash', 'Read', 'Read']);
    expect(tools.filter((t) => t.status === 'error').map((t) => t.statusMessage)).toEqual([
      'EISDIR: illegal operation on a directory, read',
      '<tool_use_error>Sibling tool call errored</tool_use_error>',
      '<tool_use_error>Sibling tool call errored</tool_use_error>',
    ]);
    // session totals: 12 + 6 model calls, 16 + 9 tool calls, 3 tool errors
    expect(summary).toMatchObject({ llmCalls: 18, toolCalls: 25, toolErrors: 3, inputTokens: 1600 + 3, outputTokens: 1593 + 3130 });
  });

  it('splits the session into its two prompts and names the trace after the first one', async () => {
    const { spans, summary, traceId, ws } = await load(file);
    expect(traceId).toBe(session);
    expect(summary.name).toMatch(/^\/handgemacht:create-beads websearch to learn how to fastest setup credo/);
    expect(ws.getTrace(traceId)!.meta.metadata!.slug).toBe('humble-seeking-umbrella');
    expect(summary.version).toBe('2.1.38');
    const turns = spans.filter((s) => s.sourceKind === 'turn');
    expect(turns.map((t) => t.name)).toEqual([
      expect.stringMatching(/^\/handgemacht:create-beads websearch to learn how to fastest setup credo/),
      expect.stringMatching(/^create the beads$/),
    ]);
    expect(turns.every((t) => t.parentId === `session-${session}`)).toBe(true);
    expect(summary.startMs).toBe(Date.parse('2026-02-10T21:54:15.897Z'));
    expect(summary.endMs).toBe(Date.parse('2026-02-10T22:03:51.807Z'));
  });

  it('inlines <sessionId>/subagents/agent-<id>.jsonl when it sits next to the session file', async () => {
    // Layout as Claude Code writes it; the sub-agent file is the real a881341 transcript stored
    // under the name this session's Task result points at (agentId afb92ff).
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const dir = join(t.dir, 'project');
    mkdirSync(join(dir, session, 'subagents'), { recursive: true });
    const main = join(dir, `${session}.jsonl`);
    copyFileSync(fixture(`claude-code/${file}`), main);
    copyFileSync(fixture('claude-code/cc-spotter-subagents-agent-a881341.jsonl'), join(dir, session, 'subagents', 'agent-afb92ff.jsonl'));
    const result = await importFile(t.ws, main);
    const { span, under } = view(t.ws, result.traceIds[0]!);
    const agent = span('agent-afb92ff');
    expect(agent.attributes.transcriptSource).toBe('subagent file');
    expect(agent.parentId).toBe('toolu_01Cz2Pnv7qNcnK1ZiocxWhQX');
    const inside = under(agent.spanId);
    expect(ofKind(inside, 'llm').map((s) => s.spanId)).toEqual([
      'msg_013qape6Zy3q8eZYgN4M39ym',
      'msg_01QkE2ptzZ6JmveaGTood3UR',
      'msg_01NW9B5FcyBXoxmtait2bSWf',
    ]);
    expect(ofKind(inside, 'tool').map((s) => s.toolCall!.arguments)).toEqual([
      expect.objectContaining({ url: 'https://code.claude.com/docs/en/claude_code_docs_map.md' }),
      expect.objectContaining({ url: 'https://code.claude.com/docs/en/hooks.md' }),
    ]);
  });
});

describe('Claude Code sub-agent files imported on their own', () => {
  it('puts agent-a881341 into its session\'s trace, under a placeholder until the session is imported', async () => {
    const { traceId, spans, summary, ws } = await load('cc-spotter-subagents-agent-a881341.jsonl');
    expect(traceId).toBe('258c7280-ae70-4798-800f-63464d01a85d');
    expect(ws.getTrace(traceId)!.meta.metadata).toMatchObject({ partial: 'import the session file to complete this trace' });
    expect(spans.find((s) => s.spanId === 'agent-a881341')).toMatchObject({
      parentId: 'session-258c7280-ae70-4798-800f-63464d01a85d',
      kind: 'agent',
      attributes: expect.objectContaining({ transcriptSource: 'subagent file', agentId: 'a881341' }),
    });
    const llm = ofKind(spans, 'llm');
    expect(llm.map((s) => s.spanId)).toEqual(['msg_013qape6Zy3q8eZYgN4M39ym', 'msg_01QkE2ptzZ6JmveaGTood3UR', 'msg_01NW9B5FcyBXoxmtait2bSWf']);
    expect([sum(llm, 'inputTokens'), sum(llm, 'outputTokens'), sum(llm, 'cacheReadTokens'), sum(llm, 'cacheWriteTokens')]).toEqual([
      15, 3, 34159, 42176,
    ]);
    const tools = ofKind(spans, 'tool');
    expect(tools.map((t) => [t.name, (t.toolCall!.arguments as { url: string }).url])).toEqual([
      ['WebFetch', 'https://code.claude.com/docs/en/claude_code_docs_map.md'],
      ['WebFetch', 'https://code.claude.com/docs/en/hooks.md'],
    ]);
    expect(String(tools[0]!.toolCall!.result)).toMatch(/^> ## Documentation Index/);
    expect(summary.toolErrors).toBe(0);
    expect(spans.find((s) => s.parentId === null)!.spanId).toBe('session-258c7280-ae70-4798-800f-63464d01a85d');
  });

  it('imports the compaction agent (isMeta lines become model input, not turns)', async () => {
    const { spans, traceId } = await load('cc-spotter-subagents-agent-acompact-fffbd0.jsonl');
    expect(traceId).toBe('258c7280-ae70-4798-800f-63464d01a85d');
    const [llm] = ofKind(spans, 'llm');
    expect(llm!.usage).toEqual({ inputTokens: 3, outputTokens: 6, cacheReadTokens: 166758, cacheWriteTokens: 2487 });
    expect(llm!.inputMessages!.map((m) => m.content.slice(0, 30))).toEqual([
      expect.stringMatching(/^<system-reminder>/),
      expect.stringMatching(/^<system-reminder>/),
      'Your task is to create a detai',
    ]);
    expect(spans.filter((s) => s.sourceKind === 'turn')).toHaveLength(0);
  });
});

describe('Claude Code: bad lines', () => {
  const short = readFileSync(fixture('claude-code/cc-spotter-short-tool-errors.jsonl'), 'utf8').split('\n');

  async function importText(name: string, text: string) {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    return { ws: t.ws, run: importBuffer(t.ws, name, Buffer.from(text), { format: 'claude-code' }) };
  }

  it('names the file and line of a line that is not JSON', async () => {
    const lines = [...short];
    lines[6] = 'this is not json';
    const { ws, run } = await importText('session.jsonl', lines.join('\n'));
    const err = await run.catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    // V8 reads 't' as the start of 'true' and stops at the 'h'
    expect(err.message).toMatch(/^session\.jsonl \(line 7:2\): invalid JSON: Unexpected token 'h'/);
    expect(ws.traceIds()).toEqual([]);
  });

  it('skips a cut-off last line with a warning (session still being written)', async () => {
    const lines = short.filter((l) => l.trim());
    const last = lines.pop()!;
    const { run } = await importText('live.jsonl', [...lines, last.slice(0, 120)].join('\n'));
    const result = await run;
    expect(result.traceIds).toEqual(['55604662-cf2a-4331-851a-ec234028f8ca']);
    expect(result.warnings.join('\n')).toMatch(/line 15 is cut off/);
  });

  it('refuses JSONL without any user or assistant line', async () => {
    const { run } = await importText('snap.jsonl', `${short[0]}\n`);
    await expect(run).rejects.toThrow(/no user or assistant lines/);
  });
});

describe('Claude Code session opened by a bare slash command (/mcp), then the real prompt', () => {
  const file = 'handmade-cc-bare-slash-command-then-prompt.jsonl';

  it('names the turn and the trace after the prompt and keeps the command output as an event', async () => {
    const { spans, summary } = await load(file);
    const turns = spans.filter((s) => s.sourceKind === 'turn');
    expect(turns).toHaveLength(1); // /mcp, its output and the prompt come before any model reply
    expect(turns[0]!.name).toBe('mix phx.server doesnt seem to start');
    expect(turns[0]!.attributes.command).toBe('/mcp');
    expect(turns[0]!.events.map((e) => e.name)).toEqual(['command output', 'interrupted', 'command /model', 'command output']);
    expect(turns[0]!.events[0]!.attributes).toEqual({ text: 'Reconnected to tidewave.' });
    expect(summary.name).toBe('mix phx.server doesnt seem to start');
  });
});

describe('Claude Code session 4d5611e5 with its real sub-agent files (marot/spotter), in any order', () => {
  // Worked out with python3 from the three files (usage per message.id, field-wise max):
  //  - session: 1512 lines, 139 model calls (177 in / 28755 out), 150 tool calls, one Task
  //    (toolu_017pLRuPHYTX5t99EnLyV53m) whose result names agent a2898e3 and reports the final
  //    message's usage (0 in / 5108 out / 70782 cache read / 475 cache write); 67 agent_progress
  //    lines carry 11 of the agent's messages;
  //  - subagents/agent-a2898e3.jsonl: 12 model calls (53 in / 136 out), 33 tool calls; its last
  //    message (msg_019oZyzpKzxrUVHy3CXqkJyN) was written with 1 output token, so with the Task
  //    result's 5108 the agent's output is 136 - 1 + 5108 = 5243;
  //  - subagents/agent-acompact-e1f845.jsonl (compaction, no Task): 1 model call (3 in / 8 out).
  const DIR = 'claude-code/spotter-4d5611e5';
  const session = '4d5611e5-241a-462a-8d15-5122611a9569';
  const sessionPath = fixture(`${DIR}/${session}.jsonl`);
  const agentPath = fixture(`${DIR}/${session}/subagents/agent-a2898e3.jsonl`);
  const compactPath = fixture(`${DIR}/${session}/subagents/agent-acompact-e1f845.jsonl`);
  const TASK = 'toolu_017pLRuPHYTX5t99EnLyV53m';

  function expectMerged(ws: Workspace, warnings: string[], withCompaction: boolean) {
    expect(ws.listTraces({}).total).toBe(1);
    const v = view(ws, session);
    const agent = v.span('agent-a2898e3');
    expect(agent).toMatchObject({ parentId: TASK, kind: 'agent' });
    expect(agent.attributes.transcriptSource).toBe('subagent file');
    const llm = ofKind(v.under('agent-a2898e3'), 'llm');
    expect(llm).toHaveLength(12);
    expect(llm[11]!.usage).toEqual({ inputTokens: 0, outputTokens: 5108, cacheReadTokens: 70782, cacheWriteTokens: 475 });
    expect(ofKind(v.under('agent-a2898e3'), 'tool')).toHaveLength(33);
    expect(v.spans.some((s) => s.spanId === 'agent-a2898e3-final-answer')).toBe(false);
    const c = withCompaction ? 1 : 0;
    expect(v.summary).toMatchObject({
      llmCalls: 139 + 12 + c,
      toolCalls: 150 + 33,
      inputTokens: 177 + 53 + 3 * c,
      outputTokens: 28755 + 5243 + 8 * c,
    });
    expect(v.spans.some((s) => s.spanId === 'agent-acompact-e1f845')).toBe(withCompaction);
    expect(warnings.filter((w) => /is replaced by this file|already stored/.test(w))).toEqual([]);
  }

  it('the session file from its folder reads both sub-agent files beside it', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const r = await importFile(t.ws, sessionPath);
    expectMerged(t.ws, r.warnings, true);
    expect(view(t.ws, session).span('agent-acompact-e1f845')).toMatchObject({ parentId: `session-${session}`, name: 'compaction agent acompact-e1f845' });
  });

  it('the session alone (upload): the sub-agent from progress lines, with its final answer from the Task result', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    await importBuffer(t.ws, `${session}.jsonl`, readFileSync(sessionPath));
    const v = view(t.ws, session);
    const llm = ofKind(v.under('agent-a2898e3'), 'llm');
    expect(llm).toHaveLength(11 + 1);
    expect(llm[11]).toMatchObject({ spanId: 'agent-a2898e3-final-answer', usage: { inputTokens: 0, outputTokens: 5108, cacheReadTokens: 70782, cacheWriteTokens: 475 } });
    expect(llm[11]!.outputMessages![0]!.content).toMatch(/^Perfect! Now I have all the information needed/);
  });

  it('session upload first, then the sub-agent file upload: one trace, the file replaces the progress copy', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const a = await importBuffer(t.ws, `${session}.jsonl`, readFileSync(sessionPath));
    const b = await importBuffer(t.ws, 'agent-a2898e3.jsonl', readFileSync(agentPath));
    expect(b.traceIds).toEqual([session]);
    expectMerged(t.ws, [...a.warnings, ...b.warnings], false);
  });

  it('sub-agent file uploads first (compaction one too), then the session upload: one trace', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const a = await importBuffer(t.ws, 'agent-a2898e3.jsonl', readFileSync(agentPath));
    expect(a.traceIds).toEqual([session]);
    expect(t.ws.getTrace(session)!.name).toBe(`session ${session} (only sub-agent files imported)`);
    const b = await importBuffer(t.ws, 'agent-acompact-e1f845.jsonl', readFileSync(compactPath));
    const c = await importBuffer(t.ws, `${session}.jsonl`, readFileSync(sessionPath));
    expectMerged(t.ws, [...a.warnings, ...b.warnings, ...c.warnings], true);
    expect(t.ws.getTrace(session)!.name).toMatch(/^(?!session )/);
  });

  it('a sub-agent file imported from its folder imports the session beside it: same trace as the session', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const a = await importFile(t.ws, agentPath);
    const b = await importFile(t.ws, sessionPath);
    expectMerged(t.ws, [...a.warnings, ...b.warnings], true);
    expect(t.ws.getTrace(session)!.sourceFile).toBe(sessionPath);
  });
});
