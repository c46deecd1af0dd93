import type { ArgMatchModeName, ScenarioAttach, TrajectoryMatchMode } from '../model/compare';
import type { Span } from '../model/types';
import { observedTrajectory } from './observed';
import { ScenarioSchema, type IdealToolCall, type Scenario } from './scenario';
import type { TraceFacts } from '../store/scenarios';

export interface FromTraceOptions {
  id: string;
  name?: string;
  trajectoryMatch: TrajectoryMatchMode;
  argMatch: ArgMatchModeName;
  /** input: the trace's input text; tag: `tag`; attribute: the default scenario.id attribute. */
  attach: ScenarioAttach;
  tag?: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * "Use this trace as the ideal trajectory": one ideal step per observed model turn (LLM span)
 * with the tool calls it requested and their arguments, the trace's latency as the ideal latency.
 * A turn that requested several calls at once is a parallel step (the order inside is free).
 * Errors name what is missing (no model turns; no input text to attach by).
 */
export function scenarioFromTrace(spans: Span[], facts: TraceFacts, o: FromTraceOptions): Scenario {
  const observed = observedTrajectory(spans);
  if (!observed.steps.length) throw new Error(`trace '${facts.traceId}' has no model turns (LLM spans) to use as ideal steps`);
  const input = facts.inputText.trim();
  if (o.attach === 'input' && !input) throw new Error(`trace '${facts.traceId}' has no input text to attach by; attach by tag or attribute`);
  if (o.attach === 'tag' && !o.tag?.trim()) throw new Error('attaching by tag needs a tag');

  const steps = observed.steps.map((st) => {
    const calls = st.calls.map((c): IdealToolCall => {
      // Arguments that are not an object (a bare string) cannot be a reference: ignored for that call.
      if (o.argMatch === 'ignore') return { tool: c.tool };
      return isRecord(c.args) ? { tool: c.tool, args: c.args } : { tool: c.tool, argMatch: 'ignore' };
    });
    return { calls, parallel: calls.length > 1 };
  });
  const latency = Math.round(observed.latencyMs) / 1000;
  return ScenarioSchema.parse({
    id: o.id,
    ...(o.name ? { name: o.name } : {}),
    ...(o.attach === 'input' ? { input } : {}),
    match: { attribute: 'scenario.id', ...(o.attach === 'tag' ? { tag: o.tag!.trim() } : {}) },
    ideal: {
      steps,
      ...(latency > 0 ? { latencySeconds: latency } : {}),
      trajectoryMatch: o.trajectoryMatch,
      argMatch: o.argMatch,
    },
  });
}
