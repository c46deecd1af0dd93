/**
 * Evaluations recorded in the imported files themselves: Langfuse scores, LangSmith feedback,
 * Inspect scores, Phoenix annotations, MLflow assessments. They are stored next to the trace
 * (not as Tracedeck judge verdicts) and serve as a verdict source for diffs and alignment.
 */
export interface RecordedEvaluation {
  /** Score / feedback key / assessment name ("correctness", "hallucination", "match"). */
  name: string;
  /** Where it came from: 'langfuse', 'inspect', 'mlflow', 'langsmith', 'phoenix', plus the source's own kind (e.g. 'langfuse:EVAL'). */
  source: string;
  /** The value as recorded (number, string, boolean, or JSON for structured values). */
  value: unknown;
  /** pass / fail by the documented mapping (evaluationPass), or null when the value does not say. */
  pass: boolean | null;
  /** Comment, rationale or explanation recorded with it. */
  comment?: string;
  /** The span it is attached to, when the source names one. */
  spanId?: string;
  /** Who or what recorded it (a user, an LLM judge, a scorer name). */
  author?: string;
  timeMs?: number;
}

/** What an importer gives: the verdict is derived by evaluationPass unless the source states one. */
export type RecordedEvaluationInput = Omit<RecordedEvaluation, 'pass'> & { pass?: boolean | null };

/**
 * Score names that measure a defect, where a high score is bad (Langfuse / Phoenix / Ragas
 * evaluators: hallucination, toxicity …). Matched on the name, case-insensitively.
 */
const DEFECT_NAME = /hallucinat|toxic|bias|harm|unsafe|jailbreak|pii|violat|injection|error|fail|regress/i;

const PASS_WORDS = new Set(['pass', 'passed', 'yes', 'true', 'correct', 'c', 'good', 'success', 'succeeded', 'ok', 'thumbs_up', 'positive', 'accept', 'accepted']);
const FAIL_WORDS = new Set(['fail', 'failed', 'no', 'false', 'incorrect', 'i', 'bad', 'failure', 'error', 'thumbs_down', 'negative', 'reject', 'rejected']);

/**
 * The pass/fail mapping (docs: tests/fixtures/FORMATS.md "Recorded evaluations"):
 * - booleans: true = pass, false = fail;
 * - words: pass/yes/true/correct/C … = pass, fail/no/false/incorrect/I … = fail (Inspect's
 *   C/I letters; P (partial) and N (no answer) follow Inspect's own value_to_float, 0.5 and 0);
 * - numbers (and numeric strings) on a 0–1 scale: pass when ≥ 0.5, except for names that measure a
 *   defect (hallucination, toxicity, bias …), which pass when < 0.5;
 * - anything else (numbers outside 0–1 such as a 1–5 rating, free text, structured values): no
 *   verdict. Such evaluations are shown but take no part in diffs or alignment.
 */
export function evaluationPass(name: string, value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const w = value.trim().toLowerCase();
    if (PASS_WORDS.has(w)) return true;
    if (FAIL_WORDS.has(w)) return false;
    if (w === 'p') n = 0.5;
    else if (w === 'n') n = 0;
    else if (w !== '' && Number.isFinite(Number(w))) n = Number(w);
  }
  if (n === undefined || !Number.isFinite(n) || n < 0 || n > 1) return null;
  return DEFECT_NAME.test(name) ? n < 0.5 : n >= 0.5;
}

export function toRecordedEvaluation(e: RecordedEvaluationInput): RecordedEvaluation {
  return { ...e, pass: e.pass === undefined ? evaluationPass(e.name, e.value) : e.pass };
}
