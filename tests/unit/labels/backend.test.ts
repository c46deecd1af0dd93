import { afterEach, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { labelHandlers } from '../../../src/backend/labels';
import { fixture, tempWorkspace } from '../../helpers/workspace';

const PHOENIX_FILE = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const POP_FILE = fixture('inspect-ai/inspect-popularity-10samples.eval');
const PHOENIX = 'fixture-trace-1';
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

async function backendWith(files: string[]): Promise<Backend> {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  const b = createBackend({ workspace: t.ws, mode: 'browser' });
  const out = await b.importPaths(files);
  expect(out.every((o) => o.ok)).toBe(true);
  return b;
}

describe('labels through the backend', () => {
  it('steps through the queue, saves labels with splits, tags failure modes', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    const spec = { order: 'toolFailures' as const };
    const first = await b.call('nextToLabel', spec);
    expect(first.queueSize).toBe(11);
    expect(first.unlabelled).toBe(11);
    // the only trace with a failed tool call (add_spans_to_dataset, span s11) comes first
    expect(first.next!.digest.summary.traceId).toBe(PHOENIX);
    expect(first.next!.position).toBe(0);
    expect(first.next!.digest.input).toBe('can you save this trace to a dataset?');
    const failed = first.next!.digest.tools.filter((t) => t.isError);
    expect(failed.map((t) => [t.spanId, t.name])).toEqual([['s11', 'add_spans_to_dataset']]);
    expect(failed[0]!.result).toContain("Error fetching GraphQL query 'exampleMutation'");
    expect(first.next!.digest.toolsTotal).toBe(8);

    const saved = await b.call('setLabel', { traceId: PHOENIX, verdict: 'fail', critique: 'claims success after a failed add' });
    expect(saved).toMatchObject({ traceId: PHOENIX, verdict: 'fail', critique: 'claims success after a failed add' });
    expect(['train', 'dev', 'test']).toContain(saved.split);
    const tagged = await b.call('tagTrace', { traceId: PHOENIX, mode: 'false success' });
    expect(tagged.failureModes).toEqual(['false success']);
    // The trace view's read: the label alone (labelItem's, without its digest of the spans).
    expect(await b.call('getLabel', { traceId: PHOENIX })).toEqual((await b.call('labelItem', { traceId: PHOENIX }))!.label);
    expect(await b.call('getLabel', { traceId: PHOENIX })).toMatchObject({ verdict: 'fail', failureModes: ['false success'] });
    expect(await b.call('getLabel', { traceId: POP(1) })).toBeNull();
    expect(await b.call('getLabel', { traceId: 'no-such-trace' })).toBeNull();

    const second = await b.call('nextToLabel', { ...spec, after: PHOENIX });
    expect(second.unlabelled).toBe(10);
    expect(second.next!.digest.summary.format).toBe('inspect-ai');
    // labelled traces are skipped: from the start, PHOENIX is passed over
    const again = await b.call('nextToLabel', spec);
    expect(again.next!.digest.summary.traceId).toBe(second.next!.digest.summary.traceId);
    // …unless asked for, and labelItem shows the label and tags
    const incl = await b.call('nextToLabel', { ...spec, includeLabelled: true });
    expect(incl.next!.label?.verdict).toBe('fail');
    expect(incl.next!.failureModes).toEqual(['false success']);

    await b.call('saveFailureMode', { name: 'false success', definition: 'says the task is done when a step failed' });
    await b.call('tagTrace', { traceId: POP(3), mode: 'wrong answer' });
    await b.call('setLabel', { traceId: POP(3), verdict: 'fail', critique: 'answered No, target Yes' });
    await b.call('setLabel', { traceId: POP(1), verdict: 'pass' });
    await b.call('setLabel', { traceId: POP(2), verdict: 'defer' });
    let modes = await b.call('listFailureModes', {});
    // rate = count / labelled pass-or-fail traces (3: PHOENIX, POP 3, POP 1)
    expect(modes.map((m) => [m.name, m.count, m.rate])).toEqual([
      ['false success', 1, 1 / 3],
      ['wrong answer', 1, 1 / 3],
    ]);
    expect(modes[0]!.definition).toBe('says the task is done when a step failed');

    modes = await b.call('renameFailureMode', { from: 'wrong answer', to: 'incorrect answer' });
    expect(modes.map((m) => m.name)).toEqual(['false success', 'incorrect answer']);
    await expect(b.call('renameFailureMode', { from: 'incorrect answer', to: 'false success' })).rejects.toThrow(/merge into it/);
    modes = await b.call('mergeFailureModes', { from: 'incorrect answer', into: 'false success' });
    expect(modes.map((m) => [m.name, m.count])).toEqual([['false success', 2]]);
    expect((await b.call('labelItem', { traceId: POP(3) }))!.failureModes).toEqual(['false success']);
    await b.call('untagTrace', { traceId: POP(3), mode: 'false success' });
    expect((await b.call('listFailureModes', {}))[0]!.count).toBe(1);

    await expect(b.call('setLabel', { traceId: 'no-such-trace', verdict: 'pass' })).rejects.toMatchObject({ code: 'not-found' });
    await expect(b.dispatch('setLabel', { traceId: PHOENIX, verdict: 'maybe' })).rejects.toMatchObject({ code: 'bad-input' });
  });

  it('keeps labels and tags through a forced re-import of the same files', async () => {
    const b = await backendWith([PHOENIX_FILE, POP_FILE]);
    await b.call('setLabel', { traceId: PHOENIX, verdict: 'fail', critique: 'c1' });
    await b.call('setLabel', { traceId: POP(7), verdict: 'pass', critique: 'c2' });
    await b.call('tagTrace', { traceId: PHOENIX, mode: 'tool error ignored' });
    const before = await b.call('listLabels', {});

    const re = await b.importPaths([PHOENIX_FILE, POP_FILE], undefined, { force: true });
    expect(re.map((o) => [o.ok, o.unchanged ?? false])).toEqual([
      [true, false],
      [true, false],
    ]);
    expect(re[1]!.traceIds).toContain(POP(7));
    expect(await b.call('listLabels', {})).toEqual(before);
    const item = await b.call('labelItem', { traceId: PHOENIX });
    expect(item!.label).toMatchObject({ verdict: 'fail', critique: 'c1', failureModes: ['tool error ignored'] });
    expect(item!.digest.summary.spanCount).toBe(18);
  });

  it('round-trips labels and failure modes through export and import (JSON and CSV)', async () => {
    const a = await backendWith([PHOENIX_FILE, POP_FILE]);
    await a.call('saveFailureMode', { name: 'terse', definition: 'answers without a reason' });
    await a.call('setLabel', { traceId: PHOENIX, verdict: 'fail', critique: 'said "done",\nbut the add failed', labeler: 'ann' });
    await a.call('setLabel', { traceId: POP(8), verdict: 'fail', critique: '=1+1 looks like a formula' });
    await a.call('setLabel', { traceId: POP(9), verdict: 'defer' });
    await a.call('tagTrace', { traceId: POP(8), mode: 'terse' });
    const labels = await a.call('listLabels', {});
    const strip = (ls: typeof labels) =>
      ls.map(({ updatedAt: _u, ...l }) => l).sort((x, y) => (x.traceId < y.traceId ? -1 : 1));

    for (const format of ['json', 'csv'] as const) {
      const out = await a.call('exportLabels', { format });
      expect(out.fileName).toBe(`tracedeck-labels.${format}`);
      const b = await backendWith([POP_FILE]); // labels may name traces this workspace lacks
      expect(await b.call('importLabels', { name: out.fileName, text: out.text })).toEqual({ labels: 3 });
      expect(strip(await b.call('listLabels', {}))).toEqual(strip(labels));
      const modes = await b.call('listFailureModes', {});
      expect(modes.map((m) => [m.name, m.count])).toEqual([['terse', 1]]);
      // JSON carries definitions; CSV only the tag names
      expect(modes[0]!.definition).toBe(format === 'json' ? 'answers without a reason' : '');
    }

    const b = await backendWith([]);
    await expect(
      b.call('importLabels', { name: 'bad.csv', text: 'trace_id,verdict\nx,pass\ny,maybe\n' }),
    ).rejects.toThrow(/bad\.csv: line 3: verdict must be pass, fail or defer/);
    // one transaction: the good row before the bad one is not kept
    expect(await b.call('listLabels', {})).toEqual([]);
  });

  it('reports alignment for a judge from a verdict source, and 404s an unknown judge', async () => {
    const b = await backendWith([POP_FILE]);
    const h = labelHandlers(b.workspace, {
      verdicts: {
        listJudges: () => [{ id: 'match', name: 'match', verdicts: 10 }],
        latestVerdicts: (id) =>
          id === 'match'
            ? {
                judge: { id, name: 'match' },
                verdicts: Array.from({ length: 10 }, (_, i) => ({
                  traceId: POP(i + 1),
                  status: i + 1 === 3 || i + 1 === 7 ? ('fail' as const) : ('pass' as const),
                  rationale: '',
                })),
              }
            : null,
      },
    });
    for (const [n, v] of [[1, 'pass'], [3, 'fail'], [7, 'pass'], [8, 'fail']] as const)
      await h.setLabel({ traceId: POP(n), verdict: v });
    const r = await h.alignmentReport({ judgeId: 'match' });
    // human pass 1 (judge pass), 7 (judge fail) → TPR 1/2; human fail 3 (fail), 8 (pass) → TNR 1/2
    expect(r.agreement).toMatchObject({ confusion: { tp: 1, tn: 1, fp: 1, fn: 1 }, tpr: 0.5, tnr: 0.5 });
    expect(r.thetaError).toMatch(/TPR \+ TNR = 1\.000 ≤ 1: the judge is no better than chance/);
    expect(r.disagreements.map((d) => d.traceId).sort()).toEqual([POP(7), POP(8)]);
    await expect(Promise.resolve().then(() => h.alignmentReport({ judgeId: 'nope' }))).rejects.toMatchObject({ code: 'not-found' });
  });
});
