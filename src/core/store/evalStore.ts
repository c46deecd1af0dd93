import type Database from 'better-sqlite3';
import { readerOf, writerOf } from './connection';
import type { Workspace } from './workspace';

/**
 * Tables of issue 14's evaluation workflow (migration 7): cached text embeddings and the
 * once-only test-split figures of judges drafted from failure modes; plus the reads of recorded
 * evaluations the cluster / score sampling uses.
 */

export interface TestResultRow {
  judgeId: string;
  judgeHash: string;
  mode: string;
  figures: unknown;
  createdAt: number;
}

export class EvalStore {
  constructor(private readonly db: Database.Database) {}

  /** Reads on the workspace's reader connection. */
  static reading(ws: Workspace): EvalStore {
    return new EvalStore(readerOf(ws));
  }

  /** Writes on the writer connection: only inside `ws.exclusive`. */
  static writing(ws: Workspace): EvalStore {
    return new EvalStore(writerOf(ws));
  }

  /** Cached vectors of these text hashes in one vector space. */
  getEmbeddings(space: string, hashes: readonly string[]): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const stmt = this.db.prepare('SELECT text_hash, vector FROM text_embeddings WHERE space = ? AND text_hash IN (SELECT value FROM json_each(?))');
    for (let i = 0; i < hashes.length; i += 500) {
      for (const r of stmt.all(space, JSON.stringify(hashes.slice(i, i + 500))) as { text_hash: string; vector: Buffer }[]) {
        const copy = new Uint8Array(r.vector); // aligned copy for the Float32 view
        out.set(r.text_hash, new Float32Array(copy.buffer, 0, copy.byteLength / 4));
      }
    }
    return out;
  }

  putEmbeddings(space: string, entries: readonly { hash: string; vector: Float32Array }[]): void {
    const stmt = this.db.prepare(
      'INSERT INTO text_embeddings (space, text_hash, vector, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET vector = excluded.vector',
    );
    const now = Date.now();
    this.db.transaction(() => {
      for (const e of entries) stmt.run(space, e.hash, Buffer.from(e.vector.buffer, e.vector.byteOffset, e.vector.byteLength), now);
    })();
  }

  getTestResult(judgeId: string): TestResultRow | null {
    const r = this.db.prepare('SELECT * FROM judge_test_results WHERE judge_id = ?').get(judgeId) as
      | { judge_id: string; judge_hash: string; mode: string; figures: string; created_at: number }
      | undefined;
    return r ? { judgeId: r.judge_id, judgeHash: r.judge_hash, mode: r.mode, figures: JSON.parse(r.figures), createdAt: r.created_at } : null;
  }

  /** Records the test-split figures; false when the judge has them already (once only). */
  putTestResult(r: Omit<TestResultRow, 'createdAt'>): boolean {
    const res = this.db
      .prepare('INSERT OR IGNORE INTO judge_test_results (judge_id, judge_hash, mode, figures, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(r.judgeId, r.judgeHash, r.mode, JSON.stringify(r.figures), Date.now());
    return res.changes === 1;
  }

  /** Names of recorded evaluations with how many traces carry each. */
  recordedNames(): { name: string; traces: number }[] {
    return this.db
      .prepare('SELECT name, count(DISTINCT trace_id) AS traces FROM recorded_evaluations WHERE trace_id IN (SELECT id FROM traces) GROUP BY name ORDER BY name')
      .all() as { name: string; traces: number }[];
  }

  /**
   * Per trace, the last recorded evaluation of that name: its verdict (1 / 0 / null) and value
   * (JSON text), in file order.
   */
  recordedScores(name: string): { traceId: string; pass: number | null; value: string | null }[] {
    const rows = this.db
      .prepare('SELECT trace_id, pass, value FROM recorded_evaluations WHERE name = ? AND trace_id IN (SELECT id FROM traces) ORDER BY trace_id, seq')
      .all(name) as { trace_id: string; pass: number | null; value: string | null }[];
    const last = new Map<string, { traceId: string; pass: number | null; value: string | null }>();
    for (const r of rows) last.set(r.trace_id, { traceId: r.trace_id, pass: r.pass, value: r.value });
    return [...last.values()];
  }

  /** Every trace id, oldest first. */
  traceIds(): string[] {
    return this.db.prepare('SELECT id FROM traces ORDER BY start_ms, id').pluck().all() as string[];
  }
}
