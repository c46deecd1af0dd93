import type Database from 'better-sqlite3';

/**
 * Schema migrations, applied in order inside one transaction each; PRAGMA user_version records the
 * last one applied. Never edit a shipped migration: add a new one, so old workspaces upgrade.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: traces, spans (summary columns + lazily-loaded JSON body), imports
  `
  CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    content_hash TEXT,
    format TEXT,
    started_at REAL NOT NULL,
    finished_at REAL,
    status TEXT NOT NULL,             -- running | ok | failed
    trace_count INTEGER NOT NULL DEFAULT 0,
    span_count INTEGER NOT NULL DEFAULT 0,
    warnings TEXT NOT NULL DEFAULT '[]',
    error TEXT
  );
  CREATE INDEX imports_hash ON imports(content_hash);

  CREATE TABLE traces (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    format TEXT NOT NULL,
    source_file TEXT NOT NULL,
    import_id INTEGER NOT NULL,
    service TEXT,
    version TEXT,
    session_id TEXT,
    start_ms REAL,
    end_ms REAL,
    duration_ms REAL,
    status TEXT NOT NULL,
    span_count INTEGER NOT NULL,
    error_count INTEGER NOT NULL,
    llm_calls INTEGER NOT NULL,
    tool_calls INTEGER NOT NULL,
    tool_errors INTEGER NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd REAL,
    imported_at REAL NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}'     -- TraceMeta input/output/metadata as JSON
  );
  CREATE INDEX traces_start ON traces(start_ms);
  CREATE INDEX traces_imported ON traces(imported_at);

  CREATE TABLE spans (
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL,
    parent_id TEXT,                     -- as the source said
    tree_parent_id TEXT,                -- after repairs (missing parents, cycles, synthetic root)
    seq INTEGER NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    start_ms REAL NOT NULL,
    end_ms REAL,
    model TEXT,
    tool_name TEXT,
    input_tokens INTEGER,
    output_tokens INTEGER,
    cost_usd REAL,
    body TEXT NOT NULL,                 -- JSON: attributes, events, messages, tool call, io …
    -- A rowid table, not WITHOUT ROWID: rows carry KB-sized bodies, and SQLite's WITHOUT ROWID
    -- B-trees are meant for small rows (measured: the span-tree query ran 2-3x slower).
    UNIQUE (trace_id, span_id)
  );
  CREATE INDEX spans_seq ON spans(trace_id, seq);
  CREATE INDEX spans_tool ON spans(tool_name) WHERE tool_name IS NOT NULL;
  `,
  // 2: human labels and failure modes. Keyed by trace id and not tied to spans or imports, so
  // labels survive a re-import of the same traces.
  `
  CREATE TABLE labels (
    trace_id TEXT PRIMARY KEY,
    verdict TEXT NOT NULL CHECK (verdict IN ('pass', 'fail', 'defer')),
    critique TEXT NOT NULL DEFAULT '',
    labeler TEXT NOT NULL DEFAULT '',
    split TEXT CHECK (split IN ('train', 'dev', 'test')),
    updated_at REAL NOT NULL
  );
  CREATE TABLE failure_modes (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    definition TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL
  );
  CREATE TABLE trace_failure_modes (
    trace_id TEXT NOT NULL,
    mode_id INTEGER NOT NULL REFERENCES failure_modes(id) ON DELETE CASCADE,
    PRIMARY KEY (trace_id, mode_id)
  ) WITHOUT ROWID;
  CREATE INDEX trace_failure_modes_mode ON trace_failure_modes(mode_id);
  `,
  // 3: scenarios with an ideal trajectory (src/core/trajectory/scenarioStore.ts). The validated
  // scenario JSON is the body; traces are matched to scenarios on demand, not stored here.
  `
  CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    name TEXT,
    body TEXT NOT NULL,
    source_file TEXT,                   -- the *.scenario.json it was loaded from; null when saved in the app
    updated_at REAL NOT NULL
  ) WITHOUT ROWID;
  `,
  // 4: judges, their versions, judge runs and verdicts (src/core/judges/store.ts), endpoint
  // settings of LLM judges (never the API key).
  `
  CREATE TABLE judges (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('code', 'llm', 'agentic')),
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    gating INTEGER NOT NULL DEFAULT 1,
    tags TEXT NOT NULL DEFAULT '[]',
    source TEXT NOT NULL,                -- the whole judge file
    hash TEXT NOT NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE judge_versions (          -- every version a run used, so old verdicts stay explainable
    hash TEXT PRIMARY KEY,
    judge_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    created_at REAL NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE judge_runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    started_at REAL NOT NULL,
    finished_at REAL,
    status TEXT NOT NULL,                -- running | done | cancelled | failed
    selection TEXT NOT NULL DEFAULT '{}',
    judges TEXT NOT NULL DEFAULT '[]',   -- [{id, name, kind, hash, gating, model}]
    model TEXT,
    total INTEGER NOT NULL DEFAULT 0,
    done INTEGER NOT NULL DEFAULT 0,
    passed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    errored INTEGER NOT NULL DEFAULT 0,
    cached INTEGER NOT NULL DEFAULT 0,
    error TEXT,
    owner_pid INTEGER                    -- process running it (a run whose process died is over)
  );
  CREATE TABLE verdicts (
    id INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES judge_runs(id) ON DELETE CASCADE,
    judge_id TEXT NOT NULL,
    judge_hash TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    trace_import_id INTEGER,             -- cache validity: a re-imported (or merged) trace is judged again
    model TEXT NOT NULL DEFAULT '',      -- '' for code judges
    status TEXT NOT NULL CHECK (status IN ('pass', 'fail', 'error')),
    score REAL,
    rationale TEXT NOT NULL DEFAULT '',
    evidence TEXT NOT NULL DEFAULT '[]',
    error TEXT,
    duration_ms REAL NOT NULL DEFAULT 0,
    cached INTEGER NOT NULL DEFAULT 0,
    detail TEXT,                         -- JSON: logs, transcript, usage
    created_at REAL NOT NULL
  );
  CREATE INDEX verdicts_run ON verdicts(run_id, judge_id);
  CREATE INDEX verdicts_trace ON verdicts(trace_id);
  CREATE INDEX verdicts_cache ON verdicts(judge_hash, model, trace_id) WHERE status != 'error';
  CREATE TABLE judge_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 5: trace view (src/backend/traceView.ts, spanTextIndex.ts). spans_skeleton covers what the
  // tree/timeline reads, so a 100k-span trace loads without touching the row bodies (measured
  // ~1.2 s → ~0.2 s). span_text is a trigram index over span bodies, filled per trace on demand:
  // contentless (no second copy of the bodies), rows mapped to spans through span_text_map;
  // span_text_state records which version of a trace the index holds. trace_view_cache keeps the
  // encoded span columns and analysis of big traces (derived data, keyed by trace version).
  `
  CREATE INDEX spans_skeleton ON spans(trace_id, seq, span_id, tree_parent_id, name, kind, status,
    start_ms, end_ms, model, tool_name, input_tokens, output_tokens, cost_usd);
  CREATE TABLE span_text_map (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    trace_id TEXT NOT NULL,
    span_id TEXT NOT NULL
  );
  CREATE INDEX span_text_map_trace ON span_text_map(trace_id);
  CREATE VIRTUAL TABLE span_text USING fts5(
    text, tokenize = 'trigram', detail = 'none', content = '', contentless_delete = 1);
  CREATE TABLE span_text_state (
    trace_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    complete INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE trace_view_cache (
    trace_id TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    columns TEXT,
    analysis TEXT
  );
  `,
  // 6: evaluations recorded in the imported files (Langfuse scores, LangSmith feedback, Inspect
  // scores, Phoenix annotations, MLflow assessments), replaced with their trace on re-import;
  // traces get their pass / fail counts for the library's columns and filters.
  `
  CREATE TABLE recorded_evaluations (
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL,
    seq INTEGER NOT NULL,                -- order in the file
    name TEXT NOT NULL,
    source TEXT NOT NULL,
    value TEXT,                          -- JSON
    pass INTEGER,                        -- 1 pass, 0 fail, NULL no verdict
    comment TEXT,
    span_id TEXT,
    author TEXT,
    time_ms REAL
  );
  CREATE INDEX recorded_evaluations_trace ON recorded_evaluations(trace_id, seq);
  CREATE INDEX recorded_evaluations_name ON recorded_evaluations(name);
  ALTER TABLE traces ADD COLUMN eval_pass INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE traces ADD COLUMN eval_fail INTEGER NOT NULL DEFAULT 0;
  `,
  // 7: sessions / threads (src/core/store/sessionStore.ts). traces.session_id has been written at
  // import since migration 1; it gets an index for the Sessions page and the library's session
  // filter, and rows whose column was left empty while their stored meta names a session are
  // backfilled from it (cheap: one pass over the traces table, no span is read).
  `
  UPDATE traces SET session_id = json_extract(meta, '$.sessionId')
   WHERE session_id IS NULL AND json_valid(meta) AND json_type(meta, '$.sessionId') = 'text';
  CREATE INDEX traces_session ON traces(session_id, start_ms) WHERE session_id IS NOT NULL;
  `,
  // 8: replayed LLM calls saved as variants (src/core/store/variantStore.ts): a variant is a trace
  // of its own (a copy of the source trace with one LLM span's request and response replaced),
  // so every judge path works on it; this table links it back to the span it replays. Variants
  // are made in the app, never imported, so staged imports have nothing of this table to publish.
  `
  CREATE TABLE trace_variants (
    trace_id TEXT PRIMARY KEY,
    source_trace_id TEXT NOT NULL,
    source_span_id TEXT NOT NULL,
    model TEXT NOT NULL,
    request TEXT NOT NULL,               -- the edited request sent (JSON; never an API key)
    created_at REAL NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX trace_variants_source ON trace_variants(source_trace_id, source_span_id);
  `,
  // 9: (issue 14, src/core/store/evalStore.ts) text embeddings for cluster sampling, cached by
  // vector space (endpoint + model) and text hash — derived data keyed by text, not by trace, so
  // staging has nothing to copy; and the one test-split measurement of each judge drafted from a
  // failure mode (the test split is run once: its figures are the ones to report).
  `
  CREATE TABLE text_embeddings (
    space TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    vector BLOB NOT NULL,               -- Float32 little-endian
    created_at REAL NOT NULL,
    PRIMARY KEY (space, text_hash)
  ) WITHOUT ROWID;
  CREATE TABLE judge_test_results (
    judge_id TEXT PRIMARY KEY,
    judge_hash TEXT NOT NULL,
    mode TEXT NOT NULL,
    figures TEXT NOT NULL,              -- JSON: SplitFigures of the test split
    created_at REAL NOT NULL
  );
  `,
  // 10: open coding (src/core/store/spanNotesStore.ts): notes on a span (span_id) or on the whole
  // trace (span_id NULL); at most one note per trace marks the span of the first failure. A note
  // is coded to at most one failure mode (axial coding). Keyed by trace and span id, like labels,
  // so notes survive a re-import. labels.reviewed_at: when a trace was first labelled (the review
  // order of the saturation curve; updated_at moves on every edit).
  `
  CREATE TABLE span_notes (
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL,
    span_id TEXT,
    text TEXT NOT NULL DEFAULT '',
    first_failure INTEGER NOT NULL DEFAULT 0,
    mode_id INTEGER REFERENCES failure_modes(id) ON DELETE SET NULL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
  );
  CREATE INDEX span_notes_trace ON span_notes(trace_id, span_id);
  CREATE INDEX span_notes_mode ON span_notes(mode_id) WHERE mode_id IS NOT NULL;
  CREATE UNIQUE INDEX span_notes_first_failure ON span_notes(trace_id) WHERE first_failure = 1;
  ALTER TABLE labels ADD COLUMN reviewed_at REAL;
  UPDATE labels SET reviewed_at = updated_at;
  `,
  // 11: (issue 13) look-ups by span in the text-index map: a live OTLP request re-indexes the spans
  // it merged (store/view.ts indexMergedSpans), and with only the trace_id index each look-up read
  // every map row of the trace, so requests slowed down as the trace grew. (trace_id, span_id)
  // also serves every trace_id look-up the old index did.
  `
  DROP INDEX span_text_map_trace;
  CREATE INDEX span_text_map_span ON span_text_map(trace_id, span_id);
  `,
  // 12: (issue 13) the library's sortable columns (store/traceQuery.ts TRACE_SORT_COLUMNS): a
  // 200-row page of 100k traces sorted by a column without an index read and sorted every row.
  // With (column, id) a page is an index walk (ascending fully ordered, descending with ties
  // sorted by id per value); start_ms and imported_at have had indexes since migration 1.
  `
  CREATE INDEX traces_name ON traces(name, id);
  CREATE INDEX traces_format ON traces(format, id);
  CREATE INDEX traces_duration ON traces(duration_ms, id);
  CREATE INDEX traces_status ON traces(status, id);
  CREATE INDEX traces_spans ON traces(span_count, id);
  CREATE INDEX traces_llm ON traces(llm_calls, id);
  CREATE INDEX traces_tools ON traces(tool_calls, id);
  CREATE INDEX traces_tool_errors ON traces(tool_errors, id);
  CREATE INDEX traces_eval_fail ON traces(eval_fail, id);
  CREATE INDEX traces_tokens ON traces((input_tokens + output_tokens), id);
  CREATE INDEX traces_cost ON traces(cost_usd, id);
  `,
  // 13: (issue 13) the library's text filter (store/traceQuery.ts): a trigram index over the
  // text it searches (name, id, service, source file) so a filter reads its candidates instead
  // of every trace — at 100k traces a needle found nowhere scanned the whole table twice (page
  // and count, ~0.3 s). Like span_text (migration 5): contentless FTS5 with detail=none, rows
  // mapped to traces by id through trace_text_map (a traces rowid is not stable: REPLACE and
  // VACUUM renumber it), and every candidate checked on the row, so results equal the scan's.
  // Triggers keep it current for every writer (import and publish, live OTLP, variants,
  // deletes): REPLACE deletes the old row without firing delete triggers, so the insert trigger
  // first drops whatever the map still holds for that id.
  `
  CREATE TABLE trace_text_map (
    id INTEGER PRIMARY KEY,
    trace_id TEXT NOT NULL UNIQUE
  );
  CREATE VIRTUAL TABLE trace_text USING fts5(
    text, tokenize = 'trigram', detail = 'none', content = '', contentless_delete = 1);
  CREATE TRIGGER trace_text_insert AFTER INSERT ON traces BEGIN
    DELETE FROM trace_text WHERE rowid IN (SELECT id FROM trace_text_map WHERE trace_id = NEW.id);
    DELETE FROM trace_text_map WHERE trace_id = NEW.id;
    INSERT INTO trace_text_map (trace_id) VALUES (NEW.id);
    INSERT INTO trace_text (rowid, text) VALUES (last_insert_rowid(),
      NEW.name || char(10) || NEW.id || char(10) || coalesce(NEW.service, '') || char(10) || NEW.source_file);
  END;
  CREATE TRIGGER trace_text_update AFTER UPDATE OF id, name, service, source_file ON traces BEGIN
    DELETE FROM trace_text WHERE rowid IN (SELECT id FROM trace_text_map WHERE trace_id IN (OLD.id, NEW.id));
    DELETE FROM trace_text_map WHERE trace_id IN (OLD.id, NEW.id);
    INSERT INTO trace_text_map (trace_id) VALUES (NEW.id);
    INSERT INTO trace_text (rowid, text) VALUES (last_insert_rowid(),
      NEW.name || char(10) || NEW.id || char(10) || coalesce(NEW.service, '') || char(10) || NEW.source_file);
  END;
  CREATE TRIGGER trace_text_delete AFTER DELETE ON traces BEGIN
    DELETE FROM trace_text WHERE rowid IN (SELECT id FROM trace_text_map WHERE trace_id = OLD.id);
    DELETE FROM trace_text_map WHERE trace_id = OLD.id;
  END;
  INSERT INTO trace_text_map (trace_id) SELECT id FROM traces;
  INSERT INTO trace_text (rowid, text)
    SELECT m.id, t.name || char(10) || t.id || char(10) || coalesce(t.service, '') || char(10) || t.source_file
      FROM trace_text_map m JOIN traces t ON t.id = m.trace_id;
  `,
  // 14: (issue 13) the span text index merges its segments 8 at a time, not 4: a 100k-span
  // trace's build (50 chunks, one segment each) spent ~0.9 s of ~1.9 s merging at commits, now
  // ~0.6 s; searches read more segments but stayed at the same few ms (6 needles measured).
  `
  INSERT INTO span_text (span_text, rank) VALUES ('automerge', 8);
  `,
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(
      `workspace schema version ${current} is newer than this Tracedeck (${MIGRATIONS.length}); upgrade the app`,
    );
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
