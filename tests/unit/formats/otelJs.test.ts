import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBuffer, type ImportResult } from '../../../src/core/import/importFile';
import type { Workspace } from '../../../src/core/store/workspace';
import type { Span } from '../../../src/core/model/types';
import { ImportError } from '../../../src/core/util/errors';
import { importFixture, tempWorkspace } from '../../helpers/workspace';

// Expected values read off vercel-ai-sdk-v6-otel-js-readablespans-all.json: 10 spans, each with
// its own traceId and no parent field; startTime/endTime as [s, ns]; usage in ai.usage.* and
// gen_ai.usage.* (the outer ai.* spans repeat their doGenerate/doStream usage).

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

describe('OTel-JS ReadableSpan dump: Vercel AI SDK v6 capture', () => {
  let ws: Workspace;
  let result: ImportResult;
  let spans: Span[];
  const byId = (id: string) => spans.find((s) => s.spanId === id)!;

  beforeAll(async () => {
    const r = await importFixture('vercel-ai-sdk/vercel-ai-sdk-v6-otel-js-readablespans-all.json');
    cleanups.push(r.cleanup);
    ws = r.ws;
    result = r.result;
    spans = result.traceIds.flatMap((t) => ws.getSpans(t));
  });

  it('imports 10 spans as 10 single-span traces without parents', () => {
    expect(result.format).toBe('otel-js-spans');
    expect(result.spanCount).toBe(10);
    expect(result.traceIds).toHaveLength(10);
    expect(spans.every((s) => s.parentId === null)).toBe(true);
    expect(result.warnings).toEqual([]);
  });

  it('converts HrTime [s, ns] times', () => {
    // ai.generateText.doGenerate: startTime [1770131992, 242000000], endTime [1770131994, 21415667]
    const s = byId('39d6e9b3ddec9996');
    expect(s.traceId).toBe('b3e700af9eab81e19f72f964d62a35af');
    expect(s.startMs).toBe(1770131992242);
    expect(s.endMs).toBeCloseTo(1770131994021.415667, 3);
  });

  it('makes the provider calls llm spans with usage, and the outer calls chain roll-ups', () => {
    const doGenerate = byId('39d6e9b3ddec9996');
    expect(doGenerate.kind).toBe('llm');
    expect(doGenerate.sourceKind).toBe('ai.generateText.doGenerate');
    expect(doGenerate.model).toBe('gpt-4o-mini-2024-07-18');
    expect(doGenerate.usage).toEqual({ inputTokens: 14, outputTokens: 20 });
    expect(doGenerate.inputMessages).toEqual([{ role: 'user', content: 'Write a haiku about programming.' }]);
    expect(doGenerate.outputMessages?.[0]?.content).toBe(
      'Lines of code align,  \nLogic dances through the night—  \nDreams in data flow.',
    );
    const generateText = byId('648be1dfd8e521b6');
    expect(generateText.kind).toBe('chain');
    expect(generateText.usage).toBeUndefined();
    expect(generateText.attributes['ai.usage.promptTokens']).toBe(14); // kept in attributes
    expect(generateText.input).toEqual({ prompt: 'Write a haiku about programming.' });

    const kinds = spans.map((s) => [s.name, s.kind]);
    expect(kinds.filter(([, k]) => k === 'llm').map(([n]) => n).sort()).toEqual([
      'ai.generateObject.doGenerate',
      'ai.generateText.doGenerate',
      'ai.generateText.doGenerate',
      'ai.streamText.doStream',
    ]);
    expect(kinds.filter(([, k]) => k === 'chain')).toHaveLength(4);
    expect(kinds.filter(([, k]) => k === 'embedding').map(([n]) => n).sort()).toEqual(['ai.embed', 'ai.embed.doEmbed']);
  });

  it('reads the multi-turn prompt and the streamed call with its events', () => {
    const multi = byId('6c0201026326855d');
    expect(multi.inputMessages?.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(multi.inputMessages?.[3]?.content).toBe('And what is 3 + 3?');
    expect(multi.usage).toEqual({ inputTokens: 50, outputTokens: 9 });

    const stream = byId('5a81ef3ffb5d8603');
    expect(stream.usage).toEqual({ inputTokens: 15, outputTokens: 112, totalTokens: 127, reasoningTokens: 0, cacheReadTokens: 0 });
    expect(stream.events.map((e) => e.name)).toEqual(['ai.stream.firstChunk', 'ai.stream.finish']);
    expect(stream.events[0]!.timeMs).toBeCloseTo(1770132001025.056459, 3);
    expect(stream.events[0]!.attributes['ai.response.msToFirstChunk']).toBeCloseTo(426.8535, 4);
  });

  it('counts each model call once per trace', () => {
    const totals = result.traceIds.map((t) => ws.getTrace(t)!).reduce(
      (a, t) => ({ llm: a.llm + t.llmCalls, inTok: a.inTok + t.inputTokens, outTok: a.outTok + t.outputTokens }),
      { llm: 0, inTok: 0, outTok: 0 },
    );
    // doGenerate 14/20, 50/9, generateObject.doGenerate 63/156, doStream 15/112, doEmbed 10 input
    expect(totals).toEqual({ llm: 4, inTok: 14 + 50 + 63 + 15 + 10, outTok: 20 + 9 + 156 + 112 });
  });
});

describe('OTel-JS spans: parents, resource, errors', () => {
  const base = {
    name: 'x',
    kind: 2,
    startTime: [1700000000, 0],
    endTime: [1700000000, 500000000],
    attributes: {},
    status: { code: 0 },
    events: [],
  };

  it('links SDK 1.x parentSpanId and SDK 2.x parentSpanContext, reads resource and JS kinds', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const data = [
      { ...base, name: 'root', spanContext: { traceId: 'a'.repeat(32), spanId: '1'.repeat(16) }, resource: { attributes: { 'service.name': 'js-svc' } } },
      { ...base, name: 'v1 child', spanContext: { traceId: 'a'.repeat(32), spanId: '2'.repeat(16) }, parentSpanId: '1'.repeat(16) },
      {
        ...base,
        name: 'v2 child',
        kind: 0,
        spanContext: { traceId: 'a'.repeat(32), spanId: '3'.repeat(16) },
        parentSpanContext: { traceId: 'a'.repeat(32), spanId: '2'.repeat(16) },
        status: { code: 2, message: 'failed' },
      },
    ];
    const result = await importBuffer(t.ws, 'spans.json', Buffer.from(JSON.stringify(data)));
    expect(result.format).toBe('otel-js-spans');
    const byName = new Map(t.ws.getSpans('a'.repeat(32)).map((s) => [s.name, s]));
    expect(byName.get('v1 child')!.parentId).toBe('1'.repeat(16));
    expect(byName.get('v2 child')!.parentId).toBe('2'.repeat(16));
    expect(byName.get('root')!.sourceKind).toBe('client'); // JS SpanKind 2 = CLIENT
    expect(byName.get('v2 child')!.sourceKind).toBe('internal'); // JS SpanKind 0 = INTERNAL
    expect(byName.get('v2 child')!.status).toBe('error');
    expect(byName.get('v2 child')!.statusMessage).toBe('failed');
    expect(t.ws.getTrace('a'.repeat(32))!.service).toBe('js-svc');
  });

  it('names the file and line of a span without spanContext', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const text = JSON.stringify([{ ...base, spanContext: { traceId: 'a'.repeat(32), spanId: '1'.repeat(16) } }, base], null, 1);
    const e = await importBuffer(t.ws, 'bad.json', Buffer.from(text), { format: 'otel-js-spans' }).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ImportError);
    expect((e as ImportError).message).toContain('bad.json');
    expect((e as ImportError).message).toContain('span has no spanContext');
    expect((e as ImportError).path).toBe('[1]');
    expect((e as ImportError).line).toBe(text.split('\n').lastIndexOf(' {') + 1);
  });
});
