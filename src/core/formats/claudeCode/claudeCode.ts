import { promises as fsp } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Span } from '../../model/types';
import type { FormatImporter, ImportSink, StoredTrace } from '../types';
import { asString } from '../common/json';
import { ImportError } from '../../util/errors';
import { readJsonLines as readTranscript, type JsonLine as CcLine } from '../common/jsonLines';
import { findSessionDir, inlineSubagents, progressTranscripts } from './subagents';
import { mergeSubagentFile } from './subagentFile';
import { buildTranscript, promptTitle } from './transcript';

/**
 * Claude Code session transcripts (`~/.claude/projects/<cwd>/<sessionId>.jsonl`) and sub-agent
 * transcripts (`<sessionId>/subagents/agent-<id>.jsonl`). A session and its sub-agents are one
 * trace, `<sessionId>`, whichever of its files is imported and in whatever order: never a second
 * trace for a sub-agent, never its tokens twice.
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
    const sessionId = sessionIdOf(lines) ?? basename(source.name).replace(/\.jsonl$/i, '');
    const agentId = convo.map((l) => asString(l.o.agentId)).find(Boolean);
    const isSubagentFile = agentId !== undefined && convo.every((l) => l.o.isSidechain === true);
    if (!isSubagentFile) {
      const sessionDir = await findSessionDir(source, sessionId);
      await emitSession(lines, { name: source.name, sessionId, sessionDir, stored: source.storedTrace?.(sessionId), sink });
      return;
    }
    // A sub-agent belongs to its session's one trace. With the session file in its usual place
    // (`<dir>/<sessionId>.jsonl` beside `<dir>/<sessionId>/subagents/`), import that: it reads
    // every sub-agent file, so importing both files in either order gives the same trace.
    const sessionFile = await sessionFileBeside(source.path, sessionId);
    if (sessionFile) {
      const sessionLines = readTranscript(sessionFile, await fsp.readFile(sessionFile), (m) => warn(`${sessionFile}: ${m}`));
      await emitSession(sessionLines, {
        name: sessionFile,
        sessionId,
        sessionDir: join(dirname(sessionFile), sessionId),
        stored: source.storedTrace?.(sessionId),
        sink,
        sourceFile: sessionFile,
      });
      return;
    }
    mergeSubagentFile(lines, { name: source.name, sessionId, agentId, stored: source.storedTrace?.(sessionId), sink });
  },
};

interface SessionArgs {
  name: string;
  sessionId: string;
  sessionDir?: string;
  stored?: StoredTrace;
  sink: ImportSink;
  /** Recorded as the trace's source when it is not the file being imported. */
  sourceFile?: string;
}

function sessionIdOf(lines: readonly CcLine[]): string | undefined {
  return lines.map((l) => asString(l.o.sessionId)).find(Boolean);
}

/** One session transcript with its sub-agents: the trace `<sessionId>`. */
async function emitSession(lines: readonly CcLine[], a: SessionArgs): Promise<void> {
  const { sink, sessionId } = a;
  const warn = (m: string) => sink.warn(m);
  const sessionIds = [...new Set(lines.map((l) => asString(l.o.sessionId)).filter((s): s is string => !!s))];
  const traceId = sessionId;
  const rootId = `session-${sessionId}`;
  const mainLines = lines.filter((l) => l.o.isSidechain !== true);
  const t = buildTranscript(mainLines, { traceId, containerId: rootId, turns: true });
  if (t.orphanResults) warn(`${t.orphanResults} tool result(s) answer a tool_use that is not in the file`);

  const under = await inlineSubagents(t.tasks, rootId, {
    traceId,
    sessionId,
    sessionDir: a.sessionDir,
    sidechains: sidechainGroups(lines),
    progress: progressTranscripts(lines),
    stored: a.stored?.spans,
    warn,
  });

  if (t.firstTs === undefined) warn('no line has a timestamp: times set to the epoch');
  const start = t.firstTs ?? 0;
  // What the session was about reads better in a list than the random slug.
  const title = t.summary ?? (t.firstPrompt ? promptTitle(t.firstPrompt) : undefined) ?? asString(t.facts.slug) ?? basename(a.name);
  const failed = t.endedOnApiError !== undefined;
  const sourceFile = a.sourceFile ?? a.name;
  sink.trace({
    traceId,
    name: title,
    service: 'claude-code',
    version: asString(t.facts.version),
    sessionId,
    // The run failed only when it ended on an API error; failed tool calls are counted apart.
    status: failed ? 'error' : 'ok',
    ...(failed ? { statusMessage: t.endedOnApiError } : {}),
    input: t.firstPrompt,
    output: t.lastAssistantText,
    ...(a.sourceFile ? { sourceFile } : {}),
    ...mergedFrom(a.stored, sourceFile),
    metadata: {
      cwd: t.facts.cwd,
      gitBranch: t.facts.gitBranch,
      slug: t.facts.slug,
      models: t.models,
      ...(sessionIds.length > 1 ? { otherSessionIds: sessionIds.slice(1) } : {}),
    },
  });
  sink.span({
    traceId,
    spanId: rootId,
    parentId: null,
    name: title,
    kind: 'agent',
    sourceKind: 'session',
    status: failed ? 'error' : 'ok',
    ...(failed ? { statusMessage: t.endedOnApiError } : {}),
    startMs: start,
    endMs: t.lastTs ?? start,
    input: t.firstPrompt,
    output: t.lastAssistantText,
    attributes: { ...t.facts, models: t.models },
    events: t.containerEvents,
  });
  emitInOrder(t.spans, under, rootId, sink.span.bind(sink));
}

/** The stored copy this import folds in, when it came from another file: a merge, not a clash. */
function mergedFrom(stored: StoredTrace | undefined, sourceFile: string): { mergedFrom?: string[] } {
  if (!stored) return {};
  const files = [stored.sourceFile, ...(stored.meta.mergedFrom ?? [])].filter((f) => f !== sourceFile);
  return files.length ? { mergedFrom: [...new Set(files)] } : {};
}

/** `<dir>/<sessionId>.jsonl` for a sub-agent file at `<dir>/<sessionId>/subagents/agent-*.jsonl`. */
async function sessionFileBeside(path: string | undefined, sessionId: string): Promise<string | undefined> {
  if (!path) return undefined;
  const subagents = dirname(path);
  const sessionDir = dirname(subagents);
  if (basename(subagents) !== 'subagents' || basename(sessionDir) !== sessionId) return undefined;
  const file = join(dirname(sessionDir), `${sessionId}.jsonl`);
  const st = await fsp.stat(file).catch(() => null);
  return st?.isFile() ? file : undefined;
}

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
