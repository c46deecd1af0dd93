import type { Span, TraceMeta } from '../../model/types';
import type { ImportSink, StoredTrace } from '../types';
import { asString, isRecord } from '../common/json';
import type { JsonLine as CcLine } from '../common/jsonLines';
import { completeFinalUsage, subtree } from './subagents';
import { buildTranscript } from './transcript';

/**
 * A sub-agent file (`<sessionId>/subagents/agent-<id>.jsonl`) imported without its session file
 * beside it (an upload, a copied file). It still goes into the session's one trace `<sessionId>`:
 *  - that trace is stored (the session, or other sub-agent files): the stored trace is written
 *    again with this sub-agent's subtree replacing whatever stood for it (the copy rebuilt from
 *    the session's progress lines), under the Task call that started it — its tokens once;
 *  - nothing is stored yet: the trace holds a placeholder session span with the sub-agent under
 *    it; importing the session later keeps the sub-agent (subagents.ts reads it back).
 */

export interface SubagentFileArgs {
  name: string;
  sessionId: string;
  agentId: string;
  stored?: StoredTrace;
  sink: ImportSink;
}

export function mergeSubagentFile(lines: readonly CcLine[], a: SubagentFileArgs): void {
  const { sink, sessionId, agentId } = a;
  const traceId = sessionId;
  const agentSpanId = `agent-${agentId}`;
  const rootId = `session-${sessionId}`;
  const stored = a.stored?.spans ?? [];
  const t = buildTranscript(lines, { traceId, containerId: agentSpanId, turns: false });
  if (t.orphanResults) sink.warn(`${t.orphanResults} tool result(s) answer a tool_use that is not in the file`);

  const previous = stored.find((s) => s.spanId === agentSpanId);
  const task = previous ? undefined : taskCallOf(stored, agentId);
  const parentId = previous?.parentId ?? task?.spanId ?? rootId;
  const subagentType = asString(previous?.attributes.subagentType) ?? (isRecord(task?.input) ? asString(task.input.subagent_type) : undefined);
  const start = t.firstTs ?? 0;
  const agent: Span = {
    traceId,
    spanId: agentSpanId,
    parentId,
    name: `${subagentType ?? 'sub'} agent ${agentId}`,
    kind: 'agent',
    sourceKind: 'subagent',
    status: 'ok',
    startMs: start,
    endMs: t.lastTs ?? start,
    input: t.firstPrompt,
    output: t.lastAssistantText,
    attributes: { agentId, subagentType, transcriptSource: 'subagent file', file: a.name, ...(t.models.length ? { models: t.models } : {}) },
    events: t.containerEvents,
  };

  const taskSpan = stored.find((s) => s.spanId === parentId && s.kind === 'tool');
  if (taskSpan) completeFinalUsage({ span: taskSpan }, t.spans);
  if (a.stored) {
    const { mergedFrom, ...meta } = a.stored.meta as Omit<TraceMeta, 'traceId'>;
    const replaced = new Set(previous ? subtree(stored, previous).map((s) => s.spanId) : []);
    sink.trace({ ...meta, traceId, sourceFile: a.stored.sourceFile, ...(mergedFrom ? { mergedFrom } : {}) });
    for (const s of stored) if (!replaced.has(s.spanId)) sink.span(s);
  } else {
    const title = `session ${sessionId} (only sub-agent files imported)`;
    sink.trace({
      traceId,
      name: title,
      service: 'claude-code',
      version: asString(t.facts.version),
      sessionId,
      status: 'ok',
      metadata: { cwd: t.facts.cwd, gitBranch: t.facts.gitBranch, slug: t.facts.slug, partial: 'import the session file to complete this trace' },
    });
    sink.span({
      traceId,
      spanId: rootId,
      parentId: null,
      name: title,
      kind: 'agent',
      sourceKind: 'session (file not imported)',
      status: 'unset',
      startMs: start,
      endMs: t.lastTs ?? start,
      attributes: { sessionId },
      events: [],
    });
    sink.warn(`sub-agent ${agentId} of session ${sessionId}: the session file is not imported yet; import it to link the sub-agent to its Task call`);
  }
  sink.span(agent);
  for (const s of t.spans) sink.span(s);
}

/** The Task tool call whose result names this agent (`toolUseResult.agentId`, kept as output). */
function taskCallOf(spans: readonly Span[], agentId: string): Span | undefined {
  return spans.find((s) => s.kind === 'tool' && isRecord(s.output) && s.output.agentId === agentId);
}
