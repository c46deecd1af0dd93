import { createHash } from 'node:crypto';
import { runAgenticJudge } from '../core/judges/agenticJudge';
import { compileJudgeSource } from '../core/judges/compile';
import { exportRun, type VerdictExportFormat } from '../core/judges/export';
import { JUDGE_API_DTS } from '../core/judges/generated/judgeApi.generated';
import { JudgeFileError, judgeFileName, loadJudgesDir, newJudgeSource, parseJudgeFile, writeJudgesDir } from '../core/judges/judgeFiles';
import { createChatClient } from '../core/judges/llm/client';
import { renderTemplate, templateVariables, TEMPLATE_VARIABLES } from '../core/judges/llm/render';
import { runLlmJudge, type LlmRunContext } from '../core/judges/llmJudge';
import { gateFailures, runJudges, type RunJudgesOptions } from '../core/judges/runs';
import { JudgeSandbox } from '../core/judges/sandbox/pool';
import { bindKeyToBaseUrl, sameBaseUrl } from '../core/judges/keyBinding';
import { apiKeyStatus, envSecretStore, type SecretStore } from '../core/judges/secrets';
import { JudgeStore, type RunRecord } from '../core/store/judges';
import { createTrace, decodeTraceWire } from '../core/judges/traceAccess';
import { TraceLoader } from '../core/store/judgeTraces';
import { modelConfigProblem } from '../core/model/judges';
import type { Workspace } from '../core/store/workspace';
import type { JudgeSpec } from '../core/judges/types';
import type { ApiInput, JudgeOutputs, JudgePreview, JudgeRunView, LlmSettings, VerdictRecord } from '../shared/api';
import { ApiError } from './apiError';
import { EditorRuns } from './editorRuns';
import type { ApiEventEmitter } from './events';

/**
 * Handlers of judges, judge runs and verdicts (src/shared/judges.ts). Runs execute in the
 * background of this process (progress and completion are pushed as events); the editor's live
 * re-run uses one warm sandbox worker and a small cache of trace texts.
 */

type JudgeMethod = keyof JudgeOutputs;
export type JudgeHandlers = {
  [M in JudgeMethod]: (input: ApiInput<M>) => JudgeOutputs[M] | Promise<JudgeOutputs[M]>;
} & {
  close(): Promise<void>;
  /**
   * The configured model for other features that call it (axial coding, embeddings for cluster
   * sampling, judge drafting): the endpoint settings, the API key bound to them, and why it
   * cannot be called (modelConfigProblem). One accessor for all of them.
   */
  modelAccess(): ModelAccess;
  /**
   * Run judges already parsed (runJudgesDir: from a folder) and wait for the end. Cancellable
   * with cancelJudgeRun like any run; `problem` instead of a run when a model judge has no usable
   * endpoint (checked before anything is stored or run).
   */
  runToEnd(judges: JudgeSpec[], o: RunToEndOptions): Promise<{ problem: string } | { run: JudgeRunView; verdicts: VerdictRecord[] }>;
};

type RunToEndOptions = Omit<ApiInput<'runJudgesDir'>, 'dir'>;

export interface ModelAccess {
  settings: LlmSettings;
  apiKey: string | null;
  problem: string | null;
}

export interface JudgeHandlerOptions {
  /** Where the LLM API key comes from (default: TRACEDECK_LLM_API_KEY). */
  secrets?: SecretStore;
  /** Code-judge preview time limit (default 2000 ms). */
  previewTimeoutMs?: number;
  /**
   * The endpoint of runToEnd's model judges instead of the workspace's (the CLI's --base-url /
   * --model), for this backend only. Set by the process that owns the backend, never through
   * the contract: a base URL from the untrusted UI would receive the API key (keyBinding.ts).
   */
  judgeRunModel?: { baseUrl?: string; model?: string };
}

const PREVIEW_CACHE = 4;
const MIME: Record<VerdictExportFormat, string> = { json: 'application/json', csv: 'text/csv', otel: 'application/json' };

