/**
 * The one typed contract between the UI and the backend. The renderer speaks only this; the
 * backend implements it once (src/backend/handlers.ts) and two transports carry it: Electron IPC
 * (src/main + src/preload) and HTTP on 127.0.0.1 (src/server, browser mode and e2e tests).
 *
 * Every method takes one JSON object and returns JSON. Inputs are validated with the zod schemas
 * below on the backend side of both transports: the renderer is untrusted.
 */
import { z } from 'zod';
import type { FormatId, ImportRecord, RecordedEvaluation, Span, SpanSummary, TraceMeta, TraceSummary } from '../core/model/types';
import type { TraceQuery } from '../core/model/query';
import { TraceFilterSchema, TraceQuerySchema } from './traceQuerySchema';
import { TraceViewInputSchemas, type TraceViewOutputs } from './traceView';
import { CompareInputSchemas, type CompareOutputs } from './compare';
import { LabelInputSchemas, type LabelOutputs } from './labels';
import { JudgeInputSchemas, type JudgeApiEvent, type JudgeOutputs } from './judges';
import { InsightInputSchemas, type InsightOutputs } from './insights';
// Error analysis (issue 14: open coding, axial coding, saturation, first-failure matrix).
import { ErrorAnalysisInputSchemas, type ErrorAnalysisOutputs } from './errorAnalysis';
import { EvalInputSchemas, type EvalOutputs } from './evals';
// Issue 12 item 4: judges from a folder and trajectories with given scenarios, for the CLI.
import { FileRunInputSchemas, type FileRunOutputs } from './fileRuns';

export type { FormatId, RecordedEvaluation, Span, SpanSummary, TraceSummary, TraceQuery };
export type {
  SpanKind,
  SpanStatus,
  Message,
  ToolCall,
  RetrievedDocument,
} from '../core/model/types';
export { SPAN_KINDS, SPAN_STATUSES, FORMAT_IDS } from '../core/model/types';
export * from './traceView';
export * from './compare';
export * from './labels';
export * from './judges';
export * from './insights';
export * from './errorAnalysis';
export * from './evals';
export * from './fileRuns';

const id = z.string().min(1).max(4096);

export { TraceQuerySchema } from './traceQuerySchema';

/** Input schema of every method. Adding a method = adding it here and to ApiOutputs. */
export const ApiInputSchemas = {
  appInfo: z.object({}).strict(),
  formats: z.object({}).strict(),
  listTraces: TraceQuerySchema,
  /** listTraces in two answers: a page of rows, and the count (the library asks for both at once). */
  listTracesPage: TraceQuerySchema,
  countTraces: TraceFilterSchema,
  getTrace: z.object({ traceId: id }).strict(),
  getSpan: z.object({ traceId: id, spanId: id }).strict(),
  /** Scores / feedback / annotations / assessments recorded in the trace's file. */
  getRecordedEvaluations: z.object({ traceId: id }).strict(),
  deleteTrace: z.object({ traceId: id }).strict(),
  listImports: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  /**
   * Import files already on this machine (desktop drop, CLI). open: the user is about to look at
   * the first file's trace (see ImportRequest.open): it is answered from the parsed file first.
   */
  importPaths: z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(1000), open: z.boolean().optional() }).strict(),
  /** Trace view: columns, analysis, root cause, span search (src/shared/traceView.ts). */
  ...TraceViewInputSchemas,
  /** Scenarios, trajectories, verdict diffs, agent versions (src/shared/compare.ts). */
  ...CompareInputSchemas,
  /** Human labels, failure modes, labelling queue, judge alignment (src/shared/labels.ts). */
  ...LabelInputSchemas,
  /** Judges, judge runs, verdicts, LLM endpoint settings (src/shared/judges.ts). */
  ...JudgeInputSchemas,
  /** Sessions, Overview, LLM-call replay and variants — issue 15 (src/shared/insights.ts). */
  ...InsightInputSchemas,
  /** Error analysis: open-coding notes, axial coding, saturation, first failures (src/shared/errorAnalysis.ts). */
  ...ErrorAnalysisInputSchemas,
  /** Issue 14: cluster sampling, judges from failure modes per split, dataset / scorer export (src/shared/evals.ts). */
  ...EvalInputSchemas,
  /** Judges from a folder, trajectories with given scenarios: waited for in one call (src/shared/fileRuns.ts). */
  ...FileRunInputSchemas,
} as const;

export type ApiMethod = keyof typeof ApiInputSchemas;
export type ApiInput<M extends ApiMethod> = z.infer<(typeof ApiInputSchemas)[M]>;

