import { z } from 'zod';
import { ARG_MATCH_MODES } from './argMatch';

/**
 * A scenario: one task an agent is asked to do, with the ideal way to do it. Kept as JSON files
 * (e.g. scenarios/*.scenario.json) and in the workspace. Traces match a scenario by an attribute
 * (default 'scenario.id' on the root span or trace metadata) or by their input text.
 */
const argMatch = z.union([z.enum(ARG_MATCH_MODES), z.array(z.string().min(1))]);

export const IdealToolCallSchema = z
  .object({
    tool: z.string().min(1),
    /** Reference arguments; how they are compared is set by argMatch (per call, per tool, or global). */
    args: z.record(z.string(), z.unknown()).optional(),
    argMatch: argMatch.optional(),
  })
  .strict();

/** One ideal step = one model turn; its calls may run in parallel (the order inside is free). */
export const IdealStepSchema = z
  .object({
    name: z.string().optional(),
    calls: z.array(IdealToolCallSchema).default([]),
    parallel: z.boolean().default(false),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    input: z.unknown().optional(),
    expectations: z.unknown().optional(),
    match: z
      .object({
        attribute: z.string().default('scenario.id'),
        /** Match traces whose input text contains this string (case-insensitive). */
        inputContains: z.string().optional(),
      })
      .strict()
      .default({ attribute: 'scenario.id' }),
    ideal: z
      .object({
        steps: z.array(IdealStepSchema).min(1),
        /** Seconds an ideal run takes; needed for latency ratio. */
        latencySeconds: z.number().positive().optional(),
        trajectoryMatch: z.enum(['strict', 'unordered', 'subset', 'superset']).default('strict'),
        argMatch: argMatch.default('exact'),
        toolArgMatch: z.record(z.string(), argMatch).default({}),
      })
      .strict(),
  })
  .strict();

export type Scenario = z.infer<typeof ScenarioSchema>;
export type IdealStep = z.infer<typeof IdealStepSchema>;
export type IdealToolCall = z.infer<typeof IdealToolCallSchema>;

/** Parse scenario JSON text; errors name the file and the offending field path. */
export function parseScenario(file: string, text: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: invalid JSON: ${(e as Error).message}`);
  }
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return r.data;
}
