/**
 * A big file's span rows are inserted into its staging file on a worker thread while it is parsed
 * (store/spanRowsWorker.ts). What is stored must be exactly what the import's own thread stores,
 * a failure on either side must leave the workspace as it was, and the worker's SQLite errors
 * must reach the import with their code.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { spanRowsOffThread } from '../../../src/core/store/spanRowsWorker';
import { ImportError } from '../../../src/core/util/errors';
import { generateOtlpFile } from '../../bench/genOtlp';
import { tempWorkspace } from '../../helpers/tempWorkspace';

const FIXTURES = join(__dirname, '../../fixtures');
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function workspace() {
  const t = tempWorkspace();
  cleanups.push(t.cleanup);
  return t;
}

/** Every stored span and trace row, in storage order (import times left out: they differ). */
async function stored(file: string, rowsOffThread: boolean) {
  const { ws, dir } = workspace();
  const r = await importFile(ws, file, { rowsOffThread });
  const db = new Database(join(dir, 'test.tracedeck'), { readonly: true });
  try {
    return {
      result: { traceIds: r.traceIds, spanCount: r.spanCount, warnings: r.warnings },
      spans: db.prepare('SELECT rowid, * FROM spans ORDER BY rowid').all(),
      traces: db.prepare('SELECT * FROM traces ORDER BY rowid').all().map((t) => ({ ...(t as object), imported_at: 0 })),
    };
  } finally {
    db.close();
  }
}

describe('span rows inserted off the import thread', () => {
  it.each([
    'otlp-json/handmade-otlp-session-three-turns.json',
    'otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json',
    'jaeger-json/jaeger-ui-download-2992f2a5-follows-from.json',
    'langfuse/handmade-langfuse-langgraph-parent-missing.trace.json',
    'claude-code/cc-spotter-short-tool-errors.jsonl',
  ])('stores %s exactly as the import thread does', async (name) => {
    const file = join(FIXTURES, name);
    expect(await stored(file, true)).toEqual(await stored(file, false));
  });

  it('stores a generated multi-trace export (repairs, several batches of rows) exactly the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-rows-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'agents.otlp.json');
    const gen = await generateOtlpFile({ path: file, spans: 5000, seed: 3 });
    const off = await stored(file, true);
    expect(off.spans).toHaveLength(gen.spans);
    expect(off).toEqual(await stored(file, false));
  }, 60_000);

  it('a parse error after many rows fails the import, stops the worker and leaves the workspace as it was', async () => {
    const { ws, dir } = workspace();
    const file = join(dir, 'cut.otlp.json');
    const gen = join(dir, 'whole.otlp.json');
    await generateOtlpFile({ path: gen, spans: 3000, seed: 5 });
    const text = readFileSync(gen, 'utf8');
    writeFileSync(file, `${text.slice(0, Math.floor(text.length * 0.8))}}}]]`);
    await expect(importFile(ws, file, { rowsOffThread: true })).rejects.toBeInstanceOf(ImportError);
    expect(ws.listTraces({}).total).toBe(0);
    expect(readdirSync(dir).filter((n) => n.includes('staging'))).toEqual([]);
  }, 60_000);

  it("passes the worker's SQLite error on with its code", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-rows-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'staging');
    const db = new Database(path);
    db.exec('CREATE TABLE t (a TEXT NOT NULL)');
    db.close();
    const rows = spanRowsOffThread(path, 'INSERT INTO t (a) VALUES (?)');
    rows.add(['x']);
    rows.add([null]);
    await expect(rows.done()).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_NOTNULL' });
    rows.stop();
  });
});
