import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReplayDraft, ReplayResponse, VariantInfo } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { MonacoEditor } from '../judges/MonacoEditor';
import { Conversation } from '../trace/detail/Conversation';
import { formatDuration, formatTimestamp, formatTokens } from '../util/format';
import { showControls } from '../util/untrustedText';
import '../judges/judges.css';
import './insights.css';

/**
 * Replay of one recorded LLM call: its request (messages, tools, model, parameters) as JSON in
 * the embedded editor, re-run against the configured OpenAI-compatible endpoint, the new answer
 * beside the recorded one, and "save as variant" — a trace derived from the original with this
 * call's request and answer replaced, linked back to the span, that judges run on like any other.
 */
export function ReplayView({ traceId, spanId }: { traceId: string; spanId: string }) {
  const client = useClient();
  const [draft, setDraft] = useState<ReplayDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  // The editor's text as of the last keystroke: a ref, so Ctrl+Enter right after typing sends
  // what was typed, not the text of the render before (the key listener may predate it).
  const textRef = useRef('');
  const setText = useCallback((t: string) => {
    textRef.current = t;
  }, []);
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<{ replayId: string; response: ReplayResponse } | null>(null);
  const [runError, setRunError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<VariantInfo | null>(null);
  const [variants, setVariants] = useState<VariantInfo[]>([]);
  const runButton = useRef<HTMLButtonElement>(null);

  const loadVariants = useCallback(() => {
    client.call('listVariants', { traceId, spanId }).then((v) => setVariants(v.variants), () => undefined);
  }, [client, traceId, spanId]);

  useEffect(() => {
    client.call('replayDraft', { traceId, spanId }).then(
      (d) => {
        setDraft(d);
        setText(d.requestJson);
      },
      (e: unknown) => setLoadError(e instanceof Error ? e.message : String(e)),
    );
    loadVariants();
  }, [client, traceId, spanId, loadVariants, setText]);

  const run = useCallback(async () => {
    if (!draft || draft.modelProblem || running) return;
    setRunning(true);
    setRunError(null);
    setSaved(null);
    try {
      const r = await client.call('replayRun', { traceId, spanId, request: textRef.current });
      if (r.ok) setResult({ replayId: r.replayId, response: r.response });
      else {
        setResult(null);
        setRunError(r.error);
      }
    } catch (e) {
      setRunError(e instanceof Error ? e.message : String(e));
    } finally {
      setRunning(false);
    }
  }, [client, draft, running, spanId, traceId]);

  const save = useCallback(async () => {
    if (!result || saving) return;
    setSaving(true);
    try {
      const v = await client.call('saveReplayVariant', { replayId: result.replayId });
      setSaved(v);
      setResult(null);
      loadVariants();
    } catch (e) {
      setRunError(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  }, [client, loadVariants, result, saving]);

  // Ctrl+Enter runs, also from inside the editor (captured before Monaco's own binding).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        e.stopPropagation();
        void run();
      } else if (e.key === 'Escape' && !(e.target as HTMLElement | null)?.closest?.('.monaco-editor')) {
        navigate(traceHash(traceId, spanId));
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [run, traceId, spanId]);

  if (loadError)
    return (
      <div className="ins-page">
        <div className="text-error pad" role="alert" data-testid="replay-error">
          {loadError}
        </div>
        <button type="button" className="button" onClick={() => navigate(traceHash(traceId, spanId))}>
          ← Back to the span
        </button>
      </div>
    );
  if (!draft) return <div className="dim pad">Loading the recorded call…</div>;

  const path = `/replay/${encodeURIComponent(traceId)}/${encodeURIComponent(spanId)}.request.json`;
  return (
    <div className="ins-page ins-replay" data-testid="replay-view">
      <header className="ins-head">
        <button type="button" className="button ghost" onClick={() => navigate(traceHash(traceId, spanId))} title="Back to the span (Esc)">
          ← Span
        </button>
        <h1 className="ins-title">Replay LLM call</h1>
        <span className="dim">
          recorded model <span className="mono untrusted">{draft.recordedModel ? showControls(draft.recordedModel) : '—'}</span> · endpoint model{' '}
          <span className="mono">{showControls(draft.configuredModel || '—')}</span>
        </span>
        <span className="spacer" />
        <button
          ref={runButton}
          type="button"
          className="button primary"
          disabled={!!draft.modelProblem || running}
          onClick={() => void run()}
          data-testid="replay-run"
          title="Send the request to the configured endpoint (Ctrl+Enter)"
        >
          {running ? <span className="spinner light" aria-hidden="true" /> : null}
          Run (Ctrl+Enter)
        </button>
        <button type="button" className="button" disabled={!result || saving} onClick={() => void save()} data-testid="replay-save" title="Store the new answer as a variant trace linked to this span">
          Save as variant
        </button>
      </header>
      {draft.modelProblem ? (
        <div className="ins-alert" role="alert" data-testid="replay-model-problem">
          <strong>Cannot replay:</strong> {draft.modelProblem}.{' '}
          <button type="button" className="link-button" onClick={() => navigate('#/judges/settings')}>
            Model settings
          </button>
        </div>
      ) : null}
      {runError ? (
        <div className="ins-alert" role="alert" data-testid="replay-run-error">
          {runError}
        </div>
      ) : null}
      {saved ? (
        <div className="ins-note" role="status" data-testid="replay-saved">
          Saved as variant <span className="untrusted">{showControls(saved.name)}</span>.{' '}
          <button type="button" className="link-button" onClick={() => navigate(traceHash(saved.traceId, spanId))} data-testid="open-variant">
            Open the variant
          </button>{' '}
          — judges run on it like on any trace.
        </div>
      ) : null}
      <div className="ins-replay-grid">
        <section className="ins-replay-editor" aria-label="Request">
          <div className="ins-pane-head">
            Request <span className="dim">(OpenAI chat completions JSON: edit messages, tools, parameters)</span>
          </div>
          <MonacoEditor path={path} language="json" value={draft.requestJson} version={draft.requestJson} onChange={setText} testId="replay-editor" />
        </section>
        <section className="ins-replay-out" aria-label="Recorded response" data-testid="replay-recorded">
          <div className="ins-pane-head">Recorded response</div>
          <div className="ins-pane-body">
            {draft.recordedOutput.length ? <Conversation input={[]} output={draft.recordedOutput} /> : <div className="dim pad">The span recorded no answer.</div>}
          </div>
        </section>
        <section className="ins-replay-out" aria-label="New response" data-testid="replay-new">
          <div className="ins-pane-head">
            New response
            {result ? (
              <span className="dim">
                {' '}
                · <span className="mono untrusted">{showControls(result.response.model)}</span> · {formatDuration(result.response.durationMs)} ·{' '}
                {formatTokens(result.response.inputTokens, result.response.outputTokens)} tokens
                {result.response.finishReason ? ` · ${showControls(result.response.finishReason)}` : ''}
              </span>
            ) : null}
          </div>
          <div className="ins-pane-body">
            {result ? (
              <Conversation input={[]} output={result.response.messages} />
            ) : (
              <div className="dim pad">{running ? 'Waiting for the model…' : 'Run the request to see the new answer here.'}</div>
            )}
          </div>
        </section>
      </div>
      {variants.length ? (
        <footer className="ins-variants" data-testid="replay-variants">
          <span className="dim">Variants of this call:</span>
          {variants.map((v) => (
            <button key={v.traceId} type="button" className="link-button untrusted" onClick={() => navigate(traceHash(v.traceId, spanId))}>
              {showControls(v.name)} <span className="dim">({showControls(v.model)}, {formatTimestamp(v.createdAt)})</span>
            </button>
          ))}
        </footer>
      ) : null}
    </div>
  );
}