export function judgeHandlers(ws: Workspace, events: ApiEventEmitter, opts: JudgeHandlerOptions = {}): JudgeHandlers {
  const store = new JudgeStore(ws);
  const secrets = bindKeyToBaseUrl(opts.secrets ?? envSecretStore());
  const active = new Map<number, AbortController>();
  const loader = new TraceLoader(ws);
  // Runs left 'running' by a previous process are over.
  // A courtesy: when another process holds the write lock (or the workspace is read-only), skip
  // it rather than wait — a waiting timer would keep a short CLI command from exiting.
  void ws.exclusive(async () => store.markStaleRuns(), { what: 'marking stale judge runs', lockWaitMs: 0 }).catch(() => undefined);

  const view = (run: RunRecord): JudgeRunView => ({ ...run, gateFailures: gateFailures(store, run), active: active.has(run.id) });
  const write = <T>(fn: () => T): Promise<T> => ws.exclusive(async () => fn());
  const badInput = (e: unknown): never => {
    if (e instanceof JudgeFileError) throw new ApiError('bad-input', e.message);
    throw e;
  };

  // ---- live re-run -----------------------------------------------------------------------------
  const texts = new Map<string, { version: number; text: string }>();
  /** The trace's wire text and a key naming this version of it (id + import id). */
  const traceTextKeyed = (traceId: string): { text: string; key: string } => {
    const version = store.traceVersions([traceId]).get(traceId);
    if (version === undefined) throw new ApiError('not-found', `no trace '${traceId}'`);
    const key = `${traceId}\u0000${version}`;
    const hit = texts.get(traceId);
    if (hit && hit.version === version) {
      texts.delete(traceId);
      texts.set(traceId, hit); // most recent last
      return { text: hit.text, key };
    }
    const text = loader.wireText(traceId);
    if (text === null) throw new ApiError('not-found', `no trace '${traceId}'`);
    texts.set(traceId, { version, text });
    while (texts.size > PREVIEW_CACHE) texts.delete(texts.keys().next().value!);
    return { text, key };
  };
  const traceText = (traceId: string): string => traceTextKeyed(traceId).text;
  let sandbox: JudgeSandbox | null = null;
  const editorRuns = new EditorRuns();
  const previewSandbox = (timeoutMs: number): JudgeSandbox => {
    if (sandbox && sandbox.options.timeoutMs !== timeoutMs) {
      void sandbox.close();
      sandbox = null;
    }
    sandbox ??= new JudgeSandbox({ workers: 1, timeoutMs, batchSize: 1, memoryMb: 512 });
    return sandbox;
  };

  const llmContext = (signal?: AbortSignal): LlmRunContext => {
    const settings = store.getLlmSettings();
    return {
      client: createChatClient({ settings, apiKey: secrets.getApiKey() }),
      temperature: settings.temperature,
      structuredOutput: settings.structuredOutput,
      signal,
    };
  };

  const previewCode = async (traceId: string, source: string, timeoutMs: number, edit?: { editor: string; seq: number }): Promise<JudgePreview> => {
    const t0 = performance.now();
    const compiled = compileJudgeSource(source);
    if (compiled.diagnostics.length) {
      return {
        status: 'error',
        rationale: '',
        evidenceSpanIds: [],
        error: `does not compile: ${compiled.diagnostics[0]!.message}`,
        model: null,
        diagnostics: compiled.diagnostics,
        durationMs: 0,
        totalMs: performance.now() - t0,
      };
    }
    const { text, key: traceKey } = traceTextKeyed(traceId);
    const sb = previewSandbox(timeoutMs);
    // Latest wins, by the editor's edit number: see editorRuns.ts.
    const run = edit ? editorRuns.begin(edit.editor, edit.seq) : undefined;
    const superseded = (durationMs: number): JudgePreview => ({
      status: 'error',
      rationale: '',
      evidenceSpanIds: [],
      error: 'superseded by a newer run',
      model: null,
      diagnostics: [],
      durationMs,
      totalMs: performance.now() - t0,
    });
    if (run === null) return superseded(0);
    try {
      const key = createHash('sha256').update(compiled.js).digest('hex');
      const r = await sb.preview({ key, js: compiled.js }, traceKey, text, run?.signal);
      const base = { model: null, diagnostics: [], totalMs: performance.now() - t0 };
      if (r.ok) {
        const p: JudgePreview = {
          ...base,
          status: r.verdict.pass ? 'pass' : 'fail',
          rationale: r.verdict.rationale,
          evidenceSpanIds: r.verdict.evidenceSpanIds,
          durationMs: r.durationMs,
        };
        if (r.verdict.score !== undefined) p.score = r.verdict.score;
        if (r.logs) p.logs = r.logs;
        return p;
      }
      if (r.kind === 'cancelled') return superseded(r.durationMs);
      const p: JudgePreview = { ...base, status: 'error', rationale: '', evidenceSpanIds: [], error: r.error, durationMs: r.durationMs };
      if (r.logs) p.logs = r.logs;
      return p;
    } finally {
      run?.end();
    }
  };

  const previewModel = async (traceId: string, kind: 'llm' | 'agentic', source: string): Promise<JudgePreview> => {
    const t0 = performance.now();
    let spec;
    try {
      spec = parseJudgeFile(judgeFileName('preview', kind), source);
    } catch (e) {
      if (!(e instanceof JudgeFileError)) throw e;
      const message = e.message.replace(/^[^:]*: /, '');
      return { status: 'error', rationale: '', evidenceSpanIds: [], error: message, model: null, diagnostics: [], durationMs: 0, totalMs: performance.now() - t0 };
    }
    const problem = modelConfigProblem(store.getLlmSettings(), !!secrets.getApiKey());
    if (problem) {
      return { status: 'error', rationale: '', evidenceSpanIds: [], error: problem, model: null, diagnostics: [], durationMs: 0, totalMs: performance.now() - t0 };
    }
    const trace = createTrace(decodeTraceWire(traceText(traceId)));
    const ctx = llmContext();
    const out = kind === 'agentic' ? await runAgenticJudge(spec, trace, ctx) : await runLlmJudge(spec, trace, ctx);
    const p: JudgePreview = {
      status: out.status,
      rationale: out.rationale,
      evidenceSpanIds: out.evidenceSpanIds,
      model: out.model,
      diagnostics: [],
      renderedPrompt: renderTemplate(spec.template ?? '', trace),
      durationMs: out.durationMs,
      totalMs: performance.now() - t0,
    };
    if (out.score !== undefined) p.score = out.score;
    if (out.error) p.error = out.error;
    if (out.transcript) p.transcript = out.transcript;
    return p;
  };

  let closing = false;
  const runsInFlight = new Set<Promise<unknown>>();
  /** Shutdown: cancel runs, wait for them to record what they have, stop the preview worker. */
  const close = async (): Promise<void> => {
    closing = true;
    for (const c of active.values()) c.abort();
    await Promise.allSettled([...runsInFlight]);
    const sb = sandbox;
    sandbox = null;
    if (sb) await sb.close();
    texts.clear();
  };

  /**
   * Start a run the backend tracks: cancellable by id while it runs, its progress and end sent as
   * events, awaited on close. `onStarted` runs once the run row exists, before any verdict.
   */
  const launchRun = (
    judges: JudgeSpec[],
    options: Pick<RunJudgesOptions, 'selection' | 'name' | 'concurrency' | 'useCache' | 'sandbox' | 'llm'>,
    onStarted: (run: RunRecord) => void,
  ): Promise<{ run: RunRecord; finished: JudgeRunView }> => {
    if (closing) throw new ApiError('failed', 'the workspace is closing');
    const controller = new AbortController();
    let runId: number | null = null;
    const done = runJudges(ws, {
      ...options,
      judges,
      signal: controller.signal,
      onStart: (run) => {
        runId = run.id;
        active.set(run.id, controller);
        onStarted(run);
      },
      onProgress: (progress) => events.send({ type: 'judge-run-progress', progress }),
    }).then(({ run }) => {
      active.delete(run.id); // before the view, which reports the run as no longer active
      const finished = view(run);
      events.send({ type: 'judge-run-finished', run: finished });
      return { run, finished };
    });
    const tracked = done.finally(() => {
      if (runId !== null) active.delete(runId);
      runsInFlight.delete(tracked);
    });
    runsInFlight.add(tracked);
    return tracked;
  };

  return {
    close,
    modelAccess: () => {
      const settings = store.getLlmSettings();
      const apiKey = secrets.getApiKey();
      return { settings, apiKey, problem: modelConfigProblem(settings, !!apiKey) };
    },
    runToEnd: async (judges, { selection, name, concurrency, useCache, timeoutMs }) => {
      const needsModel = judges.some((j) => j.kind !== 'code');
      const settings = { ...store.getLlmSettings() };
      if (opts.judgeRunModel?.baseUrl) settings.baseUrl = opts.judgeRunModel.baseUrl;
      if (opts.judgeRunModel?.model) settings.model = opts.judgeRunModel.model;
      const apiKey = secrets.getApiKey();
      // Checked before anything runs: one clear line, not a failed request per trace and judge.
      const problem = needsModel ? modelConfigProblem(settings, !!apiKey) : null;
      if (problem) return { problem };
      if (closing) throw new ApiError('failed', 'the workspace is closing');
      // The folder is the source of truth for this run; the workspace keeps a copy for the app.
      await write(() => {
        for (const j of judges) store.upsert(j);
      });
      const { run, finished } = await launchRun(
        judges,
        { selection, name, concurrency, useCache, sandbox: timeoutMs ? { timeoutMs } : undefined, llm: needsModel ? { settings, apiKey } : undefined },
        // The caller learns the run id (to cancel it) before the first verdict is stored.
        (started) =>
          events.send({ type: 'judge-run-progress', progress: { runId: started.id, total: started.total, done: 0, passed: 0, failed: 0, errored: 0, cached: 0 } }),
      );
      return { run: finished, verdicts: [...store.iterateVerdicts(run.id)] };
    },
    listJudges: () => store.listJudges(),
    getJudge: ({ id }) => store.getJudge(id),
    saveJudge: async ({ id, kind, source }) => {
      try {
        return await write(() => store.saveJudge(id, kind, source));
      } catch (e) {
        return badInput(e);
      }
    },
    deleteJudge: async ({ id }) => ({ deleted: await write(() => store.deleteJudge(id)) }),
    newJudgeSource: ({ kind, name }) => ({ source: newJudgeSource(kind, name || 'new judge') }),
    importJudgesDir: async ({ dir }) => {
      let loaded;
      try {
        loaded = loadJudgesDir(dir);
      } catch (e) {
        return badInput(e);
      }
      const imported = await write(() => loaded.judges.map((j) => store.upsert(j)));
      return { imported, errors: loaded.errors };
    },
    exportJudgesDir: ({ dir, ids }) => {
      const all = store.listJudges();
      const chosen = ids ? all.filter((j) => ids.includes(j.id)) : all;
      try {
        return { written: writeJudgesDir(dir, chosen) };
      } catch (e) {
        return badInput(e);
      }
    },
    judgeApiTypes: () => ({ moduleName: 'tracedeck/judge', dts: JUDGE_API_DTS }),
    previewJudge: ({ traceId, kind, source, timeoutMs, edit }) =>
      kind === 'code' ? previewCode(traceId, source, timeoutMs ?? opts.previewTimeoutMs ?? 2000, edit) : previewModel(traceId, kind, source),
    renderJudgePrompt: ({ traceId, template }) => {
      const { unknown } = templateVariables(template);
      const trace = createTrace(decodeTraceWire(traceText(traceId)));
      const prompt = renderTemplate(template, trace);
      return unknown.length
        ? { prompt, error: `unknown variable(s) ${unknown.map((v) => `{{ ${v} }}`).join(', ')}; available: ${TEMPLATE_VARIABLES.join(', ')}` }
        : { prompt };
    },
    startJudgeRun: ({ judgeIds, selection, name, concurrency, useCache }) => {
      const judges = judgeIds.map((id) => {
        const j = store.getJudge(id);
        if (!j) throw new ApiError('not-found', `no judge '${id}'`);
        return j;
      });
      const needsModel = judges.some((j) => j.kind !== 'code');
      const problem = needsModel ? modelConfigProblem(store.getLlmSettings(), !!secrets.getApiKey()) : null;
      if (problem) throw new ApiError('bad-input', problem);
      return new Promise<{ runId: number; total: number }>((resolve, reject) => {
        let started = false;
        const llm = needsModel ? { settings: store.getLlmSettings(), apiKey: secrets.getApiKey() } : undefined;
        launchRun(judges, { selection, name, concurrency, useCache, llm }, (run) => {
          started = true;
          resolve({ runId: run.id, total: run.total });
        }).catch((e: unknown) => {
          // Before the run row exists the caller hears the error; after, the run records it.
          if (!started) reject(e);
        });
      });
    },
    cancelJudgeRun: ({ runId }) => {
      const c = active.get(runId);
      if (!c) return { cancelled: false };
      c.abort();
      return { cancelled: true };
    },
    listJudgeRuns: ({ limit }) => store.listRuns(limit ?? 100).map(view),
    getJudgeRun: ({ runId }) => {
      const r = store.getRun(runId);
      return r ? view(r) : null;
    },
    deleteJudgeRun: async ({ runId }) => {
      if (active.has(runId)) throw new ApiError('bad-input', `judge run ${runId} is still running: cancel it first`);
      return { deleted: await write(() => store.deleteRun(runId)) };
    },
    listVerdicts: (q) => store.listVerdicts(q),
    getVerdictDetail: ({ verdictId }) => store.verdictDetail(verdictId),
    exportVerdicts: ({ runId, format }) => {
      const run = store.getRun(runId);
      if (!run) throw new ApiError('not-found', `no judge run ${runId}`);
      const ext = format === 'csv' ? 'csv' : format === 'otel' ? 'otlp-logs.json' : 'json';
      return { fileName: `judge-run-${runId}.${ext}`, mimeType: MIME[format], content: exportRun(store, runId, format) };
    },
    getLlmSettings: () => ({ settings: store.getLlmSettings(), apiKey: apiKeyStatus(secrets) }),
    setLlmSettings: async ({ settings }) => {
      const before = store.getLlmSettings().baseUrl;
      const saved = await write(() => store.setLlmSettings(settings));
      if (!sameBaseUrl(before, saved.baseUrl)) secrets.baseUrlChanged();
      return { settings: saved, apiKey: apiKeyStatus(secrets) };
    },
    setLlmApiKey: ({ apiKey }) => {
      if (!secrets.writable || !secrets.setApiKey) {
        throw new ApiError('bad-input', 'the API key cannot be stored here: set the TRACEDECK_LLM_API_KEY environment variable');
      }
      secrets.setApiKey(apiKey);
      return apiKeyStatus(secrets);
    },
  };
}
