/**
 * Judges as the UI contract sees them (src/shared/judges.ts re-exports these). The engine lives in
 * src/core/judges; this file is types and constants only, so the renderer may use it.
 */

export const JUDGE_KINDS = ['code', 'llm', 'agentic'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const VERDICT_STATUSES = ['pass', 'fail', 'error'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

export const JUDGE_RUN_STATUSES = ['running', 'done', 'cancelled', 'failed'] as const;
export type JudgeRunStatus = (typeof JUDGE_RUN_STATUSES)[number];

/** A judge as parsed from its file (`<id>.judge.ts` or `<id>.judge.md`). */
export interface JudgeSpec {
  /** File name without `.judge.ts` / `.judge.md`: [a-z0-9][a-z0-9._-]*, unique in a folder/workspace. */
  id: string;
  kind: JudgeKind;
  name: string;
  description: string;
  /** A failing (or erroring) gating judge fails `tracedeck judge run`. */
  gating: boolean;
  tags: string[];
  /** The whole file text: what is stored, hashed and written back. */
  source: string;
  /** sha256 hex of kind + source: names this exact version of the judge. */
  hash: string;
  /** LLM/agentic: the prompt template (the markdown body). */
  template?: string;
  /** LLM/agentic: overrides of the endpoint settings. */
  model?: string;
  temperature?: number;
  /** Agentic: tool-loop iteration limit. */
  maxIterations?: number;
}

/** A judge stored in the workspace (its file text is `source`). */
export interface JudgeInfo extends JudgeSpec {
  createdAt: number;
  updatedAt: number;
}

/** One entry of an agentic judge's transcript. */
export interface TranscriptEntry {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  toolCalls?: { id: string; name: string; arguments: string }[];
  toolCallId?: string;
  name?: string;
}

export interface RunJudgeRef {
  id: string;
  name: string;
  kind: JudgeKind;
  hash: string;
  gating: boolean;
  /** The model LLM/agentic judges used; null for code judges. */
  model: string | null;
}

export interface JudgeRunRecord {
  id: number;
  name: string;
  startedAt: number;
  finishedAt: number | null;
  status: JudgeRunStatus;
  selection: unknown;
  judges: RunJudgeRef[];
  model: string | null;
  total: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  cached: number;
  error: string | null;
}

export interface VerdictRecord {
  id: number;
  runId: number;
  judgeId: string;
  judgeHash: string;
  traceId: string;
  /** The trace's name where the listing knows it (trace ids alone do not tell samples apart). */
  traceName?: string | null;
  model: string | null;
  status: VerdictStatus;
  score: number | null;
  rationale: string;
  evidenceSpanIds: string[];
  error: string | null;
  durationMs: number;
  cached: boolean;
  createdAt: number;
}

export interface VerdictDetail {
  logs?: string[];
  transcript?: TranscriptEntry[];
  usage?: { inputTokens: number; outputTokens: number };
}

/** Endpoint settings of LLM and agentic judges. The API key is never part of this. */
export interface LlmSettings {
  /** OpenAI-compatible base URL, e.g. https://api.openai.com/v1, http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  temperature: number;
  /** Per request. */
  timeoutMs: number;
  /** Retries on 429/5xx/timeouts (exponential backoff with jitter). */
  maxRetries: number;
  /** Azure OpenAI: the api-version query parameter (empty = not Azure). */
  apiVersion?: string;
  /** Ask for response_format json_schema (falls back to plain JSON when the server refuses). */
  structuredOutput: boolean;
}

/** Where the API key comes from; the key itself never crosses the contract. */
export interface ApiKeyStatus {
  /** 'keychain': OS keychain via Electron safeStorage; 'env': TRACEDECK_LLM_API_KEY. */
  source: 'keychain' | 'env';
  present: boolean;
  /** Whether the UI may set/clear it (only the keychain store is writable). */
  writable: boolean;
}

export interface JudgeRunProgress {
  runId: number;
  total: number;
  done: number;
  passed: number;
  failed: number;
  errored: number;
  cached: number;
}

export interface JudgeDiagnostic {
  line: number;
  column: number;
  message: string;
}

/** A verdict of one judge on one trace, as the editor's live re-run shows it. */
export interface JudgePreview {
  status: VerdictStatus;
  score?: number;
  rationale: string;
  evidenceSpanIds: string[];
  error?: string;
  logs?: string[];
  transcript?: TranscriptEntry[];
  model: string | null;
  /** Compile errors of a code judge (then status is 'error'). */
  diagnostics: JudgeDiagnostic[];
  /** LLM/agentic: the prompt after template substitution. */
  renderedPrompt?: string;
  /** Time the judge itself took, and the whole call (load + compile + run). */
  durationMs: number;
  totalMs: number;
}
