/** Judges: definitions as files/rows, verdicts, runs. Contract-visible types live in model/judges. */
import type { JudgeKind, LlmSettings, TranscriptEntry, VerdictStatus } from '../model/judges';

export { JUDGE_KINDS, VERDICT_STATUSES } from '../model/judges';
export type { JudgeKind, LlmSettings, TranscriptEntry, VerdictStatus } from '../model/judges';

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
