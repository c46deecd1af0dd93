import { useCallback, useEffect, useRef, useState } from 'react';
import type { JudgeInfo, JudgeKind, JudgePreview } from '../../shared/api';
import { navigate } from '../app/router';
import { useClient } from '../client/ClientContext';
import { useDebounced } from '../util/useDebounced';
import { ModelStatus } from './ModelStatus';
import { MonacoEditor } from './MonacoEditor';
import { errorText, PreviewPanel } from './parts';
import { judgesHash } from './routes';
import { TracePicker } from './TracePicker';

interface Props {
  /** The stored judge, or null for a new one of `kind`. */
  judge: JudgeInfo | null;
  kind: JudgeKind;
  initialSource: string;
  apiTypes: string;
  traceId: string | null;
  onTraceChange(id: string | null): void;
  onSaved(j: JudgeInfo): void;
  onDeleted(): void;
}

const LIVE_DEBOUNCE_MS = 350;
const ID_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The body of a `.judge.md` file: what follows the JSON front matter. */
function templateOf(source: string): string {
  const m = /^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  return m ? source.slice(m[0].length) : source;
}

/**
 * One judge: Monaco with the judge API types (code) or the prompt template (LLM/agentic), and
 * the verdict on the chosen trace. Code judges re-run as you type (debounced, latest wins);
 * prompt judges re-render their prompt as you type and call the model only on request.
 */
