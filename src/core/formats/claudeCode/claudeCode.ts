import { basename } from 'node:path';
import type { Span, TraceMeta } from '../../model/types';
import type { FormatImporter } from '../types';
import { asString } from '../common/json';
import { ImportError } from '../../util/errors';
import { readJsonLines as readTranscript, type JsonLine as CcLine } from '../common/jsonLines';
import { findSessionDir, inlineSubagents, progressTranscripts } from './subagents';
import { buildTranscript, promptTitle } from './transcript';

/**
 * Claude Code session transcripts (`~/.claude/projects/<cwd>/<sessionId>.jsonl`) and sub-agent
 * transcripts (`<sessionId>/subagents/agent-<id>.jsonl`). A session is one trace; a sub-agent file
 * imported on its own is a trace of its own, linked to its session in the metadata.
 */

const LINE_TYPE = /"type"\s*:\s*"(user|assistant|progress|system|summary|file-history-snapshot|queue-operation)"/;

export const claudeCodeImporter: FormatImporter = {
  id: 'claude-code',
  label: 'Claude Code session',
  extensions: ['jsonl'],
  signature: {
    tokens: ['parentUuid', 'sessionId', 'isSidechain', 'userType', 'uuid', 'leafUuid', 'file-history-snapshot', 'summary', 'user', 'assistant'],
    requires: 'JSON Lines of user/assistant entries with sessionId and parentUuid',
  },

  sniff(name, head) {
    const text = head.toString('utf8');
    const first = text.trimStart()[0];
    if (first !== '{') return 0;
    if (!LINE_TYPE.test(text)) return 0;
    const session = /"sessionId"\s*:\s*"[^"]+"/.test(text);
    const tree = /"parentUuid"\s*:/.test(text) || /"leafUuid"\s*:/.test(text);
    if (session && tree) return 0.95;
    if (/"type"\s*:\s*"file-history-snapshot"/.test(text) || (tree && /\.jsonl$/i.test(name))) return 0.6;
    return 0;
  },

  async parse(source, sink) {
    const warn = (m: string) => sink.warn(m);
    const lines = readTranscript(source.name, await source.readAll(), warn);
    const convo = lines.filter((l) => l.o.type === 'user' || l.o.type === 'assistant');
    if (convo.length === 0) {
      throw new ImportError(source.name, 'no user or assistant lines: not a Claude Code session transcript');
    }
    const sessionIds = [...new Set(lines.map((l) => asString(l.o.sessionId)).filter((s): s is string => !!s))];
    const sessionId = sessionIds[0] ?? basename(source.name).replace(/\.jsonl$/i, '');
    const agentId = convo.map((l) => asString(l.o.agentId)).find(Boolean);
    const isSubagentFile = agentId !== undefined && convo.every((l) => l.o.isSidechain === true);

    const traceId = isSubagentFile ? `${sessionId}/agent-${agentId}` : sessionId;
    const rootId = isSubagentFile ? `agent-${agentId}` : `session-${sessionId}`;
    const mainLines = isSubagentFile ? lines : lines.filter((l) => l.o.isSidechain !== true);
    const t = buildTranscript(mainLines, { traceId, containerId: rootId, turns: !isSubagentFile });
    if (t.orphanResults) warn(`${t.orphanResults} tool result(s) answer a tool_use that is not in the file`);

    let under = new Map<string, Span[]>();
    if (!isSubagentFile) {
      under = await inlineSubagents(t.tasks, rootId, {
        traceId,
        sessionId,
        sessionDir: await findSessionDir(source, sessionId),
        sidechains: sidechainGroups(lines),
        progress: progressTranscripts(lines),
        warn,
      });
    }

    if (t.firstTs === undefined) warn('no line has a timestamp: times set to the epoch');
    const start = t.firstTs ?? 0;
    // What the session was about reads better in a list than the random slug.
    const title = t.summary ?? (t.firstPrompt ? promptTitle(t.firstPrompt) : undefined) ?? asString(t.facts.slug) ?? basename(source.name);
    const name = isSubagentFile ? `agent ${agentId}${t.firstPrompt ? `: ${promptTitle(t.firstPrompt)}` : ''}` : title;
    const meta: TraceMeta = {
      traceId,
      name,
      service: 'claude-code',
      version: asString(t.facts.version),
      sessionId,
      // The run failed only when it ended on an API error; failed tool calls are counted apart.
      status: t.endedOnApiError !== undefined ? 'error' : 'ok',
      ...(t.endedOnApiError !== undefined ? { statusMessage: t.endedOnApiError } : {}),
      input: t.firstPrompt,
      output: t.lastAssistantText,
      metadata: {
        cwd: t.facts.cwd,
        gitBranch: t.facts.gitBranch,
        slug: t.facts.slug,
        models: t.models,
        ...(isSubagentFile ? { parentSessionId: sessionId, agentId } : {}),
        ...(sessionIds.length > 1 ? { otherSessionIds: sessionIds.slice(1) } : {}),
      },
    };
    sink.trace(meta);
    sink.span({
      traceId,
      spanId: rootId,
      parentId: null,
      name,
      kind: 'agent',
      sourceKind: isSubagentFile ? 'subagent' : 'session',
      status: t.endedOnApiError !== undefined ? 'error' : 'ok',
      ...(t.endedOnApiError !== undefined ? { statusMessage: t.endedOnApiError } : {}),
      startMs: start,
      endMs: t.lastTs ?? start,
      input: t.firstPrompt,
      output: t.lastAssistantText,
      attributes: { ...t.facts, models: t.models },
      events: t.containerEvents,
    });
    emitInOrder(t.spans, under, rootId, sink.span.bind(sink));
  },
};

/** Main spans in order, each followed by the sub-agent spans that hang under it (explicit stack). */
function emitInOrder(main: Span[], under: Map<string, Span[]>, rootId: string, emit: (s: Span) => void): void {
  const stack: { list: Span[]; i: number }[] = [{ list: [...main, ...(under.get(rootId) ?? [])], i: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.i >= frame.list.length) {
      stack.pop();
      continue;
    }
    const span = frame.list[frame.i++]!;
    emit(span);
    const subs = under.get(span.spanId);
    if (subs && span.spanId !== rootId) stack.push({ list: subs, i: 0 });
  }
}

/** Inline sidechain lines of a session file (older Claude Code), grouped by agent. */
function sidechainGroups(lines: readonly CcLine[]): Map<string, CcLine[]> {
  const groups = new Map<string, CcLine[]>();
  for (const l of lines) {
    if (l.o.isSidechain !== true) continue;
    const id = asString(l.o.agentId) ?? 'sidechain';
    let g = groups.get(id);
    if (!g) groups.set(id, (g = []));
    g.push(l);
  }
  return groups;
}