export interface AppInfo {
  version: string;
  mode: 'desktop' | 'browser';
  workspacePath: string;
  /** Where agents can send OTLP/HTTP traces (…/v1/traces), or null when the receiver is off. */
  otlpEndpoint: string | null;
  /**
   * What the integrity check (quick_check) found when the workspace was opened, or null when it
   * is sound. A damaged workspace is open read-only: every write is refused.
   */
  workspaceDamaged: string | null;
}

export interface FormatInfo {
  id: FormatId;
  label: string;
  extensions: string[];
}

export interface TraceDetail {
  summary: TraceSummary;
  meta: Omit<TraceMeta, 'traceId'>;
  spans: SpanSummary[];
  /** Scores / feedback / annotations / assessments recorded in the trace's file. */
  evaluations: RecordedEvaluation[];
}

export interface ImportOutcome {
  source: string;
  ok: boolean;
  format?: FormatId;
  traceIds: string[];
  spanCount: number;
  warnings: string[];
  unchanged?: boolean;
  /** Present when ok is false: names the file and where it went wrong. */
  error?: string;
}

/** The import history as the UI sees it (the content hash stays in the backend). */
export type ImportRecordDto = Omit<ImportRecord, 'contentHash'>;

export interface ApiOutputs
  extends TraceViewOutputs,
    CompareOutputs,
    LabelOutputs,
    JudgeOutputs,
    InsightOutputs,
    ErrorAnalysisOutputs,
    EvalOutputs,
    FileRunOutputs {
  appInfo: AppInfo;
  formats: FormatInfo[];
  listTraces: { rows: TraceSummary[]; total: number };
  listTracesPage: { rows: TraceSummary[] };
  countTraces: { total: number };
  getTrace: TraceDetail | null;
  getSpan: Span | null;
  getRecordedEvaluations: RecordedEvaluation[];
  deleteTrace: { deleted: boolean };
  listImports: ImportRecordDto[];
  importPaths: ImportOutcome[];
}

export type ApiOutput<M extends ApiMethod> = ApiOutputs[M];

/** Pushed from backend to UI (SSE in browser mode, IPC events in the desktop app). */
export type ApiEvent =
  | { type: 'import-progress'; source: string; bytesDone: number; bytesTotal: number }
  // A file the user opened is parsed: its traces can be viewed (TraceViewData.staged) while it
  // is written to the workspace; import-published once stored, import-finished once prepared.
  // open: the importer was asked to show it (ImportRequest.open: the desktop dialog's one file).
  | { type: 'import-staged'; source: string; traceIds: string[]; spanCount: number; open: boolean }
  | { type: 'import-published'; source: string; traceIds: string[] }
  | { type: 'import-finished'; outcome: ImportOutcome }
  | { type: 'traces-changed'; traceIds: string[]; reason: 'import' | 'otlp' | 'delete' }
  // A big workspace's integrity check, run in the background, found it damaged after the app
  // started (AppInfo.workspaceDamaged said null): it is read-only from now on. Browser mode's
  // event stream also starts with it when the workspace is damaged (server/routes/events.ts).
  | { type: 'workspace-damaged'; reason: string }
  | JudgeApiEvent;

/**
 * What the renderer holds: the RPC call plus transport-specific pieces (uploading a File in the
 * browser, native dialogs in the desktop app).
 */
export interface TracedeckClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>;
  /** Import files the user dropped or picked. Progress reports bytes sent/read per file. */
  importFiles(
    files: File[],
    onProgress?: (p: { file: string; bytesDone: number; bytesTotal: number }) => void,
    /**
     * keepBoth: a trace id already stored from another file is kept; the new copy gets ID#2.
     * open: the caller shows the file's first trace as soon as it is staged (import-staged), and
     * the backend answers that view before it starts writing.
     */
    opts?: { keepBoth?: boolean; open?: boolean },
  ): Promise<ImportOutcome[]>;
  /** Desktop only: native open dialog; null where the transport has none (browser mode). */
  openImportDialog: (() => Promise<ImportOutcome[]>) | null;
  onEvent(listener: (e: ApiEvent) => void): () => void;
}

/** Error a transport returns for a failed call: `code` tells input errors from backend failures. */
export interface ApiErrorBody {
  error: { code: 'bad-input' | 'not-found' | 'failed'; message: string };
}

export { RPC_PATH, UPLOAD_PATH, EVENTS_PATH, IPC_RPC_CHANNEL, IPC_EVENT_CHANNEL, IPC_DIALOG_CHANNEL } from './apiConstants';
