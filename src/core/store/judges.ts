import { readerOf, writerOf } from './connection';
import type Database from 'better-sqlite3';
import type { Workspace } from './workspace';
import { parseJudgeFile, judgeFileName } from '../judges/judgeFiles';
import type {
  JudgeRunRecord,
  JudgeRunStatus,
  RunJudgeRef,
  VerdictDetail,
  VerdictRecord,
} from '../model/judges';
import { DEFAULT_LLM_SETTINGS, type JudgeKind, type JudgeSpec, type LlmSettings, type VerdictOutcome, type VerdictStatus } from '../judges/types';
import { processAlive } from '../util/processAlive';

/** A judge stored in the workspace. */
export interface JudgeRecord extends JudgeSpec {
  createdAt: number;
  updatedAt: number;
}

export type RunStatus = JudgeRunStatus;
export type RunRecord = JudgeRunRecord;
export type { RunJudgeRef, VerdictRecord, VerdictDetail };

export interface VerdictQuery {
  runId?: number;
  judgeId?: string;
  traceId?: string;
  status?: VerdictStatus;
  limit?: number;
  offset?: number;
}

/** A verdict to insert (the runner's unit of output). */
export interface NewVerdict {
  judgeId: string;
  judgeHash: string;
  traceId: string;
  /** The trace's import id when judged (cache validity); absent = unknown, never a cache hit. */
  traceImportId?: number | null;
  /** Old name of the field above, still accepted (ignored) so earlier callers compile. */
  traceImportedAt?: number | null;
  outcome: VerdictOutcome;
  cached: boolean;
}

const SETTINGS_KEY = 'llm';

/**
 * Judges, runs and verdicts in the workspace DB. Reads go through the read-only connection;
 * writes through the writer, and callers must wrap them in `ws.exclusive` (an import holds a
 * transaction open on the writer for a whole file, and a write outside the queue would join it).
 */
export class JudgeStore {
  /** Writer (use inside ws.exclusive) and the read-only connection (committed state only). */
  private readonly db: Database.Database;
  private readonly r: Database.Database;

  constructor(readonly ws: Workspace) {
    this.db = writerOf(ws);
    this.r = readerOf(ws);
  }

  /** Per judge of a run: how many of its verdicts failed and errored. */
  verdictFailureCounts(runId: number): { judgeId: string; failed: number; errored: number }[] {
    return (
      this.r
        .prepare(
          `SELECT judge_id, sum(status = 'fail') AS failed, sum(status = 'error') AS errored
             FROM verdicts WHERE run_id = ? GROUP BY judge_id`,
        )
        .all(runId) as { judge_id: string; failed: number; errored: number }[]
    ).map((r) => ({ judgeId: r.judge_id, failed: r.failed, errored: r.errored }));
  }

  // ---- judges --------------------------------------------------------------------------------

  listJudges(): JudgeRecord[] {
    return (this.r.prepare('SELECT * FROM judges ORDER BY id').all() as JudgeRow[]).map(rowToJudge);
  }

  /** `on`: the writer, to read back a row inside the write transaction that wrote it. */
  getJudge(id: string, on: Database.Database = this.r): JudgeRecord | null {
    const r = on.prepare('SELECT * FROM judges WHERE id = ?').get(id) as JudgeRow | undefined;
    return r ? rowToJudge(r) : null;
  }

  /** Insert or replace a judge (parsed from its file text; throws JudgeFileError when invalid). */
  saveJudge(id: string, kind: JudgeKind, source: string): JudgeRecord {
    const spec = parseJudgeFile(judgeFileName(id, kind), source);
    return this.upsert(spec);
  }

  upsert(spec: JudgeSpec): JudgeRecord {
    const now = Date.now();
    this.db
      .prepare(
        `INSERT INTO judges (id, kind, name, description, gating, tags, source, hash, created_at, updated_at)
         VALUES (@id, @kind, @name, @description, @gating, @tags, @source, @hash, @now, @now)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
           description = excluded.description, gating = excluded.gating, tags = excluded.tags,
           source = excluded.source, hash = excluded.hash,
           updated_at = CASE WHEN judges.hash = excluded.hash THEN judges.updated_at ELSE excluded.updated_at END`,
      )
      .run({
        id: spec.id,
        kind: spec.kind,
        name: spec.name,
        description: spec.description,
        gating: spec.gating ? 1 : 0,
        tags: JSON.stringify(spec.tags),
        source: spec.source,
        hash: spec.hash,
        now,
      });
    // Through the writer: inside ws.exclusive (BEGIN IMMEDIATE) the reader cannot see this row yet.
    return this.getJudge(spec.id, this.db)!;
  }

