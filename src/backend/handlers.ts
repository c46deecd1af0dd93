import type { FormatId } from '../core/model/types';
import { WorkspaceBusyError, type ImportRecord, type Workspace } from '../core/store/workspace';
import type { ApiInput, ApiMethod, ApiOutputs, ImportOutcome, ImportRecordDto } from '../shared/api';
import { ApiError } from './apiError';
import { ApiEventEmitter } from './events';
import { runImports, type ImportProgressFn, type ImportRequest } from './importRunner';
import { ingestOtlp, type OtlpBodyFormat, type OtlpIngestResult } from './otlpIngest';
import { LivePrepare } from './livePrepare';
import { checkInput, checkMethod } from './validate';
import { traceViewHandlers } from './traceView';
import { StagedViews } from '../core/view/stagedViews';
import { compareHandlers } from './compare';
import { labelHandlers } from './labels';
import { judgeHandlers } from './judges';
import { insightHandlers } from './insights';
import { errorAnalysisHandlers } from './errorAnalysis';
import { evalHandlers } from './evals';
import { fileRunHandlers } from './fileRuns';
import { listFormats } from './formats';
import type { JudgeHandlerOptions } from './judges';
import type { SecretStore } from '../core/judges/secrets';

export { ApiError, toApiErrorBody, httpStatusOf } from './apiError';
export type { OtlpBodyFormat } from './otlpIngest';

export interface BackendOptions {
  workspace: Workspace;
  mode: 'desktop' | 'browser';
  /** …/v1/traces where the OTLP receiver listens, or null when it is off. */
  otlpEndpoint?: string | null;
  /** Reported by appInfo (the app / package version). */
  version?: string;
  /** How long a live OTLP trace receives nothing before it is prepared for viewing (default 10 s). */
  livePrepareAfterMs?: number;
  /** Where LLM judges get their API key (desktop: OS keychain; default: TRACEDECK_LLM_API_KEY). */
  secrets?: SecretStore;
  /** The CLI's --base-url / --model for runJudgesDir (see JudgeHandlerOptions.judgeRunModel). */
  judgeRunModel?: JudgeHandlerOptions['judgeRunModel'];
}

export interface Backend {
  readonly workspace: Workspace;
  readonly mode: 'desktop' | 'browser';
  readonly events: ApiEventEmitter;
  /**
   * The transports' entry point: `method` and `rawInput` come from the untrusted UI. Rejects with
   * ApiError ('bad-input' for an unknown method or invalid input, 'failed' when the work failed).
   */
  dispatch(method: string, rawInput: unknown): Promise<unknown>;
  /**
   * `dispatch` for a transport that sends JSON (HTTP): the answer as JSON text. Answers the
   * engine holds encoded (a big trace's columns) are sent as they are, not parsed and re-encoded.
   */
  dispatchJson(method: string, rawInput: unknown): Promise<string | Buffer>;
  /** Typed dispatch for in-process callers (CLI, tests). Input is still validated. */
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutputs[M]>;
  /**
   * Import files on this machine, one transaction each; failures are reported per file and do
   * not stop the others. Emits import-progress, import-finished and traces-changed.
   */
  importPaths(
    paths: readonly (string | ImportRequest)[],
    onProgress?: ImportProgressFn,
    opts?: { format?: FormatId; force?: boolean; keepBoth?: boolean },
  ): Promise<ImportOutcome[]>;
  /** Store one OTLP/HTTP export request body (already un-gzipped or not: both work). */
  ingestOtlp(body: Buffer, format: OtlpBodyFormat): Promise<OtlpIngestResult>;
  /** The HTTP server knows its port only once listening: it reports the endpoint here. */
  setOtlpEndpoint(url: string | null): void;
  /**
   * Release what the backend owns besides the workspace: judge runs are cancelled and recorded,
   * the judge preview process stops. The owner closes the workspace afterwards.
   */
  close(): Promise<void>;
}

type Handlers = { [M in ApiMethod]: (input: ApiInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]> };

/** Longer than an exporter's gap between batches (OTel BatchSpanProcessor: 5 s): quiet this long = the run ended. */
const LIVE_PREPARE_AFTER_MS = 10_000;

