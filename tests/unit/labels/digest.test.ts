import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { traceDigest } from '../../../src/core/labels/traceDigest';
import type { Workspace } from '../../../src/core/store/workspace';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// What the labelling summary (and the few-shot examples) show of a trace: the task and the final
// answer as text, whatever shape the source recorded them in. Facts read from the files.
let ws: Workspace;
let cleanup: () => void;
const ids: Record<string, string> = {};
beforeAll(async () => {
  const t = tempWorkspace();
  ws = t.ws;
  cleanup = t.cleanup;
  for (const f of [
    'langfuse/langfuse-claude-agent-2025-12-22.trace.json',
    'langfuse/langfuse-openai-agents-2025-09-30.trace.json',
    'langfuse/langfuse-langgraph-python-2025-08-22.trace.json',
    'claude-code/cc-spotter-short-tool-errors.jsonl',
  ])
    ids[f.split('/')[0]! + ':' + f.split('/')[1]!.split('-')[1]!] = (await importFile(ws, fixture(f))).traceIds[0]!;
});
afterAll(() => cleanup());

describe('trace digest', () => {
  it('reads {prompt, system} input and content-part output (Langfuse, Claude Agent SDK)', () => {
    // trace.input is the JSON string {"prompt":"What's the weather like in Berlin and New York?","system":…}
    // trace.output is {"content":[{"type":"text","text":"Great! Here's the current weather for both cities:…"}]}
    const d = traceDigest(ws, ids['langfuse:claude']!)!;
    expect(d.input).toBe("What's the weather like in Berlin and New York?");
    expect(d.output).toMatch(/^Great! Here's the current weather for both cities:\n\n\*\*Berlin\*\*: Cloudy/);
    expect(d.tools.map((t) => t.name)).toEqual(['mcp__weather__get_weather', 'mcp__weather__get_weather']);
  });

  it('takes the final answer from the last model call by time, not by list order (Langfuse, OpenAI Agents)', () => {
    // The trace has no input/output; observations list the 09:04:01.001 response before the
    // 09:03:59.963 one. The later one answers "The weather in Tokyo is currently sunny. …".
    const d = traceDigest(ws, ids['langfuse:openai']!)!;
    expect(d.input).toBe("What's the weather in Tokyo?");
    expect(d.output).toBe(
      'The weather in Tokyo is currently sunny. If you need more details like temperature or forecast for the upcoming days, just let me know!',
    );
    expect(d.tools).toMatchObject([{ name: 'get_weather', result: 'The weather in Tokyo is sunny.', isError: false }]);
  });

  it('reads LangGraph state messages typed human/ai', () => {
    const d = traceDigest(ws, ids['langfuse:langgraph']!)!;
    expect(d.input).toBe("Search the web for 'example' and summarize.");
    expect(d.output).toMatch(/^The search for "example" primarily leads to the website \[example\.com\]/);
  });

  it('lists failed tool calls with their error (Claude Code: both tool uses rejected)', () => {
    const d = traceDigest(ws, ids['claude-code:spotter']!)!;
    expect(d.input).toBe('mix phx.server doesnt seem to start');
    expect(d.toolsTotal).toBe(2);
    expect(d.tools.map((t) => [t.name, t.isError])).toEqual([
      ['Bash', true],
      ['Glob', true],
    ]);
    expect(d.tools[0]!.error).toMatch(/^The user doesn't want to proceed with this tool use/);
    expect(traceDigest(ws, 'no-such-trace')).toBeNull();
  });
});
