import { useRef, useState } from 'react';
import type { Message } from '../../../shared/api';
import { TruncatedText } from './JsonView';
import { MediaParts } from './MediaParts';
import { MessageText, RawToggle } from './MessageText';
import { ToolCallView, type ToolResult } from './ToolCallView';

/**
 * An LLM call as a conversation: the messages sent, then the reply. Tool calls show their
 * arguments and, when a later message in the same exchange answers them, their result; tool
 * messages already shown under their call are folded into it. Reasoning is collapsible.
 */
export function Conversation({ input, output }: { input: Message[]; output: Message[] }) {
  const results = new Map<string, ToolResult>();
  for (const m of [...input, ...output]) {
    if (m.role === 'tool' && m.toolCallId) results.set(m.toolCallId, { value: m.content, isError: m.isError });
  }
  const calledIds = new Set<string>();
  for (const m of [...input, ...output]) for (const c of m.toolCalls ?? []) if (c.id) calledIds.add(c.id);
  // Long histories: show the last turns, the rest behind one click.
  const [showAll, setShowAll] = useState(input.length <= 12);
  const hiddenCount = showAll ? 0 : input.length - 8;
  const visibleInput = showAll ? input : [input[0]!, ...input.slice(input.length - 7)];
  const reply = useRef<HTMLDivElement>(null);

  return (
    <div className="conversation" data-testid="conversation">
      <div className="conv-summary">
        {input.length > 3 && output.length ? (
          <>
            <span className="dim">
              {input.length} messages sent · {output.length} in the reply
            </span>
            <button type="button" className="link-button" onClick={() => reply.current?.scrollIntoView({ block: 'start' })}>
              jump to reply ↓
            </button>
          </>
        ) : null}
        <span className="spacer" />
        <RawToggle />
      </div>
      {visibleInput.map((m, i) => (
        <div key={`in-${i}`}>
          {!showAll && i === 1 ? (
            <button type="button" className="conv-more" onClick={() => setShowAll(true)}>
              show {hiddenCount} earlier messages
            </button>
          ) : null}
          <MessageView message={m} results={results} folded={m.role === 'tool' && !!m.toolCallId && calledIds.has(m.toolCallId)} />
        </div>
      ))}
      {output.length ? (
        <div className="conv-divider" ref={reply}>
          Response
        </div>
      ) : null}
      {output.map((m, i) => (
        <MessageView key={`out-${i}`} message={m} results={results} folded={false} response />
      ))}
    </div>
  );
}

const ROLE_LABEL: Record<string, string> = {
  system: 'System',
  developer: 'Developer',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  other: 'Message',
};

function MessageView({
  message: m,
  results,
  folded,
  response = false,
}: {
  message: Message;
  results: Map<string, ToolResult>;
  folded: boolean;
  response?: boolean;
}) {
  const [open, setOpen] = useState(!folded && m.role !== 'system');
  const preview = m.content.replace(/\s+/g, ' ').slice(0, 140);
  return (
    <div
      className={`msg role-${m.role}${m.isError ? ' failed' : ''}${response ? ' response' : ''}`}
      data-testid="message"
      data-role={m.role}
    >
      <div className="msg-head" onClick={() => setOpen((o) => !o)} role="button" aria-expanded={open}>
        <span className={`json-caret${open ? ' open' : ''}`}>▸</span>
        <span className={`msg-role role-${m.role}`}>{ROLE_LABEL[m.role] ?? m.role}</span>
        {m.name ? <span className="msg-name">{m.name}</span> : null}
        {m.role === 'tool' && m.toolCallId ? <span className="mono dim">↳ {m.toolCallId}</span> : null}
        {m.isError ? <span className="tv-badge err">error</span> : null}
        {m.media?.length ? (
          <span className="dim">
            {m.media.length} attachment{m.media.length > 1 ? 's' : ''}
          </span>
        ) : null}
        {m.toolCalls?.length ? (
          <span className="dim">
            {m.toolCalls.length} tool call{m.toolCalls.length > 1 ? 's' : ''}
          </span>
        ) : null}
        {!open ? <span className="msg-preview">{preview}</span> : null}
      </div>
      {open ? (
        <div className="msg-body">
          {m.reasoning ? (
            <details className="msg-reasoning">
              <summary>Reasoning</summary>
              <div className="msg-text">
                <TruncatedText text={m.reasoning} limit={3000} />
              </div>
            </details>
          ) : null}
          {m.content ? <MessageText text={m.content} markdown={m.role !== 'tool'} /> : null}
          {m.media?.length ? <MediaParts parts={m.media} /> : null}
          {m.toolCalls?.map((c, i) => (
            <ToolCallView key={c.id ?? i} call={c} result={c.id ? results.get(c.id) : undefined} compact />
          ))}
        </div>
      ) : null}
    </div>
  );
}
