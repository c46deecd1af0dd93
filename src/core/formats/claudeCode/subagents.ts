import { promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { Span } from '../../model/types';
import type { ImportSource } from '../types';
import { asString, isRecord } from '../common/json';
import { isoToMs } from '../common/time';
import { readJsonLines as readTranscript, type JsonLine as CcLine } from '../common/jsonLines';
import { anthropicUsage, buildTranscript, type TaskCall } from './transcript';
import { normaliseMessage } from '../common/messages';

/**
 * Sub-agents started by the Task tool write their own transcript. Where to find it, best first:
 *  1. `<sessionId>/subagents/agent-<agentId>.jsonl` beside the session file (Claude Code ≥ 2.1);
 *  2. lines in the session file itself marked `isSidechain` with that `agentId` (older versions);
 *  2b. a sub-agent file imported earlier on its own, kept in the stored trace (subagentFile.ts);
 *  3. the `agent_progress` lines the session file got while the sub-agent ran, which carry each
 *     of its messages in `data.message` — all but the last: its final answer and that message's
 *     usage are in the Task tool's result, and are added from there.
 * Whichever is found is rebuilt under the Task tool span, inside an agent span.
 */

export interface SubagentContext {
  traceId: string;
  sessionId: string;
  /** `<dir>/<sessionId>` next to the session file, when it exists. */
  sessionDir?: string;
  /** agentId → inline sidechain lines. */
  sidechains: Map<string, CcLine[]>;
  /** Task tool_use id → messages rebuilt from agent_progress lines. */
  progress: Map<string, CcLine[]>;
  /** Spans of this trace already stored (sub-agent files imported before the session). */
  stored?: readonly Span[];
  warn(message: string): void;
}

export async function findSessionDir(source: ImportSource, sessionId: string): Promise<string | undefined> {
  if (!source.siblings) return undefined;
  const names = await source.siblings().catch(() => [] as string[]);
  const dir = names.find((p) => basename(p) === sessionId);
  if (!dir) return undefined;
  const st = await fsp.stat(dir).catch(() => null);
  return st?.isDirectory() ? dir : undefined;
}

/** agent_progress lines → transcript lines of the sub-agent, keyed by the Task's tool_use id. */
export function progressTranscripts(lines: readonly CcLine[]): Map<string, CcLine[]> {
  const out = new Map<string, CcLine[]>();
  for (const line of lines) {
    const { o } = line;
    if (o.type !== 'progress' || !isRecord(o.data) || o.data.type !== 'agent_progress') continue;
    const m = o.data.message;
    const key = asString(o.parentToolUseID);
    if (!isRecord(m) || !key) continue;
    const timestamp = m.timestamp ?? o.timestamp;
    const rebuilt = { ...m, timestamp, isSidechain: true, agentId: o.data.agentId, sessionId: o.sessionId };
    let list = out.get(key);
    if (!list) out.set(key, (list = []));
    list.push({ o: rebuilt, lineNo: line.lineNo, file: line.file, ts: isoToMs(timestamp) });
  }
  return out;
}

interface Found {
  lines: CcLine[];
  /** A sub-agent subtree kept from the stored trace, used as it is. */
  kept?: Span[];
  agentId?: string;
  source: 'subagent file' | 'sidechain lines' | 'agent_progress lines';
  file?: string;
}

async function locate(task: TaskCall, ctx: SubagentContext): Promise<Found | undefined> {
  const progress = ctx.progress.get(task.toolUseId);
  const agentId = task.agentId ?? progress?.map((l) => asString(l.o.agentId)).find(Boolean);
  if (agentId && ctx.sessionDir) {
    const file = join(ctx.sessionDir, 'subagents', `agent-${agentId}.jsonl`);
    const data = await fsp.readFile(file).catch(() => null);
    if (data) {
      const lines = readTranscript(file, data, (m) => ctx.warn(`${file}: ${m}`));
      if (lines.length) return { lines, agentId, source: 'subagent file', file };
    }
  }
  const kept = agentId ? storedSubagent(ctx.stored, agentId) : undefined;
  if (kept) return { lines: [], kept, agentId, source: 'subagent file', file: asString(kept[0]!.attributes.file) };
  const side = agentId ? ctx.sidechains.get(agentId) : undefined;
  if (side?.length) return { lines: side, agentId, source: 'sidechain lines' };
  if (progress?.length) return { lines: progress, agentId, source: 'agent_progress lines' };
  return undefined;
}

/**
 * Agent spans with their sub-transcripts, for every Task call (and Task calls inside those),
 * keyed by the span they hang under so they can be emitted right after it.
 */
export async function inlineSubagents(
  tasks: readonly TaskCall[],
  rootId: string,
  ctx: SubagentContext,
): Promise<Map<string, Span[]>> {
  const under = new Map<string, Span[]>();
  const put = (parent: string, list: Span[]) => under.set(parent, [...(under.get(parent) ?? []), ...list]);
  const used = new Set<string>();
  const queue = [...tasks];
  while (queue.length > 0) {
    const task = queue.shift()!;
    const found = await locate(task, ctx);
    if (!found) continue;
    const key = found.agentId ?? task.toolUseId;
    if (used.has(key)) continue;
    used.add(key);
    if (found.kept) {
      const [agent, ...inside] = found.kept;
      completeFinalUsage(task, inside);
      put(task.span.spanId, [{ ...agent!, parentId: task.span.spanId }, ...inside]);
      continue;
    }
    const agent = agentSpan(ctx, task.span.spanId, key, task.subagentType, found);
    const input = isRecord(task.span.input) ? task.span.input : {};
    agent.input = input.prompt ?? task.span.input;
    const t = buildTranscript(found.lines, { traceId: ctx.traceId, containerId: agent.spanId, turns: false });
    agent.startMs = t.firstTs ?? task.span.startMs;
    agent.endMs = t.lastTs ?? task.span.endMs;
    agent.output = t.lastAssistantText;
    agent.events = t.containerEvents;
    if (t.models.length) agent.attributes.models = t.models;
    if (found.source === 'agent_progress lines') {
      const final = finalAnswer(task, agent, t.models[t.models.length - 1]);
      if (final) t.spans.push(final);
    } else completeFinalUsage(task, t.spans);
    put(task.span.spanId, [agent, ...t.spans]);
    for (const sub of t.tasks) queue.push(sub);
  }
  for (const kept of storedSubagents(ctx.stored)) {
    const agentId = asString(kept[0]!.attributes.agentId) ?? kept[0]!.spanId;
    if (used.has(agentId)) continue;
    // A sub-agent file imported before the session that no Task call here claims (a compaction
    // agent, or a Task in a part of the session not written yet): kept under the session.
    used.add(agentId);
    put(rootId, [{ ...kept[0]!, parentId: rootId }, ...kept.slice(1)]);
  }
  // Sub-agent files beside the session that no Task call claims (compaction agents, `acompact-*`).
  for (const file of await unclaimedFiles(ctx.sessionDir, used)) {
    const lines = readTranscript(file, await fsp.readFile(file), (m) => ctx.warn(`${file}: ${m}`));
    const agentId = lines.map((l) => asString(l.o.agentId)).find(Boolean) ?? basename(file).replace(/^agent-|\.jsonl$/g, '');
    if (!lines.length || used.has(agentId)) continue;
    used.add(agentId);
    const type = agentId.startsWith('acompact') ? 'compaction' : undefined;
    put(rootId, unlinkedAgent(ctx, rootId, type, { lines, agentId, source: 'subagent file', file }));
  }
  for (const [agentId, lines] of ctx.sidechains) {
    if (used.has(agentId)) continue;
    // Sidechain lines no Task call claims: keep them visible under the session.
    put(rootId, unlinkedAgent(ctx, rootId, undefined, { lines, agentId, source: 'sidechain lines' }));
    ctx.warn(`sidechain of agent ${agentId} is not linked to any Task call: shown under the session`);
  }
  return under;
}

/** A sub-agent no Task call started (or none links to): its spans under the session root. */
function unlinkedAgent(ctx: SubagentContext, rootId: string, type: string | undefined, found: Found & { agentId: string }): Span[] {
  const agent = agentSpan(ctx, rootId, found.agentId, type, found);
  const t = buildTranscript(found.lines, { traceId: ctx.traceId, containerId: agent.spanId, turns: false });
  agent.startMs = t.firstTs ?? 0;
  agent.endMs = t.lastTs ?? agent.startMs;
  agent.input = t.firstPrompt;
  agent.output = t.lastAssistantText;
  agent.events = t.containerEvents;
  return [agent, ...t.spans];
}

function agentSpan(ctx: SubagentContext, parentId: string, key: string, type: string | undefined, found: Found): Span {
  return {
    traceId: ctx.traceId,
    spanId: `agent-${key}`,
    parentId,
    name: `${type ?? 'sub'} agent${found.agentId ? ` ${found.agentId}` : ''}`,
    kind: 'agent',
    sourceKind: 'subagent',
    status: 'ok',
    startMs: 0,
    endMs: null,
    attributes: { agentId: found.agentId, subagentType: type, transcriptSource: found.source, file: found.file },
    events: [],
  };
}

/**
 * The last API message of a sub-agent rebuilt from progress lines: Claude Code reports it only in
 * the Task tool's result (`toolUseResult.content` and that message's `usage`).
 */
function finalAnswer(task: TaskCall, agent: Span, model: string | undefined): Span | undefined {
  const text = task.span.toolCall?.result;
  if (typeof text !== 'string' || !text.trim() || task.span.status === 'error') return undefined;
  const res = isRecord(task.span.output) ? task.span.output : {};
  const message = normaliseMessage({ role: 'assistant', content: text });
  const end = task.span.endMs ?? agent.endMs ?? agent.startMs;
  const start = Math.min(agent.endMs ?? end, end);
  agent.output = text;
  agent.endMs = end;
  return {
    traceId: agent.traceId,
    spanId: `${agent.spanId}-final-answer`,
    parentId: agent.spanId,
    name: model ?? 'assistant',
    kind: 'llm',
    sourceKind: 'final answer (from the Task result)',
    status: 'ok',
    startMs: start,
    endMs: end,
    model,
    provider: model ? 'anthropic' : undefined,
    outputMessages: [message],
    output: text,
    usage: isRecord(res.usage) ? anthropicUsage(res.usage) : undefined,
    attributes: { usage: res.usage, rebuiltFrom: 'Task tool result' },
    events: [],
  };
}

/** Stored sub-agent subtrees read from sub-agent files: agent span first, then what is inside. */
function storedSubagents(stored: readonly Span[] | undefined): Span[][] {
  if (!stored) return [];
  const out: Span[][] = [];
  for (const s of stored) {
    if (s.sourceKind === 'subagent' && s.attributes.transcriptSource === 'subagent file') out.push(subtree(stored, s));
  }
  // Nested sub-agents come with their outer one.
  const inner = new Set(out.flatMap((t) => t.slice(1).map((s) => s.spanId)));
  return out.filter((t) => !inner.has(t[0]!.spanId));
}

function storedSubagent(stored: readonly Span[] | undefined, agentId: string): Span[] | undefined {
  const agent = stored?.find((s) => s.spanId === `agent-${agentId}` && s.attributes.transcriptSource === 'subagent file');
  return agent ? subtree(stored!, agent) : undefined;
}

/** A span and everything below it, in stored order (parents before children). */
export function subtree(spans: readonly Span[], top: Span): Span[] {
  const ids = new Set([top.spanId]);
  const out = [top];
  for (const s of spans) {
    if (s !== top && s.parentId !== null && ids.has(s.parentId)) {
      ids.add(s.spanId);
      out.push(s);
    }
  }
  return out;
}

async function unclaimedFiles(sessionDir: string | undefined, used: ReadonlySet<string>): Promise<string[]> {
  if (!sessionDir) return [];
  const dir = join(sessionDir, 'subagents');
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  return names
    .filter((n) => /^agent-.+\.jsonl$/.test(n) && !used.has(n.replace(/^agent-|\.jsonl$/g, '')))
    .sort()
    .map((n) => join(dir, n));
}

/**
 * A sub-agent transcript writes its last message's usage as the reply starts streaming (often 1
 * output token); the Task result reports that message's final usage. Field-wise max of the two.
 */
export function completeFinalUsage(task: TaskCall | { span: Span }, inside: readonly Span[]): void {
  const res = isRecord(task.span.output) ? task.span.output : undefined;
  const final = res && isRecord(res.usage) ? anthropicUsage(res.usage) : undefined;
  const last = [...inside].reverse().find((s) => s.kind === 'llm' && s.parentId === `agent-${asString(res?.agentId) ?? ''}`);
  if (!final || !last) return;
  const merged = { ...(last.usage ?? {}) };
  for (const [k, v] of Object.entries(final) as [keyof typeof final, number][]) merged[k] = Math.max(merged[k] ?? 0, v);
  last.usage = merged;
  last.attributes = { ...last.attributes, finalUsageFrom: 'Task tool result' };
}
