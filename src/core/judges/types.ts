/** Judges: definitions as files/rows, verdicts, runs. */

export const JUDGE_KINDS = ['code', 'llm', 'agentic'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export const VERDICT_STATUSES = ['pass', 'fail', 'error'] as const;
export type VerdictStatus = (typeof VERDICT_STATUSES)[number];

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

/** One entry of an agentic judge's transcript (what the UI shows). */
export interface TranscriptEntry {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** assistant: tools it called */
  toolCalls?: { id: string; name: string; arguments: string }[];
  /** tool: which call this answers */
  toolCallId?: string;
  name?: string;
}

/** What running one judge on one trace produced. */
export interface VerdictOutcome {
  status: VerdictStatus;
  score?: number;
  rationale: string;
  evidenceSpanIds: string[];
  /** status 'error': what went wrong (never the API key). */
  error?: string;
  durationMs: number;
  /** The model that judged (LLM/agentic), null for code judges. */
  model: string | null;
  /** console output of a code judge. */
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
  /** Use response_format json_schema (falls back to plain JSON when the server refuses it). */
  structuredOutput: boolean;
}

export const DEFAULT_LLM_SETTINGS: LlmSettings = {
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  temperature: 0,
  timeoutMs: 60_000,
  maxRetries: 3,
  structuredOutput: true,
};

/** The environment variable browser/CLI mode reads the API key from. */
export const API_KEY_ENV = 'TRACEDECK_LLM_API_KEY';
