import type { FormatId, RecordedEvaluationInput, Span, TraceMeta } from '../model/types';

/** A trace already in the workspace, as an importer may read it back (see ImportSource.storedTrace). */
export interface StoredTrace {
  sourceFile: string;
  meta: Omit<TraceMeta, 'traceId'>;
  spans: Span[];
}

/**
 * What an importer reads from. `head` is enough to sniff; `chunks()` streams the whole file so a
 * 150 MB export never has to sit in memory as one string; `readAll()` is for small or binary
 * formats (zip, protobuf, JSONL session logs) that are cheaper to take whole.
 */
export interface ImportSource {
  /** Display name used in every error message (usually the path). */
  name: string;
  size: number;
  /** First bytes of the file (up to 64 KiB), already gunzipped when the file was gzip. */
  head: Buffer;
  chunks(): AsyncIterable<Buffer>;
  readAll(): Promise<Buffer>;
  /** Sibling files, for formats that link files (Claude Code sub-agents). May be absent. */
  siblings?: () => Promise<string[]>;
  /** The file's path on disk when it has one (the name may be an upload's display name). */
  path?: string;
  /**
   * The stored trace with this id, for formats whose one trace is spread over several files that
   * may be imported separately, in any order (Claude Code session + sub-agent files). May be absent.
   */
  storedTrace?: (traceId: string) => StoredTrace | undefined;
  /** Recorded evaluations stored for a trace (to keep those another file added). May be absent. */
  storedEvaluations?: (traceId: string) => RecordedEvaluationInput[];
  /** Stored trace id of each span id found (files that annotate spans imported before). */
  tracesOfSpans?: (spanIds: readonly string[]) => Map<string, string>;
}

/**
 * Where an importer puts what it parsed. Calls are synchronous: the sink writes into the open
 * import transaction, so memory stays bounded by what the importer itself holds.
 */
export interface ImportSink {
  trace(meta: TraceMeta): void;
  span(span: Span): void;
  /** A non-fatal problem worth telling the user (repaired, skipped, truncated). */
  warn(message: string): void;
}

export interface FormatImporter {
  id: FormatId;
  label: string;
  /** File extensions this format usually has (for the file dialog), without dot. */
  extensions: string[];
  /**
   * How sure the importer is that the file is its format, 0..1, from the name and the first bytes.
   * Must not throw. ≥ 0.9 = recognised the envelope; ~0.5 = plausible; 0 = not this format.
   */
  sniff(name: string, head: Buffer): number;
  /** Parse and emit. Throw ImportError (with position) for input that cannot be read. */
  parse(source: ImportSource, sink: ImportSink): Promise<void>;
  /**
   * What the format is known by, to tell a user whose file was refused which importer came
   * closest: `tokens` are keys and `type` values typical of the format, `requires` what the
   * importer needs to accept a file (shape.ts).
   */
  signature?: { tokens: string[]; requires: string };
}