export function createBackend(opts: BackendOptions): Backend {
  const ws = opts.workspace;
  const events = new ApiEventEmitter();
  let otlpEndpoint = opts.otlpEndpoint ?? null;
  const version = opts.version ?? process.env.npm_package_version ?? '0.0.0';

  // Files being written, viewable from their staged copy (see core/view/stagedViews.ts).
  const staged = new StagedViews();
  const livePrepare = new LivePrepare(ws, opts.livePrepareAfterMs ?? LIVE_PREPARE_AFTER_MS);
  const importPaths: Backend['importPaths'] = (paths, onProgress, o = {}) =>
    runImports(
      ws,
      paths.map((p) =>
        typeof p === 'string' ? { path: p, format: o.format, force: o.force, keepBoth: o.keepBoth } : { ...o, ...p },
      ),
      events,
      onProgress,
      staged,
    );

  const { close: closeJudges, modelAccess, runToEnd, ...judgeMethods } = judgeHandlers(ws, events, {
    secrets: opts.secrets,
    judgeRunModel: opts.judgeRunModel,
  });
  const evals = evalHandlers(ws, { modelAccess, previewJudge: judgeMethods.previewJudge });
  const { encoded, ...traceViewMethods } = traceViewHandlers(ws, events, staged);
  if (!ws.damaged) {
    void ws.integrityChecked().then((found) => {
      if (found) events.send({ type: 'workspace-damaged', reason: found });
    });
  }
  const handlers: Handlers = {
    appInfo: () => ({ version, mode: opts.mode, workspacePath: ws.path, otlpEndpoint, workspaceDamaged: ws.damaged }),
    formats: () => listFormats(),
    listTraces: (q) => ws.listTraces(q),
    listTracesPage: (q) => ({ rows: ws.listTracePage(q) }),
    countTraces: (q) => ({ total: ws.countTraces(q) }),
    getTrace: ({ traceId }) => {
      const t = ws.getTrace(traceId);
      if (!t) return null;
      const { meta, ...summary } = t;
      return { summary, meta, spans: ws.getSpanSummaries(traceId), evaluations: ws.getRecordedEvaluations(traceId) };
    },
    getSpan: ({ traceId, spanId }) => (staged.has(traceId) ? staged.span(traceId, spanId) : ws.getSpan(traceId, spanId)),
    getRecordedEvaluations: ({ traceId }) => ws.getRecordedEvaluations(traceId),
    deleteTrace: async ({ traceId }) => {
      // Through the write queue: a delete issued while an import holds its transaction open on
      // the same connection would otherwise join (and roll back with) that import.
      const deleted = await ws.exclusive(async () => ws.deleteTrace(traceId));
      if (deleted) events.send({ type: 'traces-changed', traceIds: [traceId], reason: 'delete' });
      return { deleted };
    },
    listImports: ({ limit }) => ws.listImports(limit ?? 100).map(importRecordToDto),
    // Paths typed into an API call: errors must not reveal which paths exist (importFile).
    importPaths: ({ paths, open }) => importPaths(paths.map((path, i) => ({ path, untrustedPath: true, open: open === true && i === 0 }))),
    ...traceViewMethods,
    ...compareHandlers(ws),
    ...labelHandlers(ws, { sampler: evals.sampler }),
    ...judgeMethods,
    ...insightHandlers(ws, events, modelAccess),
    ...errorAnalysisHandlers(ws, modelAccess),
    ...evals.handlers,
    ...fileRunHandlers(ws, { runToEnd }),
  };

  const run = async <T>(method: ApiMethod, work: () => T | Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (e) {
      if (e instanceof ApiError || e instanceof WorkspaceBusyError) throw e;
      throw new ApiError('failed', `${method} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const call = async <M extends ApiMethod>(method: M, rawInput: unknown): Promise<ApiOutputs[M]> => {
    const input = checkInput(method, rawInput);
    return run(method, () => (handlers[method] as (i: ApiInput<M>) => ApiOutputs[M] | Promise<ApiOutputs[M]>)(input));
  };
  const dispatchJson = async (rawMethod: string, rawInput: unknown): Promise<string | Buffer> => {
    const method = checkMethod(rawMethod);
    const enc = (encoded as Partial<Record<ApiMethod, (i: unknown) => string | Buffer>>)[method];
    if (!enc) return JSON.stringify((await call(method, rawInput)) ?? null);
    const input = checkInput(method, rawInput);
    return run(method, () => enc(input));
  };

  return {
    workspace: ws,
    mode: opts.mode,
    events,
    dispatch: async (method, rawInput) => call(checkMethod(method), rawInput),
    dispatchJson,
    call: (method, input) => call(method, input),
    importPaths,
    ingestOtlp: async (body, format) => {
      const r = await ingestOtlp(ws, events, body, format);
      livePrepare.touched(r.traceIds);
      return r;
    },
    setOtlpEndpoint: (url) => {
      otlpEndpoint = url;
    },
    close: () => {
      livePrepare.close();
      return closeJudges();
    },
  };
}

function importRecordToDto({ contentHash: _hash, ...dto }: ImportRecord): ImportRecordDto {
  return dto;
}