export function JudgeEditor({ judge, kind, initialSource, apiTypes, traceId, onTraceChange, onSaved, onDeleted }: Props) {
  const client = useClient();
  const [source, setSource] = useState(initialSource);
  const [id, setId] = useState(judge?.id ?? '');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [preview, setPreview] = useState<JudgePreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [prompt, setPrompt] = useState<{ text: string; error?: string } | null>(null);
  const seq = useRef(0);

  useEffect(() => {
    setSource(initialSource);
    setId(judge?.id ?? '');
    setPreview(null);
    setMessage(null);
  }, [judge?.id, judge?.hash, initialSource]);

  const live = useDebounced(source, LIVE_DEBOUNCE_MS);
  const dirty = judge ? source !== judge.source : true;

  // Live re-run of code judges; results of superseded runs are dropped.
  useEffect(() => {
    if (kind !== 'code' || !traceId) return;
    const mine = ++seq.current;
    setBusy(true);
    client.call('previewJudge', { traceId, kind, source: live }).then(
      (p) => {
        if (mine !== seq.current) return;
        setPreview(p);
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setPreview({ status: 'error', rationale: '', evidenceSpanIds: [], error: errorText(e), model: null, diagnostics: [], durationMs: 0, totalMs: 0 });
        setBusy(false);
      },
    );
  }, [client, kind, live, traceId]);

  // Live prompt rendering of LLM/agentic judges.
  useEffect(() => {
    if (kind === 'code' || !traceId) return;
    let on = true;
    client.call('renderJudgePrompt', { traceId, template: templateOf(live) }).then(
      (r) => on && setPrompt({ text: r.prompt, error: r.error }),
      (e: unknown) => on && setPrompt({ text: '', error: errorText(e) }),
    );
    return () => {
      on = false;
    };
  }, [client, kind, live, traceId]);

  const runModel = useCallback(async () => {
    if (!traceId) return;
    const mine = ++seq.current;
    setBusy(true);
    try {
      const p = await client.call('previewJudge', { traceId, kind, source });
      if (mine === seq.current) setPreview(p);
    } catch (e) {
      if (mine === seq.current) setPreview({ status: 'error', rationale: '', evidenceSpanIds: [], error: errorText(e), model: null, diagnostics: [], durationMs: 0, totalMs: 0 });
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  }, [client, kind, source, traceId]);

  const save = async () => {
    if (!ID_RE.test(id)) {
      setMessage({ tone: 'error', text: 'Id: lower-case letters, digits, ".", "_" or "-" (it becomes the file name).' });
      return;
    }
    setSaving(true);
    try {
      const saved = await client.call('saveJudge', { id, kind, source });
      setMessage({ tone: 'ok', text: `Saved ${saved.id}` });
      onSaved(saved);
      if (!judge || judge.id !== saved.id) navigate(judgesHash({ page: 'judges', judgeId: saved.id, newKind: null }));
    } catch (e) {
      setMessage({ tone: 'error', text: errorText(e) });
    } finally {
      setSaving(false);
    }
  };

  const remove = async () => {
    if (!judge || !window.confirm(`Delete judge ${judge.id}? Its verdicts stay in past runs.`)) return;
    try {
      await client.call('deleteJudge', { id: judge.id });
      onDeleted();
      navigate(judgesHash({ page: 'judges', judgeId: null, newKind: null }));
    } catch (e) {
      setMessage({ tone: 'error', text: errorText(e) });
    }
  };

  const fileName = `${id || 'new-judge'}.judge.${kind === 'code' ? 'ts' : 'md'}`;
  return (
    <div className="jd-editor-page" data-testid="judge-editor" data-kind={kind}>
      <div className="jd-editor-bar">
        <label className="jd-field">
          <span className="dim">Id</span>
          <input
            className="control mono"
            value={id}
            onChange={(e) => setId(e.currentTarget.value.trim())}
            readOnly={!!judge}
            placeholder="my-judge"
            aria-label="Judge id"
            data-testid="judge-id"
          />
        </label>
        <span className="jd-kind">{kind === 'code' ? 'code judge' : kind === 'llm' ? 'LLM judge' : 'agentic judge'}</span>
        <span className="mono dim">{fileName}</span>
        {dirty ? <span className="jd-dirty">unsaved</span> : null}
        <span className="spacer" />
        {message ? (
          <span className={message.tone === 'error' ? 'text-error' : 'dim'} role="status" data-testid="judge-message">
            {message.text}
          </span>
        ) : null}
        <button type="button" className="button primary" onClick={() => void save()} disabled={saving || !dirty} data-testid="judge-save">
          Save
        </button>
        {judge ? (
          <button type="button" className="button ghost" onClick={() => void remove()}>
            Delete
          </button>
        ) : null}
      </div>
      <div className="jd-split">
        <div className="jd-split-main">
          <MonacoEditor
            path={`/judges/${fileName}`}
            language={kind === 'code' ? 'typescript' : 'markdown'}
            value={source}
            onChange={setSource}
            apiTypes={kind === 'code' ? apiTypes : undefined}
            markers={kind === 'code' ? preview?.diagnostics : undefined}
            testId="judge-source"
          />
        </div>
        <aside className="jd-split-side">
          <div className="jd-side-head">
            <span className="panel-title">Run on trace</span>
            <TracePicker traceId={traceId} onChange={onTraceChange} />
          </div>
          {kind !== 'code' ? <ModelStatus /> : null}
          {kind !== 'code' ? (
            <div className="jd-row">
              <button type="button" className="button" onClick={() => void runModel()} disabled={!traceId || busy} data-testid="judge-run-model">
                {busy ? <span className="spinner" aria-hidden="true" /> : null}
                Ask the model
              </button>
              <span className="dim">calls the endpoint in Settings</span>
            </div>
          ) : (
            <div className="dim jd-hint">Re-runs as you type, isolated from the app (no files, no network).</div>
          )}
          <PreviewPanel traceId={traceId} preview={preview} busy={busy} />
          {kind !== 'code' && prompt ? (
            <details open className="jd-prompt">
              <summary>Rendered prompt</summary>
              {prompt.error ? <div className="text-error">{prompt.error}</div> : null}
              <pre className="jd-pre" data-testid="rendered-prompt">
                {prompt.text}
              </pre>
            </details>
          ) : null}
        </aside>
      </div>
    </div>
  );
}
