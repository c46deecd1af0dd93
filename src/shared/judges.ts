/**
 * Contract of judges, judge runs and verdicts (merged into ApiInputSchemas / ApiOutputs in
 * api.ts). Result types: src/core/model/judges.ts. The LLM API key crosses this contract in one
 * direction only (setLlmApiKey, desktop): no method ever returns it.
 */
import { z } from 'zod';
import { TraceFilterSchema } from './traceQuerySchema';

import { JUDGE_KINDS, VERDICT_STATUSES } from '../core/model/judges';
import type {
  ApiKeyStatus,
  JudgeInfo,
  JudgePreview,
  JudgeRunProgress,
  JudgeRunRecord,
  LlmSettings,
  VerdictDetail,
  VerdictRecord,
} from '../core/model/judges';

export type * from '../core/model/judges';
export { modelConfigProblem } from '../core/model/judges';

const traceId = z.string().min(1).max(4096);
const judgeId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'lower-case letters, digits, ".", "_" or "-" (max 100)');
const path = z.string().min(1).max(4096);
const runId = z.number().int().min(1);
const source = z.string().max(1_000_000);

/** The library filters a run can select traces by (same meaning as listTraces). */
const SelectionQuerySchema = TraceFilterSchema.extend({
  limit: z.number().int().min(1).max(1_000_000).optional(),
}).strict();

export const TraceSelectionSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('all') }).strict(),
  z.object({ mode: z.literal('ids'), traceIds: z.array(traceId).min(1).max(1_000_000) }).strict(),
  z.object({ mode: z.literal('filter'), query: SelectionQuerySchema }).strict(),
  z
    .object({
      mode: z.literal('sample'),
      size: z.number().int().min(1).max(1_000_000),
      seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
      query: SelectionQuerySchema.optional(),
    })
    .strict(),
]);
export type TraceSelectionInput = z.infer<typeof TraceSelectionSchema>;

const LlmSettingsSchema = z
  .object({
    baseUrl: z.url({ protocol: /^https?$/ }).max(2000),
    model: z.string().trim().min(1).max(200),
    temperature: z.number().min(0).max(2),
    timeoutMs: z.number().int().min(1000).max(600_000),
    maxRetries: z.number().int().min(0).max(10),
    apiVersion: z.string().max(100).optional(),
    structuredOutput: z.boolean(),
    embeddingModel: z.string().trim().max(200).optional(),
  })
  .strict();

export const JudgeInputSchemas = {
  listJudges: z.object({}).strict(),
  getJudge: z.object({ id: judgeId }).strict(),
  /** Create or replace a judge from its file text (validated like a file in judges/). */
  saveJudge: z.object({ id: judgeId, kind: z.enum(JUDGE_KINDS), source }).strict(),
  deleteJudge: z.object({ id: judgeId }).strict(),
  /** Starter text for a new judge of this kind. */
  newJudgeSource: z.object({ kind: z.enum(JUDGE_KINDS), name: z.string().max(200) }).strict(),
  /** Load every *.judge.ts / *.judge.md of a folder on this machine into the workspace. */
  importJudgesDir: z.object({ dir: path }).strict(),
  /** Write judges (all, or `ids`) as files into a folder on this machine. */
  exportJudgesDir: z.object({ dir: path, ids: z.array(judgeId).max(10_000).optional() }).strict(),
  /** Declarations of module 'tracedeck/judge' for the editor. */
  judgeApiTypes: z.object({}).strict(),
  /**
   * Run a judge's current (unsaved) text on one trace. Code judges run in the sandbox; LLM and
   * agentic judges call the model, so the editor only does this on request.
   */
  previewJudge: z
    .object({
      traceId,
      kind: z.enum(JUDGE_KINDS),
      source,
      timeoutMs: z.number().int().min(10).max(60_000).optional(),
      /**
       * The editor's live re-run: which editor, and its edit number (counting up as the text
       * changes). A run for an older edit than one asked for already is superseded, whatever
       * order the requests arrive in. Without it the run supersedes nothing and is never stopped.
       */
      edit: z.object({ editor: z.string().min(1).max(100), seq: z.number().int().min(0) }).strict().optional(),
    })
    .strict(),
  /** LLM/agentic: the prompt a template renders to on one trace (no model call). */
  renderJudgePrompt: z.object({ traceId, template: z.string().max(1_000_000) }).strict(),
  startJudgeRun: z
    .object({
      judgeIds: z.array(judgeId).min(1).max(1000),
      selection: TraceSelectionSchema,
      name: z.string().max(200).optional(),
      concurrency: z.number().int().min(1).max(64).optional(),
      useCache: z.boolean().optional(),
    })
    .strict(),
  cancelJudgeRun: z.object({ runId }).strict(),
  listJudgeRuns: z.object({ limit: z.number().int().min(1).max(1000).optional() }).strict(),
  getJudgeRun: z.object({ runId }).strict(),
  deleteJudgeRun: z.object({ runId }).strict(),
  listVerdicts: z
    .object({
      runId: runId.optional(),
      judgeId: judgeId.optional(),
      traceId: traceId.optional(),
      status: z.enum(VERDICT_STATUSES).optional(),
      limit: z.number().int().min(1).max(10_000).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  getVerdictDetail: z.object({ verdictId: z.number().int().min(1) }).strict(),
  exportVerdicts: z.object({ runId, format: z.enum(['json', 'csv', 'otel']) }).strict(),
  getLlmSettings: z.object({}).strict(),
  setLlmSettings: z.object({ settings: LlmSettingsSchema }).strict(),
  /** Desktop only: store (or with null, forget) the API key in the OS keychain. */
  setLlmApiKey: z.object({ apiKey: z.string().min(1).max(10_000).nullable() }).strict(),
} as const;

export interface JudgeRunView extends JudgeRunRecord {
  /** Gating judges with at least one fail or error. */
  gateFailures: { judgeId: string; name: string; failed: number; errored: number }[];
  /** Still running in this backend (so it can be cancelled). */
  active: boolean;
}

export interface LlmSettingsView {
  settings: LlmSettings;
  apiKey: ApiKeyStatus;
}

export interface JudgeOutputs {
  listJudges: JudgeInfo[];
  getJudge: JudgeInfo | null;
  saveJudge: JudgeInfo;
  deleteJudge: { deleted: boolean };
  newJudgeSource: { source: string };
  importJudgesDir: { imported: JudgeInfo[]; errors: { file: string; message: string }[] };
  exportJudgesDir: { written: string[] };
  judgeApiTypes: { moduleName: string; dts: string };
  previewJudge: JudgePreview;
  renderJudgePrompt: { prompt: string; error?: string };
  startJudgeRun: { runId: number; total: number };
  cancelJudgeRun: { cancelled: boolean };
  listJudgeRuns: JudgeRunView[];
  getJudgeRun: JudgeRunView | null;
  deleteJudgeRun: { deleted: boolean };
  listVerdicts: { rows: VerdictRecord[]; total: number };
  getVerdictDetail: VerdictDetail | null;
  exportVerdicts: { fileName: string; mimeType: string; content: string };
  getLlmSettings: LlmSettingsView;
  setLlmSettings: LlmSettingsView;
  setLlmApiKey: ApiKeyStatus;
}

/** Judge-run events (pushed like import progress). */
export type JudgeApiEvent =
  | { type: 'judge-run-progress'; progress: JudgeRunProgress }
  | { type: 'judge-run-finished'; run: JudgeRunView };
