import { useState } from 'react';
import type { AppInfo } from '../../shared/api';

function CopyButton({ text }: { text: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <button
      type="button"
      className="status-button"
      title="Copy to clipboard"
      onClick={() =>
        navigator.clipboard?.writeText(text).then(
          () => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1200);
          },
          () => undefined,
        )
      }
    >
      {copied ? 'copied' : 'copy'}
    </button>
  );
}

export function StatusBar({ info, error }: { info: AppInfo | null; error: string | null }) {
  return (
    <footer className="status-bar">
      {error ? (
        <span className="status-item status-error" role="alert">
          {error}
        </span>
      ) : null}
      {info ? (
        <>
          <span className="status-item" title={`Workspace: ${info.workspacePath}`}>
            <span className="status-key">workspace</span> {info.workspacePath}
          </span>
          <span className="spacer" />
          <span className="status-item" data-testid="otlp-endpoint">
            <span className={`dot ${info.otlpEndpoint ? 'dot-on' : 'dot-off'}`} aria-hidden="true" />
            <span className="status-key">OTLP</span>{' '}
            {info.otlpEndpoint ? (
              <>
                <span className="mono">{info.otlpEndpoint}</span>
                <CopyButton text={info.otlpEndpoint} />
              </>
            ) : (
              'receiver off'
            )}
          </span>
          <span className="status-item">{info.mode}</span>
          <span className="status-item">v{info.version}</span>
        </>
      ) : null}
    </footer>
  );
}
