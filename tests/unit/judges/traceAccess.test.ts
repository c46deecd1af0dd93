import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrace, decodeTraceWire, normaliseJudgeReturn } from '../../../src/core/judges/traceAccess';
import type { Trace } from '../../../src/core/judges/traceApi';
import { TraceLoader } from '../../../src/core/store/judgeTraces';
import { importFixture } from '../../helpers/workspace';

// Facts below were read from the fixture file itself (18 Phoenix spans: s01 AGENT root, LLM spans
// s02…s18 even, TOOL spans s03…s17 odd, s11 add_spans_to_dataset with status ERROR).
const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';

describe('trace-access API over a real Phoenix trace', () => {
  let trace: Trace;
  let cleanup: () => void;

  beforeAll(async () => {
    const f = await importFixture(PHOENIX);
    cleanup = f.cleanup;
    const loader = new TraceLoader(f.ws);
    const text = loader.wireText('fixture-trace-1');
    expect(text).not.toBeNull();
    trace = createTrace(decodeTraceWire(text!));
  });
  afterAll(() => cleanup?.());

  it('exposes spans in source order, the root and the tree', () => {
    expect(trace.id).toBe('fixture-trace-1');
    expect(trace.spans).toHaveLength(18);
    expect(trace.spans.map((s) => s.spanId).slice(0, 3)).toEqual(['s01', 's02', 's03']);
    expect(trace.root?.spanId).toBe('s01');
    expect(trace.root?.name).toBe('pxi.turn');
    expect(trace.root?.kind).toBe('agent');
    expect(trace.root?.depth).toBe(0);
    expect(trace.root?.durationMs).toBe(35_000); // 00:00:00 → 00:00:35
    expect(trace.children('s01')).toHaveLength(17);
    expect(trace.span('s11')?.depth).toBe(1);
    expect(trace.parent('s11')?.spanId).toBe('s01');
    expect(trace.ancestors('s11').map((s) => s.spanId)).toEqual(['s01']);
    expect(trace.descendants('s01')).toHaveLength(17);
    expect(trace.span('nope')).toBeUndefined();
  });

  it('lists LLM calls with usage and tool calls with arguments, results and errors', () => {
    const llm = trace.llmCalls();
    expect(llm.map((c) => c.spanId)).toEqual(['s02', 's04', 's06', 's08', 's10', 's12', 's14', 's16', 's18']);
    expect(llm.every((c) => c.model === 'claude-fable-5')).toBe(true);
    expect(llm[0]!.usage.inputTokens).toBe(32321);
    expect(llm[0]!.usage.outputTokens).toBe(119);

    const tools = trace.toolCalls();
    expect(tools.map((t) => t.name)).toEqual([
      'list_datasets',
      'list_datasets',
      'ask_user',
      'create_dataset',
      'add_spans_to_dataset',
      'bash',
      'add_spans_to_dataset',
      'get_route_info',
    ]);
    const failed = tools.filter((t) => t.isError);
    expect(failed.map((t) => t.spanId)).toEqual(['s11']);
    expect(failed[0]!.arguments).toEqual({ datasetName: 'golden_examples', spanIds: ['fx-otel-span-1'] });
    expect(String(failed[0]!.result)).toContain("Error fetching GraphQL query 'exampleMutation'");
    expect(trace.toolCalls('add_spans_to_dataset').map((t) => t.spanId)).toEqual(['s11', 's15']);
    expect(trace.toolCalls(/^list_/).length).toBe(2);
  });

  it('sums usage over the model calls only', () => {
    const u = trace.usage();
    expect(u.llmCalls).toBe(9);
    expect(u.inputTokens).toBe(310222);
    expect(u.outputTokens).toBe(1895);
  });

  it('finds and filters by query objects and predicates', () => {
    expect(trace.errors().map((s) => s.spanId)).toEqual(['s11']);
    expect(trace.find({ kind: 'tool', status: 'error' })?.spanId).toBe('s11');
    expect(trace.filter({ kind: ['tool'], tool: 'bash' }).map((s) => s.spanId)).toEqual(['s13']);
    expect(trace.filter({ name: /dataset/ }).map((s) => s.spanId)).toEqual(['s03', 's05', 's09', 's11', 's15']);
    expect(trace.filter({ name: 'create_dataset' }).map((s) => s.spanId)).toEqual(['s09']);
    expect(trace.filter({ model: 'claude-fable-5' })).toHaveLength(9);
    expect(trace.filter({ attribute: 'tool.name' }).length).toBe(8);
    expect(trace.filter({ attribute: { key: 'tool.name', value: 'ask_user' } }).map((s) => s.spanId)).toEqual(['s07']);
    expect(trace.filter({ within: 's01', kind: 'llm' })).toHaveLength(9);
    expect(trace.filter((s) => s.spanId.endsWith('1')).map((s) => s.spanId)).toEqual(['s01', 's11']);
  });

  it('searches text fields and reports where it matched', () => {
    const hits = trace.search('exampleMutation');
    expect(hits.some((h) => h.spanId === 's11' && h.field === 'statusMessage')).toBe(true);
    expect(trace.search(/golden_examples/, 100).some((h) => h.spanId === 's11' && h.field === 'tool.arguments')).toBe(true);
  });

  it('reads the conversation and the input', () => {
    const msgs = trace.messages();
    expect(msgs.length).toBeGreaterThan(0);
    // The first call's input (s02): system, then the earlier user turn, …, then the new request.
    const users = msgs.filter((m) => m.role === 'user').map((m) => m.content);
    expect(users.slice(0, 2)).toEqual(['what happened in this trace?', 'can you save this trace to a dataset?']);
    expect(msgs[0]!.role).toBe('system');
    expect(msgs[0]!.spanId).toBe('s02');
    // History resent by later calls is not repeated.
    const keys = msgs.map((m) => `${m.role}|${m.content}|${m.toolCallId ?? ''}|${(m.toolCalls ?? []).map((c) => c.id).join()}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(trace.root?.input).toBe('can you save this trace to a dataset?');
  });

  it('normalises judge returns: booleans, span objects as evidence, unknown ids dropped', () => {
    expect(normaliseJudgeReturn(true, trace)).toEqual({ pass: true, rationale: '', evidenceSpanIds: [] });
    const s11 = trace.span('s11')!;
    expect(normaliseJudgeReturn({ pass: false, score: 0.5, rationale: 'x', evidenceSpanIds: [s11, 's02', 'ghost', 's02'] }, trace)).toEqual({
      pass: false,
      score: 0.5,
      rationale: 'x',
      evidenceSpanIds: ['s11', 's02'],
    });
    expect(() => normaliseJudgeReturn({ pass: 'yes' }, trace)).toThrow(/pass: boolean/);
    expect(() => normaliseJudgeReturn(Promise.resolve(true), trace)).toThrow(/synchronous/);
    expect(() => normaliseJudgeReturn({ pass: true, score: Number.NaN }, trace)).toThrow(/finite/);
  });
});

describe('trace-access API without recursion', () => {
  it('handles a 100k-deep chain', () => {
    const n = 100_000;
    const spans = Array.from({ length: n }, (_, i) => ({
      spanId: `s${i}`,
      parentId: i === 0 ? null : `s${i - 1}`,
      name: 'x',
      kind: 'chain' as const,
      status: 'ok' as const,
      startMs: i,
      endMs: i + 1,
    }));
    const t = createTrace({
      info: { traceId: 't', name: 't', format: 'otlp-json', service: null, version: null, sessionId: null, startMs: 0, endMs: n, durationMs: n, status: 'ok', spanCount: n, errorCount: 0, metadata: {} },
      spans,
    });
    expect(t.span(`s${n - 1}`)!.depth).toBe(n - 1);
    expect(t.descendants('s0')).toHaveLength(n - 1);
    expect(t.ancestors(`s${n - 1}`)).toHaveLength(n - 1);
  });
});
