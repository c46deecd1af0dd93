import type { JudgeResult, Trace } from 'tracedeck/judge';

export const meta = {
  name: 'No tool errors',
  description: 'Every tool call the agent executed succeeded.',
  gating: true,
  tags: ['reliability'],
};

export default function judge(trace: Trace): JudgeResult {
  const failed = trace.toolCalls().filter((t) => t.isError);
  if (failed.length === 0) {
    return { pass: true, rationale: `${trace.toolCalls().length} tool call(s), none failed` };
  }
  const names = [...new Set(failed.map((t) => t.name))].join(', ');
  return {
    pass: false,
    rationale: `${failed.length} of ${trace.toolCalls().length} tool call(s) failed: ${names}`,
    evidenceSpanIds: failed.map((t) => t.spanId),
  };
}
