import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// Expectations read off the fixtures by hand (tests/fixtures/SOURCES.md: gemini-cli/*).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`gemini-cli/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('gemini-cli'); // detected
  expect(result.warnings).toEqual([]);
  return { ws, result };
}

describe('Gemini CLI sessions', () => {
  it('session 5b959dae: 3 prompts = 3 turns, 11 model calls, 10 tool calls with args and results, tokens summed', async () => {
    const { ws, result } = await load('session-2025-12-01T21-45-5b959dae.json');
    const id = 'gemini-5b959dae-8655-4cd1-b10f-720b8c336ea2';
    expect(result.traceIds).toEqual([id]);
    expect(result.spanCount).toBe(1 + 3 + 11 + 10);
    const t = ws.getTrace(id)!;
    expect([t.name, t.service, t.status, t.llmCalls, t.toolCalls, t.inputTokens, t.outputTokens]).toEqual(['hi', 'gemini-cli', 'ok', 11, 10, 101630, 2734]);
    const spans = ws.getSpans(id);
    expect(spans.filter((s) => s.kind === 'tool').map((s) => s.toolCall!.name)).toEqual([
      'list_directory', 'read_file', 'read_file', 'read_file', 'read_file', 'read_file', 'write_file', 'read_file', 'replace', 'read_file',
    ]);
    const list = spans.find((s) => s.toolCall?.id === 'list_directory-1764625554423-6b5d2c6179cc4')!;
    expect(list.toolCall!.arguments).toEqual({ dir_path: '/Users/Jane_Smith/Documents/projects/epm-cdme/assistants/' });
    expect(String(list.toolCall!.result)).toMatch(/^Directory listing for \/Users\/Jane_Smith\/Documents\/projects\/epm-cdme\/assistants:\n\[DIR\] \.vscode/);
    expect(list.parentId).toBe('turn-2');
    const first = ws.getSpan(id, '7fa73d7e-c906-4ab4-a4c8-b1faf5acccd7')!;
    expect([first.model, first.parentId]).toEqual(['gemini-3-pro-image-preview', 'turn-1']);
    expect(first.usage).toEqual({ inputTokens: 2752, outputTokens: 55, cacheReadTokens: 0, reasoningTokens: 156, totalTokens: 2963 });
    expect(first.inputMessages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(first.outputMessages![0]!.content).toMatch(/^Hello! I see we're all set up with the Gemini CLI/);
    expect(first.outputMessages![0]!.reasoning).toMatch(/^Assessing the Prompt's Intent: /);
    expect(first.endMs! - first.startMs).toBe(Date.parse('2025-12-01T21:45:40.110Z') - Date.parse('2025-12-01T21:45:34.362Z'));
    // the call after a tool call is sent its result
    const second = ws.getSpan(id, '15a2a6c3-8cfb-420e-8c06-7e5492196aac')!;
    expect(second.inputMessages!.map((m) => [m.role, m.toolCallId])).toEqual([['tool', 'list_directory-1764625554423-6b5d2c6179cc4']]);
  });

  it('session 37b7abef: 5 turns, 9 model calls, 14 tool calls (one gemini message carries 9)', async () => {
    const { ws } = await load('session-2026-01-16T11-01-file-ops-37b7abef.json');
    const t = ws.getTrace('gemini-37b7abef-713d-4522-85f0-8ff15a4e6d17')!;
    expect([t.name, t.llmCalls, t.toolCalls, t.inputTokens, t.outputTokens, t.spanCount]).toEqual(['show tools', 9, 14, 87418, 1441, 1 + 5 + 9 + 14]);
    const write = ws.getSpans(t.traceId).find((s) => s.toolCall?.id === 'write_file-1768566819675-5726cf966781a')!;
    expect(write.toolCall).toMatchObject({
      name: 'write_file',
      arguments: { content: '# Hello World', file_path: 'hello.md' },
      result: 'Successfully created and wrote to new file: /Users/Nikita_Levyankov/repos/EPMCDME/codemie-ai/codemie-code/hello.md.',
    });
  });

  it('a failed tool call is an error span; a session that ends on an error message failed', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const doc = {
      sessionId: 's1',
      projectHash: 'p',
      startTime: '2026-01-01T00:00:00.000Z',
      lastUpdated: '2026-01-01T00:00:09.000Z',
      messages: [
        { id: 'u', timestamp: '2026-01-01T00:00:01.000Z', type: 'user', content: 'go' },
        {
          id: 'g',
          timestamp: '2026-01-01T00:00:02.000Z',
          type: 'gemini',
          content: '',
          toolCalls: [{ id: 'c1', name: 'run_shell_command', args: { command: 'false' }, status: 'error', result: [{ functionResponse: { id: 'c1', name: 'run_shell_command', response: { error: 'exit 1' } } }] }],
        },
        { id: 'e', timestamp: '2026-01-01T00:00:03.000Z', type: 'error', content: '[API Error: quota exceeded]' },
      ],
    };
    await importBuffer(t.ws, 'session-x.json', Buffer.from(JSON.stringify(doc)));
    const spans = t.ws.getSpans('gemini-s1');
    const tool = spans.find((s) => s.kind === 'tool')!;
    expect([tool.status, tool.toolCall!.isError, tool.toolCall!.result]).toEqual(['error', true, 'exit 1']);
    const root = t.ws.getSpan('gemini-s1', 'session')!;
    expect([root.status, root.statusMessage]).toEqual(['error', '[API Error: quota exceeded]']);
  });
});
