import { writerOf } from '../../../src/core/store/connection';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { exportRun } from '../../../src/core/judges/export';
import { loadJudgesDir, parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import { runJudges, type RunProgress } from '../../../src/core/judges/runs';
import { JudgeStore } from '../../../src/core/store/judges';
import type { JudgeSpec } from '../../../src/core/judges/types';
import type { Workspace } from '../../../src/core/store/workspace';
import { fixture, tempWorkspace } from '../../helpers/workspace';

const EXAMPLES = join(__dirname, '../../../judges');
const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const CC_ERRORS = 'claude-code/cc-spotter-short-tool-errors.jsonl';
const LANGFUSE = 'langfuse/langfuse-openai-agents-2025-09-30.trace.json';

let ws: Workspace;
let cleanup: () => void;
const ids: Record<string, string> = {};

beforeEach(async () => {
  const t = tempWorkspace();
  ws = t.ws;
  cleanup = t.cleanup;
  for (const f of [PHOENIX, CC_ERRORS, LANGFUSE]) {
    const r = await importFile(ws, fixture(f));
    expect(r.traceIds).toHaveLength(1);
    ids[f] = r.traceIds[0]!;
  }
});
afterEach(() => cleanup());

function codeJudge(id: string, body: string, gating = true): JudgeSpec {
  return parseJudgeFile(`${id}.judge.ts`, `export const meta = { gating: ${gating} };\n${body}`);
}

const exampleCodeJudges = () => loadJudgesDir(EXAMPLES).judges.filter((j) => j.kind === 'code');

describe('judge runs over real fixtures', () => {
  it('runs the example code judges and records verdicts with evidence', async () => {
    const judges = exampleCodeJudges();
    expect(judges.map((j) => j.id).sort()).toEqual(['max-llm-calls', 'no-tool-errors']);
    const progress: RunProgress[] = [];
    const { run, gateFailures } = await runJudges(ws, { judges, selection: { mode: 'all' }, name: 'examples', onProgress: (p) => progress.push(p) });
    expect(run.status).toBe('done');
    expect(run.total).toBe(6);
    expect(run.done).toBe(6);
    const store = new JudgeStore(ws);
    const v = (judge: string, f: string) => store.listVerdicts({ runId: run.id, judgeId: judge, traceId: ids[f] }).rows[0]!;

    // Phoenix: s11 add_spans_to_dataset failed (status ERROR); 9 LLM calls ≤ 10.
    expect(v('no-tool-errors', PHOENIX)).toMatchObject({ status: 'fail', evidenceSpanIds: ['s11'] });
    expect(v('no-tool-errors', PHOENIX).rationale).toBe('1 of 8 tool call(s) failed: add_spans_to_dataset');
    expect(v('max-llm-calls', PHOENIX)).toMatchObject({ status: 'pass', score: 1 - 9 / 10 });
    // Claude Code: both tool_results are is_error=true (Bash, Glob rejected by the user).
    const cc = v('no-tool-errors', CC_ERRORS);
    expect(cc.status).toBe('fail');
    expect(cc.rationale).toBe('2 of 2 tool call(s) failed: Bash, Glob');
    expect(cc.evidenceSpanIds).toHaveLength(2);
    // Langfuse OpenAI Agents: one get_weather tool call, level DEFAULT (no error).
    expect(v('no-tool-errors', LANGFUSE)).toMatchObject({ status: 'pass', rationale: '1 tool call(s), none failed' });

    expect(gateFailures).toEqual([{ judgeId: 'no-tool-errors', name: 'No tool errors', failed: 2, errored: 0 }]);
    expect(progress.at(-1)).toMatchObject({ done: 6, total: 6, passed: 4, failed: 2, errored: 0 });
    expect(run.judges.map((j) => j.model)).toEqual([null, null]);
    expect(run.judges.every((j) => /^[0-9a-f]{64}$/.test(j.hash))).toBe(true);
  });

  it('caches verdicts by judge hash, trace and model; a changed judge runs again', async () => {
    const judges = exampleCodeJudges();
    const first = await runJudges(ws, { judges, selection: { mode: 'all' } });
    expect(first.run.cached).toBe(0);
    const second = await runJudges(ws, { judges, selection: { mode: 'all' } });
    expect(second.run.cached).toBe(6);
    expect(second.run.failed).toBe(first.run.failed);
    const noCache = await runJudges(ws, { judges, selection: { mode: 'all' }, useCache: false });
    expect(noCache.run.cached).toBe(0);

    const edited = parseJudgeFile('no-tool-errors.judge.ts', judges.find((j) => j.id === 'no-tool-errors')!.source + '\n// edited\n');
    const third = await runJudges(ws, { judges: [edited], selection: { mode: 'all' } });
    expect(third.run.cached).toBe(0);
    // A re-imported trace is judged again.
    await importFile(ws, fixture(PHOENIX), { force: true });
    const fourth = await runJudges(ws, { judges: [edited], selection: { mode: 'all' } });
    expect(fourth.run.cached).toBe(2);
  });

  it('records errors as errors: a throwing judge, a judge that does not compile, a looping judge', async () => {
    const judges = [
      codeJudge('throws', `export default function (t: any) { if (t.spans.length > 10) throw new TypeError('too big'); return true; }`),
      codeJudge('broken', `export default function ( { return true; }`),
      codeJudge('loops', `export default function (t: any) { if (t.info.format === 'claude-code') for (;;) {} return true; }`, false),
    ];
    const { run, gateFailures } = await runJudges(ws, { judges, selection: { mode: 'all' }, sandbox: { timeoutMs: 300 } });
    const store = new JudgeStore(ws);
    const rows = store.listVerdicts({ runId: run.id }).rows;
    const of = (j: string, f: string) => rows.find((r) => r.judgeId === j && r.traceId === ids[f])!;
    expect(of('throws', PHOENIX)).toMatchObject({ status: 'error', error: expect.stringMatching(/^TypeError: too big/) });
    expect(of('throws', LANGFUSE).status).toBe('pass'); // 5 observations
    expect(rows.filter((r) => r.judgeId === 'broken').every((r) => r.status === 'error' && /does not compile/.test(r.error!))).toBe(true);
    expect(of('loops', CC_ERRORS)).toMatchObject({ status: 'error', error: expect.stringMatching(/time limit/) });
    expect(of('loops', PHOENIX).status).toBe('pass');
    expect(run.failed).toBe(0);
    // Errors fail the gate of gating judges only.
    expect(gateFailures.map((g) => g.judgeId).sort()).toEqual(['broken', 'throws']);
    // Errors are never served from the cache.
    const again = await runJudges(ws, { judges, selection: { mode: 'all' }, sandbox: { timeoutMs: 300 } });
    expect(again.run.cached).toBe(rows.filter((r) => r.status !== 'error').length);
  });

  it('selects traces by filter, sample and ids', async () => {
    const judges = [codeJudge('t', `export default () => true;`)];
    const byFormat = await runJudges(ws, { judges, selection: { mode: 'filter', query: { formats: ['claude-code'] } } });
    expect(byFormat.run.total).toBe(1);
    const sample = await runJudges(ws, { judges, selection: { mode: 'sample', size: 2, seed: 7 } });
    expect(sample.run.total).toBe(2);
    const again = await runJudges(ws, { judges, selection: { mode: 'sample', size: 2, seed: 7 } });
    const traces = (id: number) => new JudgeStore(ws).listVerdicts({ runId: id }).rows.map((r) => r.traceId).sort();
    expect(traces(again.run.id)).toEqual(traces(sample.run.id));
    const byId = await runJudges(ws, { judges, selection: { mode: 'ids', traceIds: [ids[LANGFUSE]!, 'missing-trace'] } });
    const rows = new JudgeStore(ws).listVerdicts({ runId: byId.run.id }).rows;
    expect(rows.find((r) => r.traceId === 'missing-trace')).toMatchObject({ status: 'error', error: 'trace not found in the workspace' });
  });

  it('cancels a run', async () => {
    const judges = [codeJudge('slow', `export default () => { const t = Date.now(); while (Date.now() - t < 400) {} return true; }`)];
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const t0 = Date.now();
    const { run } = await runJudges(ws, { judges, selection: { mode: 'all' }, signal: controller.signal, concurrency: 1, sandbox: { timeoutMs: 5000, batchSize: 1 } });
    expect(run.status).toBe('cancelled');
    expect(run.done).toBeLessThan(3);
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('interrupted runs', () => {
  it('marks runs of dead processes as failed, never those of a live one', async () => {
    const store = new JudgeStore(ws);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const mine = store.createRun('mine', {}, [], 0, null);
    const orphan = store.createRun('orphan', {}, [], 0, null);
    writerOf(ws).prepare('UPDATE judge_runs SET owner_pid = ? WHERE id = ?').run(dead, orphan.id);
    expect(store.markStaleRuns()).toBe(1);
    expect(store.getRun(orphan.id)).toMatchObject({ status: 'failed', error: 'interrupted' });
    expect(store.getRun(mine.id)!.status).toBe('running');
  });
});

describe('verdict exports', () => {
  it('exports JSON, CSV and OTel gen_ai.evaluation.result events', async () => {
    const judges = exampleCodeJudges();
    const { run } = await runJudges(ws, { judges, selection: { mode: 'all' }, name: '=cmd|calc' });
    const store = new JudgeStore(ws);

    const json = JSON.parse(exportRun(store, run.id, 'json'));
    expect(json.run).toMatchObject({ id: run.id, total: 6, failed: 2 });
    expect(json.verdicts).toHaveLength(6);
    expect(json.verdicts.find((v: any) => v.traceId === ids[PHOENIX] && v.judgeId === 'no-tool-errors')).toMatchObject({
      status: 'fail',
      evidenceSpanIds: ['s11'],
      judgeName: 'No tool errors',
    });

    const csv = exportRun(store, run.id, 'csv').trimEnd().split('\r\n');
    expect(csv[0]).toBe('run_id,run_name,judge_id,judge_name,judge_hash,trace_id,model,status,score,rationale,evidence_span_ids,error,duration_ms,cached');
    expect(csv).toHaveLength(7);
    // Spreadsheet formula injection is neutralised.
    expect(csv[1]).toContain(`,'=cmd|calc,`);
    const phoenixRow = csv.find((l) => l.includes(ids[PHOENIX]!) && l.includes('no-tool-errors'))!;
    expect(phoenixRow).toContain(',fail,');
    expect(phoenixRow).toContain(',s11,');

    const otel = JSON.parse(exportRun(store, run.id, 'otel'));
    const records = otel.resourceLogs[0].scopeLogs[0].logRecords as any[];
    expect(records).toHaveLength(6);
    expect(records.every((r) => r.eventName === 'gen_ai.evaluation.result')).toBe(true);
    const attrs = (r: any) => Object.fromEntries(r.attributes.map((a: any) => [a.key, Object.values(a.value)[0]]));
    const rec = records.map(attrs).find((a) => a['tracedeck.trace_id'] === ids[PHOENIX] && a['tracedeck.judge.id'] === 'no-tool-errors')!;
    expect(rec['gen_ai.evaluation.name']).toBe('No tool errors');
    expect(rec['gen_ai.evaluation.score.label']).toBe('fail');
    expect(rec['gen_ai.evaluation.score.value']).toBe(0);
    expect(rec['gen_ai.evaluation.explanation']).toBe('1 of 8 tool call(s) failed: add_spans_to_dataset');
    // The langfuse trace id is 32 hex: the event is parented to the trace.
    const lf = records.find((r) => attrs(r)['tracedeck.trace_id'] === ids[LANGFUSE]);
    expect(/^[0-9a-f]{32}$/.test(ids[LANGFUSE]!)).toBe(true);
    expect(lf.traceId).toBe(ids[LANGFUSE]!.toLowerCase());
  });
});