  deleteJudge(id: string): boolean {
    return this.db.prepare('DELETE FROM judges WHERE id = ?').run(id).changes > 0;
  }

  /** Keep the exact source of a version a run used. */
  recordVersion(spec: JudgeSpec): void {
    this.db
      .prepare('INSERT OR IGNORE INTO judge_versions (hash, judge_id, kind, source, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(spec.hash, spec.id, spec.kind, spec.source, Date.now());
  }

  judgeVersion(hash: string): { judgeId: string; kind: JudgeKind; source: string } | null {
    const r = this.r.prepare('SELECT judge_id, kind, source FROM judge_versions WHERE hash = ?').get(hash) as
      | { judge_id: string; kind: JudgeKind; source: string }
      | undefined;
    return r ? { judgeId: r.judge_id, kind: r.kind, source: r.source } : null;
  }

  // ---- runs ----------------------------------------------------------------------------------

  createRun(name: string, selection: unknown, judges: RunJudgeRef[], total: number, model: string | null): RunRecord {
    const info = this.db
      .prepare(
        `INSERT INTO judge_runs (name, started_at, status, selection, judges, model, total, owner_pid)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?)`,
      )
      .run(name, Date.now(), JSON.stringify(selection ?? {}), JSON.stringify(judges), model, total, process.pid);
    // Through the writer, as in upsert: the run row is not committed yet.
    return rowToRun(this.db.prepare('SELECT * FROM judge_runs WHERE id = ?').get(Number(info.lastInsertRowid)) as RunRow);
  }

  updateRunProgress(id: number, c: { done: number; passed: number; failed: number; errored: number; cached: number }): void {
    this.db
      .prepare('UPDATE judge_runs SET done = ?, passed = ?, failed = ?, errored = ?, cached = ? WHERE id = ?')
      .run(c.done, c.passed, c.failed, c.errored, c.cached, id);
  }

  finishRun(id: number, status: RunStatus, error: string | null = null): void {
    this.db.prepare('UPDATE judge_runs SET status = ?, finished_at = ?, error = ? WHERE id = ?').run(status, Date.now(), error, id);
  }

  getRun(id: number): RunRecord | null {
    const r = this.r.prepare('SELECT * FROM judge_runs WHERE id = ?').get(id) as RunRow | undefined;
    return r ? rowToRun(r) : null;
  }

  listRuns(limit = 100): RunRecord[] {
    return (this.r.prepare('SELECT * FROM judge_runs ORDER BY id DESC LIMIT ?').all(limit) as RunRow[]).map(rowToRun);
  }

  /**
   * Runs left 'running' by a process that died are over. Only dead owners count: the desktop app
   * and the CLI may share a workspace, and one must not end the other's run.
   */
  markStaleRuns(): number {
    const running = this.db.prepare(`SELECT id, owner_pid FROM judge_runs WHERE status = 'running'`).all() as {
      id: number;
      owner_pid: number | null;
    }[];
    const stale = running.filter((r) => r.owner_pid === null || !processAlive(r.owner_pid));
    const stmt = this.db.prepare(`UPDATE judge_runs SET status = 'failed', finished_at = ?, error = 'interrupted' WHERE id = ?`);
    for (const r of stale) stmt.run(Date.now(), r.id);
    return stale.length;
  }

  deleteRun(id: number): boolean {
    return this.db.prepare('DELETE FROM judge_runs WHERE id = ?').run(id).changes > 0;
  }

  // ---- verdicts ------------------------------------------------------------------------------

  insertVerdicts(runId: number, vs: readonly NewVerdict[]): void {
    const stmt = this.db.prepare(
      `INSERT INTO verdicts (run_id, judge_id, judge_hash, trace_id, trace_import_id, model, status, score,
                             rationale, evidence, error, duration_ms, cached, detail, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const v of vs) {
        const o = v.outcome;
        const detail: VerdictDetail = {};
        if (o.logs?.length) detail.logs = o.logs;
        if (o.transcript?.length) detail.transcript = o.transcript;
        if (o.usage) detail.usage = o.usage;
        stmt.run(
          runId,
          v.judgeId,
          v.judgeHash,
          v.traceId,
          v.traceImportId ?? null,
          o.model ?? '',
          o.status,
          o.score ?? null,
          o.rationale,
          JSON.stringify(o.evidenceSpanIds),
          o.error ?? null,
          o.durationMs,
          v.cached ? 1 : 0,
          Object.keys(detail).length ? JSON.stringify(detail) : null,
          now,
        );
      }
    })();
  }

  listVerdicts(q: VerdictQuery = {}): { rows: VerdictRecord[]; total: number } {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.runId !== undefined) (where.push('run_id = @runId'), (params.runId = q.runId));
    if (q.judgeId !== undefined) (where.push('judge_id = @judgeId'), (params.judgeId = q.judgeId));
    if (q.traceId !== undefined) (where.push('trace_id = @traceId'), (params.traceId = q.traceId));
    if (q.status !== undefined) (where.push('status = @status'), (params.status = q.status));
    const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const limit = Math.max(1, Math.min(q.limit ?? 1000, 100_000));
    const offset = Math.max(0, q.offset ?? 0);
    const rows = this.r
      .prepare(
        `SELECT id, run_id, judge_id, judge_hash, trace_id, model, status, score, rationale, evidence, error,
                duration_ms, cached, created_at,
                (SELECT t.name FROM traces t WHERE t.id = verdicts.trace_id) AS trace_name
           FROM verdicts ${w} ORDER BY id LIMIT ${limit} OFFSET ${offset}`,
      )
      .all(params) as VerdictRow[];
    const total = (this.r.prepare(`SELECT count(*) AS n FROM verdicts ${w}`).get(params) as { n: number }).n;
    return { rows: rows.map(rowToVerdict), total };
  }

  /** Every verdict of a run, streamed (exports of big runs). */
  *iterateVerdicts(runId: number): Generator<VerdictRecord> {
    for (const r of this.r
      .prepare(
        `SELECT id, run_id, judge_id, judge_hash, trace_id, model, status, score, rationale, evidence, error,
                duration_ms, cached, created_at FROM verdicts WHERE run_id = ? ORDER BY id`,
      )
      .iterate(runId)) {
      yield rowToVerdict(r as VerdictRow);
    }
  }

  verdictDetail(id: number): VerdictDetail | null {
    const r = this.r.prepare('SELECT detail FROM verdicts WHERE id = ?').get(id) as { detail: string | null } | undefined;
    if (!r) return null;
    return r.detail ? (JSON.parse(r.detail) as VerdictDetail) : {};
  }

  /**
   * Cached verdicts of one judge version and model: trace id → outcome and the trace version
   * (import id) it was judged on. Errors are never cached.
   */
  cachedVerdicts(judgeHash: string, model: string | null): Map<string, { traceVersion: number | null; outcome: VerdictOutcome }> {
    const rows = this.r
      .prepare(
        `SELECT v.trace_id, v.trace_import_id, v.status, v.score, v.rationale, v.evidence, v.duration_ms, v.detail, v.model
           FROM verdicts v
          WHERE v.judge_hash = ? AND v.model = ? AND v.status != 'error'
          ORDER BY v.id`,
      )
      .all(judgeHash, model ?? '') as {
      trace_id: string;
      trace_import_id: number | null;
      status: VerdictStatus;
      score: number | null;
      rationale: string;
      evidence: string;
      duration_ms: number;
      detail: string | null;
      model: string;
    }[];
    const out = new Map<string, { traceVersion: number | null; outcome: VerdictOutcome }>();
    for (const r of rows) {
      const detail = r.detail ? (JSON.parse(r.detail) as VerdictDetail) : {};
      const outcome: VerdictOutcome = {
        status: r.status,
        rationale: r.rationale,
        evidenceSpanIds: JSON.parse(r.evidence) as string[],
        durationMs: r.duration_ms,
        model: r.model || null,
        ...detail,
      };
      if (r.score !== null) outcome.score = r.score;
      out.set(r.trace_id, { traceVersion: r.trace_import_id, outcome });
    }
    return out;
  }

  /**
   * The import that last wrote each stored trace (cache validity): a forced re-import or an
   * OTLP request adding spans gives the trace a new import id, and its verdicts are stale.
   */
  traceVersions(traceIds: readonly string[]): Map<string, number> {
    const stmt = this.r.prepare('SELECT import_id FROM traces WHERE id = ?').pluck();
    const out = new Map<string, number>();
    for (const id of traceIds) {
      const v = stmt.get(id) as number | undefined;
      if (v !== undefined) out.set(id, v);
    }
    return out;
  }

  // ---- settings ------------------------------------------------------------------------------

  getLlmSettings(): LlmSettings {
    const r = this.r.prepare('SELECT value FROM judge_settings WHERE key = ?').get(SETTINGS_KEY) as { value: string } | undefined;
    if (!r) return { ...DEFAULT_LLM_SETTINGS };
    try {
      return { ...DEFAULT_LLM_SETTINGS, ...(JSON.parse(r.value) as Partial<LlmSettings>) };
    } catch {
      return { ...DEFAULT_LLM_SETTINGS };
    }
  }

  setLlmSettings(s: LlmSettings): LlmSettings {
    // Whitelist: whatever else arrives (an apiKey field, say) is never written to the DB.
    const clean: LlmSettings = {
      baseUrl: s.baseUrl,
      model: s.model,
      temperature: s.temperature,
      timeoutMs: s.timeoutMs,
      maxRetries: s.maxRetries,
      structuredOutput: s.structuredOutput,
    };
    if (s.apiVersion) clean.apiVersion = s.apiVersion;
    if (s.embeddingModel) clean.embeddingModel = s.embeddingModel;
    this.db
      .prepare('INSERT INTO judge_settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(SETTINGS_KEY, JSON.stringify(clean));
    return clean;
  }
}

interface JudgeRow {
  id: string;
  kind: JudgeKind;
  name: string;
  description: string;
  gating: number;
  tags: string;
  source: string;
  hash: string;
  created_at: number;
  updated_at: number;
}

function rowToJudge(r: JudgeRow): JudgeRecord {
  // Re-parse for the kind-specific fields (template, model…); the row is what was validated.
  let spec: JudgeSpec;
  try {
    spec = parseJudgeFile(judgeFileName(r.id, r.kind), r.source);
  } catch {
    spec = {
      id: r.id,
      kind: r.kind,
      name: r.name,
      description: r.description,
      gating: !!r.gating,
      tags: JSON.parse(r.tags) as string[],
      source: r.source,
      hash: r.hash,
    };
  }
  return { ...spec, createdAt: r.created_at, updatedAt: r.updated_at };
}

interface RunRow {
  id: number;
  name: string;
  started_at: number;
  finished_at: number | null;
  status: RunStatus;
  selection: string;
  judges: string;
  model: string | null;
  total: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  cached: number;
  error: string | null;
}

function rowToRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    name: r.name,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    status: r.status,
    selection: JSON.parse(r.selection) as unknown,
    judges: JSON.parse(r.judges) as RunJudgeRef[],
    model: r.model,
    total: r.total,
    done: r.done,
    passed: r.passed,
    failed: r.failed,
    errored: r.errored,
    cached: r.cached,
    error: r.error,
  };
}

interface VerdictRow {
  id: number;
  run_id: number;
  judge_id: string;
  judge_hash: string;
  trace_id: string;
  model: string;
  status: VerdictStatus;
  score: number | null;
  rationale: string;
  evidence: string;
  error: string | null;
  duration_ms: number;
  cached: number;
  created_at: number;
  /** listVerdicts only: the trace's name (null when the trace is gone). */
  trace_name?: string | null;
}

function rowToVerdict(r: VerdictRow): VerdictRecord {
  return {
    id: r.id,
    runId: r.run_id,
    judgeId: r.judge_id,
    judgeHash: r.judge_hash,
    traceId: r.trace_id,
    model: r.model || null,
    status: r.status,
    score: r.score,
    rationale: r.rationale,
    evidenceSpanIds: JSON.parse(r.evidence) as string[],
    error: r.error,
    durationMs: r.duration_ms,
    cached: !!r.cached,
    createdAt: r.created_at,
    ...(r.trace_name !== undefined ? { traceName: r.trace_name } : {}),
  };
}
