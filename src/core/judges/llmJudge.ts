import type { ChatCompletion, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { LlmError, type ChatClient } from './llm/client';
import { renderTemplate } from './llm/render';
import { MalformedOutputError, parseVerdictText, VERDICT_INSTRUCTIONS, VERDICT_SCHEMA, type ParsedVerdict } from './llm/verdictJson';
import type { Trace } from './traceApi';
import type { JudgeSpec, VerdictOutcome } from './types';

/** Shared by every LLM call of a run: remembers that a server refused structured output. */
export interface LlmRunContext {
  client: ChatClient;
  temperature: number;
  structuredOutput: boolean;
  /** Set after the first refusal so the next calls go straight to plain JSON. */
  structuredRefused?: boolean;
  signal?: AbortSignal;
}

const SYSTEM_PROMPT =
  'You are a careful evaluator of AI agent traces. Judge only by the criteria you are given and ' +
  'the evidence in the trace. ' +
  VERDICT_INSTRUCTIONS;

/** One LLM judge on one trace. Never throws: failures become status 'error'. */
export async function runLlmJudge(spec: JudgeSpec, trace: Trace, ctx: LlmRunContext): Promise<VerdictOutcome> {
  const t0 = performance.now();
  const model = spec.model ?? ctx.client.model;
  const base = { model, durationMs: 0, rationale: '', evidenceSpanIds: [] as string[] };
  try {
    const prompt = renderTemplate(spec.template ?? '', trace);
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: prompt },
    ];
    const temperature = spec.temperature ?? ctx.temperature;
    const { verdict, usage } = await completeVerdict(ctx, { model, messages, temperature });
    const evidence = verdict.evidenceSpanIds.filter((id) => trace.span(id));
    const out: VerdictOutcome = {
      ...base,
      status: verdict.pass ? 'pass' : 'fail',
      rationale: verdict.rationale,
      evidenceSpanIds: evidence,
      durationMs: performance.now() - t0,
    };
    if (verdict.score !== undefined) out.score = verdict.score;
    if (usage) out.usage = usage;
    return out;
  } catch (e) {
    return { ...base, status: 'error', error: errorText(e), durationMs: performance.now() - t0 };
  }
}

async function completeVerdict(
  ctx: LlmRunContext,
  req: { model: string; messages: ChatCompletionMessageParam[]; temperature: number },
): Promise<{ verdict: ParsedVerdict; usage?: { inputTokens: number; outputTokens: number } }> {
  const structured = ctx.structuredOutput && !ctx.structuredRefused;
  let res: ChatCompletion;
  try {
    res = await ctx.client.complete(
      {
        model: req.model,
        messages: req.messages,
        temperature: req.temperature,
        ...(structured
          ? { response_format: { type: 'json_schema', json_schema: { name: 'judge_verdict', strict: true, schema: VERDICT_SCHEMA } } }
          : {}),
      },
      ctx.signal,
    );
  } catch (e) {
    // Servers without json_schema support answer 400/422: ask again for plain JSON.
    if (structured && e instanceof LlmError && (e.status === 400 || e.status === 422)) {
      ctx.structuredRefused = true;
      res = await ctx.client.complete({ model: req.model, messages: req.messages, temperature: req.temperature }, ctx.signal);
    } else throw e;
  }
  const choice = res.choices?.[0];
  if (!choice) throw new MalformedOutputError('malformed model output: no choices in the response');
  const msg = choice.message;
  if (msg?.refusal) throw new MalformedOutputError(`the model refused: ${msg.refusal.slice(0, 300)}`);
  const verdict = parseVerdictText(msg?.content);
  const usage = res.usage ? { inputTokens: res.usage.prompt_tokens ?? 0, outputTokens: res.usage.completion_tokens ?? 0 } : undefined;
  return { verdict, usage };
}

export function errorText(e: unknown): string {
  if (e instanceof LlmError) return e.attempts > 1 ? `${e.message} (after ${e.attempts} attempts)` : e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}
