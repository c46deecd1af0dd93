/**
 * One measurement in a fresh process, so peak RSS (getrusage maxrss) belongs to it alone:
 *
 *   node --import tsx tests/bench/importChild.ts parse  <file>
 *   node --import tsx tests/bench/importChild.ts import <file> [workspace dir]
 *
 * Prints one JSON line (ChildResult) on stdout. `parse` is the baseline: read the whole file and
 * JSON.parse it, as a naive importer would. `import` is Tracedeck's real pipeline (detection,
 * hashing, streaming parse, SQLite writes, repairs, aggregates) into a fresh workspace.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writerOf } from '../../src/core/store/connection';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ChildResult {
  mode: 'parse' | 'import';
  ok: boolean;
  error?: string;
  fileBytes: number;
  ms: number;
  /** RSS just before the measured work started (modules loaded, workspace open). */
  rssBeforeBytes: number;
  /** Peak RSS of the whole process (getrusage). */
  maxRssBytes: number;
  /** Spans found by JSON.parse, or spans stored by the import (synthetic roots excluded). */
  spans: number;
  traces?: number;
  format?: string;
  warnings?: number;
}

async function measure(mode: string, file: string, wsDir?: string): Promise<ChildResult> {
  const fileBytes = statSync(file).size;
  const base = { fileBytes, rssBeforeBytes: 0, maxRssBytes: 0, ms: 0, spans: 0 };
  if (mode === 'parse') {
    const rssBeforeBytes = process.memoryUsage().rss;
    const t0 = performance.now();
    const doc = JSON.parse(readFileSync(file, 'utf8')) as {
      resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[];
    };
    let spans = 0;
    for (const rs of doc.resourceSpans ?? []) for (const ss of rs.scopeSpans ?? []) spans += ss.spans?.length ?? 0;
    const ms = performance.now() - t0;
    return { ...base, mode: 'parse', ok: true, ms, rssBeforeBytes, spans };
  }
  if (mode === 'import') {
    const { Workspace } = await import('../../src/core/store/workspace');
    const { importFile } = await import('../../src/core/import/importFile');
    const dir = wsDir ?? mkdtempSync(join(tmpdir(), 'tracedeck-bench-ws-'));
    const ws = Workspace.open(join(dir, 'bench.tracedeck'));
    try {
      const rssBeforeBytes = process.memoryUsage().rss;
      const t0 = performance.now();
      const res = await importFile(ws, file);
      const ms = performance.now() - t0;
      const stored = writerOf(ws).prepare('SELECT count(*) AS n FROM spans WHERE seq >= 0').get() as { n: number };
      return {
        ...base,
        mode: 'import',
        ok: true,
        ms,
        rssBeforeBytes,
        spans: stored.n,
        traces: res.traceIds.length,
        format: res.format,
        warnings: res.warnings.length,
      };
    } finally {
      ws.close();
      if (!wsDir) rmSync(dir, { recursive: true, force: true });
    }
  }
  throw new Error(`unknown mode '${mode}' (parse | import)`);
}

const [mode, file, wsDir] = process.argv.slice(2);
if (!mode || !file) {
  console.error('usage: importChild.ts parse|import <file> [workspace dir]');
  process.exit(2);
}
measure(mode, file, wsDir)
  .catch((e: unknown): ChildResult => ({
    mode: mode as ChildResult['mode'],
    ok: false,
    error: e instanceof Error ? `${e.name}: ${e.message}` : String(e),
    fileBytes: 0,
    ms: 0,
    rssBeforeBytes: 0,
    maxRssBytes: 0,
    spans: 0,
  }))
  .then((r) => {
    r.maxRssBytes = process.resourceUsage().maxRSS * 1024;
    process.stdout.write(`${JSON.stringify(r)}\n`);
  });
