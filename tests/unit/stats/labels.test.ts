import { writerOf } from '../../../src/core/store/connection';
import { afterEach, describe, expect, it } from 'vitest';
import { LabelStore, parseCsv } from '../../../src/core/store/labels';
import { tempWorkspace } from '../../helpers/tempWorkspace';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function store() {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  return { ws: t.ws, labels: new LabelStore(writerOf(t.ws)) };
}

describe('LabelStore', () => {
  it('records labels and failure modes with counts and rates', () => {
    const { labels } = store();
    labels.setLabel({ traceId: 'a', verdict: 'fail', critique: 'called search 4 times' });
    labels.setLabel({ traceId: 'b', verdict: 'pass' });
    labels.setLabel({ traceId: 'c', verdict: 'fail', critique: 'wrong city' });
    labels.setLabel({ traceId: 'd', verdict: 'defer' });
    labels.upsertFailureMode('tool loop', 'the agent repeats a tool call without new information');
    labels.tag('a', 'tool loop');
    labels.tag('c', 'hallucinated argument');
    labels.tag('a', 'hallucinated argument');
    const modes = labels.failureModes();
    expect(modes.map((m) => [m.name, m.count, m.rate])).toEqual([
      ['hallucinated argument', 2, 2 / 3], // 3 labelled pass/fail (defer does not count)
      ['tool loop', 1, 1 / 3],
    ]);
    expect(modes[1]!.definition).toMatch(/repeats a tool call/);
    expect(labels.getLabel('a')!.failureModes).toEqual(['hallucinated argument', 'tool loop']);
    labels.setLabel({ traceId: 'a', verdict: 'pass', critique: 'on reflection fine' });
    expect(labels.getLabel('a')).toMatchObject({ verdict: 'pass', critique: 'on reflection fine' });
  });

  it('assigns stable train/dev/test splits', () => {
    const { labels } = store();
    for (let i = 0; i < 300; i++) labels.setLabel({ traceId: `t${i}`, verdict: i % 2 ? 'pass' : 'fail' });
    labels.assignSplits();
    const first = new Map(labels.listLabels().map((l) => [l.traceId, l.split]));
    const counts = { train: 0, dev: 0, test: 0 };
    for (const s of first.values()) counts[s!]++;
    expect(counts.train).toBeGreaterThan(30);
    expect(counts.dev).toBeGreaterThan(80);
    expect(counts.test).toBeGreaterThan(80);
    labels.setLabel({ traceId: 'new', verdict: 'pass' });
    labels.assignSplits();
    for (const l of labels.listLabels()) if (l.traceId !== 'new') expect(l.split).toBe(first.get(l.traceId));
  });

  it('round-trips JSON and CSV, including commas, quotes, newlines and formula-looking text', () => {
    const { labels } = store();
    labels.setLabel({ traceId: 'x', verdict: 'fail', critique: 'said "done", but\nnothing was saved', split: 'dev' });
    labels.setLabel({ traceId: 'y', verdict: 'pass', critique: '=HYPERLINK("evil")' });
    labels.tag('x', 'false success');
    const csv = labels.exportCsv();
    expect(csv).toContain(`"'=HYPERLINK(""evil"")"`);
    const json = JSON.stringify(labels.exportJson());

    const other = store();
    other.labels.importText('labels.csv', csv);
    expect(other.labels.getLabel('x')).toMatchObject({
      verdict: 'fail',
      critique: 'said "done", but\nnothing was saved',
      split: 'dev',
      failureModes: ['false success'],
    });
    expect(other.labels.getLabel('y')!.critique).toBe('=HYPERLINK("evil")');

    const third = store();
    third.labels.importText('labels.json', json);
    expect(third.labels.listLabels().map((l) => [l.traceId, l.verdict])).toEqual([
      ['x', 'fail'],
      ['y', 'pass'],
    ]);
  });

  it('rejects bad label files naming the file and row, and stores nothing', () => {
    const { labels } = store();
    expect(() => labels.importText('l.csv', 'trace_id,verdict\na,pass\nb,maybe\n')).toThrow(
      /l\.csv: line 3: verdict must be pass, fail or defer/,
    );
    expect(labels.listLabels()).toEqual([]);
    expect(() => labels.importText('l.json', '{"labels":[{"verdict":"pass"}]}')).toThrow(/labels\[0\]: traceId missing/);
  });

  it('parses RFC 4180 CSV', () => {
    expect(parseCsv('a,"b ""q""",c\r\n1,"x\ny",\n')).toEqual([
      ['a', 'b "q"', 'c'],
      ['1', 'x\ny', ''],
    ]);
  });
});
