import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { importBuffer, importFile } from '../../../src/core/import/importFile';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// Phoenix span annotations (served apart from the spans) onto the real PXI trace. Expected values
// read off the two files: 4 annotations on spans s01, s01, s11, s15 of trace fixture-trace-1.

const SPANS = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const ANNOTATIONS = 'openinference/handmade-phoenix-span-annotations-pxi-turn.json';
const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

function workspace() {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  return t.ws;
}

const expected = [
  {
    name: 'correctness',
    source: 'phoenix',
    value: 1,
    pass: true,
    spanId: 's01',
    author: 'LLM',
    comment: 'correct: The agent created the dataset and added the requested spans after retrying the failed call.',
    timeMs: Date.parse('2026-07-09T00:05:12.118Z'),
  },
  { name: 'helpfulness', value: 4, pass: null, spanId: 's01', author: 'HUMAN:VXNlcjox', comment: 'Clear, but asked one question too many.' },
  { name: 'tool_call_valid', value: 0, pass: false, spanId: 's11', author: 'CODE:arg-check-v1' },
  { name: 'tool_call_valid', value: 1, pass: true, spanId: 's15', author: 'CODE:arg-check-v1', comment: 'pass' },
];

describe('Phoenix span annotations as recorded evaluations', () => {
  it('an annotation file imported after the spans attaches to the stored trace, spans unchanged', async () => {
    const ws = workspace();
    const spans = await importFile(ws, fixture(SPANS));
    const before = ws.getSpans('fixture-trace-1');
    const r = await importFile(ws, fixture(ANNOTATIONS));
    expect(r.format).toBe('openinference');
    expect(r.traceIds).toEqual(['fixture-trace-1']);
    expect(r.warnings.filter((w) => /replaced|already stored/.test(w))).toEqual([]);
    expect(ws.getRecordedEvaluations('fixture-trace-1')).toMatchObject(expected);
    expect(ws.getSpans('fixture-trace-1')).toEqual(before);
    const t = ws.getTrace('fixture-trace-1')!;
    expect(t.sourceFile).toBe(spans.source);
    expect([t.evalPass, t.evalFail]).toEqual([2, 1]);
    expect(ws.listTraces({}).total).toBe(1);
  });

  it('importing the annotation file again replaces its annotations; re-importing the spans keeps them', async () => {
    const ws = workspace();
    await importFile(ws, fixture(SPANS));
    await importFile(ws, fixture(ANNOTATIONS));
    await importFile(ws, fixture(ANNOTATIONS), { force: true });
    expect(ws.getRecordedEvaluations('fixture-trace-1')).toHaveLength(4);
    await importFile(ws, fixture(SPANS), { force: true });
    expect(ws.getRecordedEvaluations('fixture-trace-1')).toMatchObject(expected);
  });

  it('annotations in the same file as the spans ({data: [spans…, annotations…]})', async () => {
    const ws = workspace();
    const spans = JSON.parse(readFileSync(fixture(SPANS), 'utf8'));
    const ann = JSON.parse(readFileSync(fixture(ANNOTATIONS), 'utf8')).data;
    const r = await importBuffer(ws, 'spans-with-annotations.json', Buffer.from(JSON.stringify({ data: [...spans, ...ann] })));
    expect(r.traceIds).toEqual(['fixture-trace-1']);
    expect(ws.getRecordedEvaluations('fixture-trace-1')).toMatchObject(expected);
  });

  it('refuses an annotation file whose spans are nowhere, naming the file', async () => {
    const ws = workspace();
    const err = await importFile(ws, fixture(ANNOTATIONS)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(/handmade-phoenix-span-annotations-pxi-turn\.json.*none of the 4 annotated span ids.*import the spans first/);
  });
});
