import type { JudgeResult, Trace } from 'tracedeck/judge';

/** Change to your agent's budget. */
const MAX_LLM_CALLS = 10;

export const meta = {
  name: 'At most 10 LLM calls',
  description: 'The agent finished within its model-call budget (a loop guard).',
  gating: true,
  tags: ['cost'],
};

export default function judge(trace: Trace): JudgeResult {
  const calls = trace.llmCalls();
  const usage = trace.usage();
  return {
    pass: calls.length <= MAX_LLM_CALLS,
    // 1 = no calls used, 0 = exactly at budget, negative = over it.
    score: 1 - calls.length / MAX_LLM_CALLS,
    rationale: `${calls.length} LLM call(s) (budget ${MAX_LLM_CALLS}), ${usage.inputTokens + usage.outputTokens} tokens`,
    evidenceSpanIds: calls.length > MAX_LLM_CALLS ? calls.slice(MAX_LLM_CALLS).map((c) => c.spanId) : [],
  };
}
