import type { ToolCall } from '../../../shared/api';
import { JsonView, TruncatedText } from './JsonView';

/** A tool call: name, id, arguments and (when known) its result; failures in red. */
export function ToolCallView({ call, result, compact = false }: { call: ToolCall; result?: ToolResult; compact?: boolean }) {
  const res: ToolResult | undefined = result ?? ('result' in call ? { value: call.result, isError: call.isError } : undefined);
  const failed = res?.isError ?? call.isError;
  return (
    <div className={`tool-call${failed ? ' failed' : ''}${compact ? ' compact' : ''}`} data-testid="tool-call">
      <div className="tool-call-head">
        <span className="tool-call-arrow">→</span>
        <span className="tool-call-name">{call.name}</span>
        {call.id ? <span className="tool-call-id mono">{call.id}</span> : null}
        {failed ? <span className="tv-badge err">failed</span> : null}
      </div>
      <div className="tool-call-section">
        <div className="tool-call-label">Arguments</div>
        <ValueView value={call.arguments} emptyText="(no arguments)" testId="tool-args" />
      </div>
      {res ? (
        <div className="tool-call-section">
          <div className="tool-call-label">{failed ? 'Error' : 'Result'}</div>
          <ValueView value={res.value} emptyText="(empty result)" testId="tool-result" />
        </div>
      ) : null}
    </div>
  );
}

export interface ToolResult {
  value: unknown;
  isError?: boolean;
}

/** Plain text as text, structured values as a JSON tree. */
export function ValueView({ value, emptyText, testId }: { value: unknown; emptyText: string; testId?: string }) {
  if (value === undefined || value === null || value === '') return <div className="dim value-empty">{emptyText}</div>;
  if (typeof value === 'string') {
    return (
      <div className="value-text" data-testid={testId}>
        <TruncatedText text={value} limit={2000} />
      </div>
    );
  }
  return (
    <div data-testid={testId}>
      <JsonView value={value} expandDepth={2} />
    </div>
  );
}
