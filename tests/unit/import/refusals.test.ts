/**
 * Issue 16 "Also": a refused file says what it looks like and which importer came closest and
 * why it declined; a forced --format still checks the file's shape.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { importBuffer } from '../../../src/core/import/importFile';
import { fileShape, describeShape } from '../../../src/core/formats/shape';
import type { FormatId } from '../../../src/core/model/types';
import { ImportError } from '../../../src/core/util/errors';
import { tempWorkspace } from '../../helpers/workspace';

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function refused(name: string, text: string, format?: FormatId): Promise<string> {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const e = await importBuffer(t.ws, name, Buffer.from(text), format ? { format } : {}).catch((x: unknown) => x);
  expect(e).toBeInstanceOf(ImportError);
  // nothing stored, one failed row in the history
  expect(t.ws.listImports().map((i) => i.status)).toEqual(['failed']);
  return (e as Error).message;
}

describe('refusals say what the file looks like', () => {
  it('a Codex-like session in a layout the importer does not read', async () => {
    const text =
      '{"timestamp":"2026-01-01T00:00:00Z","kind":"session_meta","data":{"id":"x"}}\n' +
      '{"timestamp":"2026-01-01T00:00:01Z","kind":"response_item","data":{"type":"message"}}\n';
    expect(await refused('s.jsonl', text)).toBe(
      's.jsonl: unknown trace format: the file is JSON Lines whose lines have keys timestamp, kind, data ' +
        '(type values: session_meta, response_item, message); it looks most like Codex CLI session ' +
        '(it has session_meta, response_item), in a layout that importer does not read: it needs lines ' +
        '{timestamp, type, payload} with type session_meta / response_item / event_msg / turn_context, ' +
        'or a first line {id, timestamp, instructions} followed by response items',
    );
  });

  it('an array whose items look like OTLP requests but spell the container wrong', async () => {
    const msg = await refused('c.json', JSON.stringify([{ resourceSpanz: [], traceId: 'a', spanId: 'b', startTimeUnixNano: '1' }]));
    expect(msg).toMatch(/^c\.json: unknown trace format: the file is a JSON array whose items have keys resourceSpanz, traceId, spanId, startTimeUnixNano; it looks most like OTLP JSON \(it has startTimeUnixNano, traceId, spanId\), in a layout/);
    expect(msg).toContain('it needs a `resourceSpans` array at the top level');
  });

  it('JSON that resembles no format lists the formats read', async () => {
    const msg = await refused('config.json', JSON.stringify({ name: 'my-app', dependencies: { a: '1' } }));
    expect(msg).toMatch(/^config\.json: unknown trace format: the file is a JSON object with keys name, dependencies; formats read: OTLP JSON, /);
    expect(msg).toContain('Codex CLI session');
  });

  it('shapes of a head cut anywhere', () => {
    expect(describeShape(fileShape(Buffer.from('{"a": {"b": 1}, "c": [1, {"d": 2}], "e": "x')))).toBe('a JSON object with keys a, c, e');
    expect(describeShape(fileShape(Buffer.from('[[[1]]]')))).toBe('a JSON array of arrays');
    expect(describeShape(fileShape(Buffer.from([0, 1, 2, 3])))).toBe('binary data, not JSON');
  });
});

describe('a forced format still checks the shape', () => {
  it.each([
    ['chrome-trace', /not a Chrome trace: none of the 1 events is an object with a phase \('ph'\)/],
    ['langsmith', /run is not an object/],
    ['otlp-json', /no spans found/],
  ] as [FormatId, RegExp][])('--format %s refuses [[[…]]]', async (format, re) => {
    expect(await refused('nested.json', '[[[{"id":"x","name":"a","ph":1}]]]', format)).toMatch(re);
  });

  it('--format chrome-trace still reads a real event list', async () => {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const r = await importBuffer(t.ws, 'e.json', Buffer.from('[{"ph":"X","name":"a","ts":1,"dur":2,"pid":1,"tid":1}]'), { format: 'chrome-trace' });
    expect(r.spanCount).toBeGreaterThan(0);
  });
});
