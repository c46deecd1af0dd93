import { writerOf } from '../../../src/core/store/connection';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backend/handlers';
import { importFile } from '../../../src/core/import/importFile';
import { parseJudgeFile } from '../../../src/core/judges/judgeFiles';
import { runJudges } from '../../../src/core/judges/runs';
import { JudgeStore } from '../../../src/core/store/judges';
import { Workspace } from '../../../src/core/store/workspace';
import { generateOtlpFile } from '../../bench/genOtlp';
import { REPO, runAndKill } from './killChild';

// A process running a code judge over a few hundred traces is SIGKILLed mid-run. The workspace
// must open and pass PRAGMA integrity_check, the run must be recognised as over (not left
// 'running' for ever), its verdicts must be whole (no duplicates, none beyond the selection),
// and running the same judge again must complete the run while judging only what is missing:
// the killed run's verdicts come back from the verdict cache.

const WORKER = join(REPO, 'tests/unit/fault/judgeRunWorker.ts');
const JUDGE_FILE = 'slow-no-errors.judge.ts';
// ~15 ms of work per trace, so the run lasts long enough to be killed in the middle.
const JUDGE = `import type { Trace } from 'tracedeck/judge';
export default function (trace: Trace) {
  const t0 = Date.now();
  while (Date.now() - t0 < 15) { /* busy */ }
  const bad = trace.spans.filter((s) => s.status === 'error');
  return { pass: bad.length === 0, rationale: bad.length + ' error span(s)', evidenceSpanIds: bad };
}
`;

describe('SIGKILL during a judge run', () => {
  let dir: string;
  let wsPath: string;
  let traceCount: number;
  let runId: number;
  let verdictsBefore: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-judgekill-'));
    wsPath = join(dir, 'ws.tracedeck');
    writeFileSync(join(dir, JUDGE_FILE), JUDGE);
    const gen = await generateOtlpFile({ path: join(dir, 'traces.json'), spans: 30_000, seed: 11 });
    const ws = Workspace.open(wsPath);
    const res = await importFile(ws, gen.path);
    traceCount = res.traceIds.length;
    expect(traceCount).toBe(gen.traces);
    ws.close();
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves a consistent workspace and a run recognised as interrupted', async () => {
    expect(traceCount).toBeGreaterThan(200);
    let total = 0;
    const killed = await runAndKill(WORKER, [wsPath, join(dir, JUDGE_FILE)], (line) => {
      const start = /^start (\d+)$/.exec(line);
      if (start) runId = Number(start[1]);
      const m = /^progress (\d+) (\d+)$/.exec(line);
      if (!m) return false;
      total = Number(m[2]);
      if (Number(m[1]) < total * 0.25) return false;
      // Kill only once some verdicts are committed: the interesting state is "part done".
      const ro = new Database(wsPath, { readonly: true });
      try {
        const n = (ro.prepare('SELECT count(*) AS n FROM verdicts WHERE run_id = ?').get(runId) as { n: number }).n;
        return n > 0 && n < total;
      } finally {
        ro.close();
      }
    });
    expect(killed.killed, `run ended before it could be killed: ${killed.lines.slice(-3).join(' | ')} ${killed.stderr.slice(-500)}`).toBe(true);
    expect(killed.signal).toBe('SIGKILL');
    expect(total).toBe(traceCount);

    const ws = Workspace.open(wsPath);
    try {
      expect(ws.integrityCheck()).toBe('ok');
      expect(writerOf(ws).pragma('foreign_key_check')).toEqual([]);
      const store = new JudgeStore(ws);
      expect(store.getRun(runId)!.status).toBe('running'); // as the dead process left it

      // Opening the app (the backend) ends runs no process is running any more.
      createBackend({ workspace: ws, mode: 'browser' });
      await ws.exclusive(async () => undefined);
      const run = store.getRun(runId)!;
      expect(run.status).not.toBe('running');
      expect(run.error ?? '').toMatch(/interrupted/);

      const rows = writerOf(ws).prepare('SELECT trace_id, status FROM verdicts WHERE run_id = ?').all(runId) as { trace_id: string; status: string }[];
      verdictsBefore = rows.length;
      expect(verdictsBefore).toBeGreaterThan(0);
      expect(verdictsBefore).toBeLessThan(traceCount);
      expect(new Set(rows.map((r) => r.trace_id)).size).toBe(rows.length); // no duplicates
      const known = new Set(ws.traceIds());
      expect(rows.every((r) => known.has(r.trace_id) && (r.status === 'pass' || r.status === 'fail'))).toBe(true);
      // Progress counters never claim more than was stored.
      expect(run.done).toBeLessThanOrEqual(verdictsBefore);
    } finally {
      ws.close();
    }
  }, 180_000);

  it('resumes: running the judge again completes every trace, judging only the missing ones', async () => {
    const ws = Workspace.open(wsPath);
    try {
      const judge = parseJudgeFile(JUDGE_FILE, JUDGE);
      const { run } = await runJudges(ws, { judges: [judge], selection: { mode: 'all' }, name: 'resumed', concurrency: 2 });
      expect(run.status).toBe('done');
      expect(run.total).toBe(traceCount);
      expect(run.done).toBe(traceCount);
      // Exactly the verdicts the killed run stored are reused; the rest are judged now.
      expect(run.cached).toBe(verdictsBefore);
      const fresh = writerOf(ws).prepare('SELECT count(*) AS n FROM verdicts WHERE run_id = ? AND cached = 0').get(run.id) as { n: number };
      expect(fresh.n).toBe(traceCount - verdictsBefore);
      const covered = writerOf(ws).prepare('SELECT count(DISTINCT trace_id) AS n FROM verdicts WHERE run_id = ?').get(run.id) as { n: number };
      expect(covered.n).toBe(traceCount);
      expect(run.errored).toBe(0);
      expect(ws.integrityCheck()).toBe('ok');
    } finally {
      ws.close();
    }
  }, 180_000);
});
