import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/output';
import { fixture, tempWorkspace } from '../../helpers/workspace';

const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;
// Same judge as judgeRun.test.ts: fails samples 3 and 7 (answer "No", target " Yes").
const MATCH_JUDGE = `
export const meta = { name: 'Answer matches target' };
export default function (trace) {
  const target = String(trace.info.metadata.target ?? '').trim();
  const answer = String(trace.info.output ?? '').trim();
  return { pass: answer === target, rationale: 'answered ' + answer + ', target ' + target };
}
`;

function capture(): Output & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    out: async (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  return io;
}
async function cli(...argv: string[]) {
  const io = capture();
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

let b: Backend;
let dir: string;
let wsPath: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  dir = t.dir;
  wsPath = t.ws.path;
  b = createBackend({ workspace: t.ws, mode: 'browser' });
  await b.importPaths([fixture('inspect-ai/inspect-popularity-10samples.eval')]);
  await b.call('saveJudge', { id: 'answer-match', kind: 'code', source: MATCH_JUDGE });
  const { runId } = await b.call('startJudgeRun', { judgeIds: ['answer-match'], selection: { mode: 'all' } });
  while ((await b.call('getJudgeRun', { runId }))?.status === 'running') await new Promise((ok) => setTimeout(ok, 50));
}, 60_000);
afterAll(() => cleanup?.());

describe('tracedeck labels / align', () => {
  it('imports labels from CSV, exports them as JSON and CSV', async () => {
    const csv = join(dir, 'labels.csv');
    // 1, 2 pass; 3 fail (judge fail); 4 fail (judge pass); 7 pass (judge fail)
    writeFileSync(
      csv,
      'trace_id,verdict,critique,failure_modes\n' +
        `${POP(1)},pass,,\n${POP(2)},pass,,\n${POP(3)},fail,"Answered No, target Yes",wrong answer\n` +
        `${POP(4)},fail,bare No,terse\n${POP(7)},pass,defensible,\n`,
    );
    const imp = await cli('labels', 'import', csv, '--workspace', wsPath);
    expect(imp).toMatchObject({ code: 0, stdout: `${csv}: 5 labels\n` });

    const json = await cli('labels', 'export', '--workspace', wsPath);
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as { labels: { traceId: string; verdict: string; failureModes: string[] }[] };
    expect(doc.labels.map((l) => [l.traceId, l.verdict, l.failureModes]).sort()).toEqual(
      [
        [POP(1), 'pass', []],
        [POP(2), 'pass', []],
        [POP(3), 'fail', ['wrong answer']],
        [POP(4), 'fail', ['terse']],
        [POP(7), 'pass', []],
      ].sort(),
    );
    const out = join(dir, 'out.csv');
    expect((await cli('labels', 'export', '--out', out, '--workspace', wsPath)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^trace_id,verdict,critique,labeler,split,failure_modes,updated_at\n/);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"labels": [{"traceId": "x", "verdict": "yes"}]}');
    const failed = await cli('labels', 'import', bad, '--workspace', wsPath);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('bad.json: labels[0]: verdict must be pass, fail or defer');
    expect((await cli('labels', 'frob')).code).toBe(2);
  });

  it('prints the alignment report with TPR, TNR and θ; --json carries the same numbers', async () => {
    // human pass 1, 2, 7 → judge pass 1, 2 (TP 2), fail 7 (FN 1): TPR 2/3 = 66.7%
    // human fail 3, 4 → judge fail 3 (TN 1), pass 4 (FP 1): TNR 1/2 = 50.0%
    // unlabelled 5, 6, 8, 9, 10 all pass: θ = (1 + ½ − 1)/(⅔ + ½ − 1) = 3, clipped to 100%
    const text = await cli('align', '--judge', 'answer-match', '--workspace', wsPath);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('TPR 66.7% (2/3)');
    expect(text.stdout).toContain('TNR 50.0% (1/2)');
    expect(text.stdout).toContain('θ (bias-corrected pass rate)  100.0%');
    expect(text.stdout).toContain('Disagreements (2)');
    expect(text.stdout).toMatch(/human pass \(3\)\s+2\s+1\s+TPR/);
    expect(text.stdout).toMatch(/human fail \(2\)\s+1\s+1\s+TNR/);

    const json = await cli('align', '--judge', 'answer-match', '--json', '--workspace', wsPath);
    const r = JSON.parse(json.stdout);
    expect(r.agreement).toMatchObject({ confusion: { tp: 2, tn: 1, fp: 1, fn: 1 } });
    expect(r.agreement.tpr).toBeCloseTo(2 / 3, 12);

    const missing = await cli('align', '--judge', 'nope', '--workspace', wsPath);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('judges with verdicts: answer-match');
    expect((await cli('align', '--workspace', wsPath)).code).toBe(2);
    expect((await cli('align', '--judge', 'answer-match', '--split', 'holdout', '--workspace', wsPath)).code).toBe(2);

    // the train/dev/test splits come from the trace ids; some split lacks a class → exit 1 with the reason
    const perSplit = await Promise.all(['train', 'dev', 'test'].map((s) => cli('align', '--judge', 'answer-match', '--split', s, '--workspace', wsPath)));
    for (const p of perSplit) {
      if (p.code === 1) expect(p.stderr).toMatch(/tracedeck: (no human|no pass\/fail|TPR \+ TNR|the judge has no|θ needs)/);
      else expect(p.code).toBe(0);
    }
  });
});
