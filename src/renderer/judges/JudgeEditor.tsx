import { useCallback, useEffect, useRef, useState } from 'react';
import type { JudgeInfo, JudgeKind, JudgePreview } from '../../shared/api';
import { navigate } from '../app/router';
import { useClient } from '../client/ClientContext';
import { useDebounced } from '../util/useDebounced';
import { ModelStatus } from './ModelStatus';
import { adoptModelVersion, MonacoEditor } from './MonacoEditor';
import { errorText, PreviewPanel } from './parts';
import { judgesHash } from './routes';
import { modeOfJudge, SplitPanel } from './SplitPanel';
import { TracePicker } from './TracePicker';

interface Props {
  /** The stored judge, or null for a new one of `kind`. */
  judge: JudgeInfo | null;
  kind: JudgeKind;
  initialSource: string;
  /** Identifies `initialSource` for a new judge (a fresh starter text gets a fresh version). */
  newVersion?: string;
  apiTypes: string;
  traceId: string | null;
  onTraceChange(id: string | null): void;
  onSaved(j: JudgeInfo): void;
  onDeleted(): void;
}

const LIVE_DEBOUNCE_MS = 350;

/** A random name for one mounted editor (getRandomValues: also where randomUUID is missing). */
function newEditorId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
}

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
export function JudgeEditor({ judge, kind, initialSource, newVersion, apiTypes, traceId, onTraceChange, onSaved, onDeleted }: Props) {
  const client = useClient();
  // The editor's model owns the text; `source` follows it (onChange) for preview, dirty and save.
  const [source, setSourceState] = useState(initialSource);
  const sourceRef = useRef(initialSource);
  const setSource = useCallback((text: string) => {
    sourceRef.current = text;
    setSourceState(text);
  }, []);
  // Which version of the stored document the model was loaded from. It moves on when the stored
  // judge changes under the editor (imported from a folder: the model is reloaded) and when the
  // user reverts; after the editor's own save the model is already that text, so it is adopted.
  const ext = kind === 'code' ? 'ts' : 'md';
  const modelPath = judge ? `/judges/${judge.id}.judge.${ext}` : `/judges/new/${kind}.judge.${ext}`;
  const [docVersion, setDocVersion] = useState(judge ? judge.hash : `new:${newVersion ?? ''}`);
  const ownSave = useRef<string | null>(null);
  const reverts = useRef(0);
  const [id, setId] = useState(judge?.id ?? '');
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [preview, setPreview] = useState<JudgePreview | null>(null);
  // The text and trace the shown preview was computed from: it is current only while both are
  // the editor's (a new trace is picked a render before its run starts and sets `busy`).
  const [previewOf, setPreviewOf] = useState<{ text: string; traceId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // The editor's TypeScript errors: the preview runs transpiled code regardless, so say so.
  const [typeErrors, setTypeErrors] = useState<{ line: number; column: number; message: string }[]>([]);
  const [prompt, setPrompt] = useState<{ text: string; error?: string } | null>(null);
  const seq = useRef(0);
  // Names this editor's live re-runs to the backend, which orders them by `seq`, not by arrival.
  const [editorId] = useState(newEditorId);

  const storedHash = judge?.hash;
  useEffect(() => {
    if (storedHash === undefined) return;
    if (storedHash === ownSave.current) {
      adoptModelVersion(modelPath, storedHash);
      setDocVersion(storedHash);
    } else {
      setDocVersion((v) => (v.split('#')[0] === storedHash ? v : storedHash));
    }
  }, [storedHash, modelPath]);

  const revert = () => {
    if (!judge) return;
    setDocVersion(`${judge.hash}#revert${++reverts.current}`);
    setMessage(null);
  };

  const live = useDebounced(source, LIVE_DEBOUNCE_MS);
  const dirty = judge ? source !== judge.source : true;

  // Live re-run of code judges; results of superseded runs are dropped.
  useEffect(() => {
    if (kind !== 'code' || !traceId) return;
    const mine = ++seq.current;
    setBusy(true);
    client.call('previewJudge', { traceId, kind, source: live, edit: { editor: editorId, seq: mine } }).then(
      (p) => {
        if (mine !== seq.current) return;
        setPreview(p);
        setPreviewOf({ text: live, traceId });
        setBusy(false);
      },
      (e: unknown) => {
        if (mine !== seq.current) return;
        setPreview({ status: 'error', rationale: '', evidenceSpanIds: [], error: errorText(e), model: null, diagnostics: [], durationMs: 0, totalMs: 0 });
        setPreviewOf({ text: live, traceId });
        setBusy(false);
      },
    );
  }, [client, editorId, kind, live, traceId]);

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
    const text = sourceRef.current;
    setBusy(true);
    try {
      const p = await client.call('previewJudge', { traceId, kind, source: text });
      if (mine === seq.current) {
        setPreview(p);
        setPreviewOf({ text, traceId });
      }
    } catch (e) {
      if (mine === seq.current) setPreviewOf({ text, traceId });
      if (mine === seq.current) setPreview({ status: 'error', rationale: '', evidenceSpanIds: [], error: errorText(e), model: null, diagnostics: [], durationMs: 0, totalMs: 0 });
    } finally {
      if (mine === seq.current) setBusy(false);
    }
  }, [client, kind, traceId]);

  const save = async () => {
    if (!ID_RE.test(id)) {
      setMessage({ tone: 'error', text: 'Id: lower-case letters, digits, ".", "_" or "-" (it becomes the file name).' });
      return;
    }
    setSaving(true);
    // The model's text now, not the last render's.
    const text = sourceRef.current;
    try {
      const saved = await client.call('saveJudge', { id, kind, source: text });
      if (judge && saved.id === judge.id) ownSave.current = saved.hash;
      setMessage({
        tone: 'ok',
        text: kind === 'code' && typeErrors.length ? `Saved ${saved.id} (with ${typeErrorCount(typeErrors.length)})` : `Saved ${saved.id}`,
      });
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

  const fileName = `${id || 'new-judge'}.judge.${ext}`;
  return (
    <div
      className="jd-editor-page"
      data-testid="judge-editor"
      data-kind={kind}
      // Keyboard-first: Ctrl/Cmd+S saves from the editor or any field of the page (the browser
      // would otherwise offer to save the web page).
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 's') {
          e.preventDefault();
          if (dirty && !saving) void save();
        }
      }}
    >
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
        {judge && dirty ? (
          <button type="button" className="button ghost" onClick={revert} title="Replace the editor's text with the saved judge (undo with Ctrl+Z)" data-testid="judge-revert">
            Revert
          </button>
        ) : null}
        {judge ? (
          <button type="button" className="button ghost" onClick={() => void remove()}>
            Delete
          </button>
        ) : null}
      </div>
      <div className="jd-split">
        <div className="jd-split-main">
          <MonacoEditor
            path={modelPath}
            language={kind === 'code' ? 'typescript' : 'markdown'}
            value={judge ? judge.source : initialSource}
            version={docVersion}
            onChange={setSource}
            apiTypes={kind === 'code' ? apiTypes : undefined}
            markers={kind === 'code' ? preview?.diagnostics : undefined}
            testId="judge-source"
            onTypeErrors={kind === 'code' ? setTypeErrors : undefined}
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
          {kind === 'code' && typeErrors.length ? (
            <div className="jd-type-errors" role="status" data-testid="judge-type-errors">
              {typeErrorCount(typeErrors.length)} in the editor: the preview ran the code as written.{' '}
              <span className="mono">
                line {typeErrors[0]!.line}: {typeErrors[0]!.message.split('\n')[0]}
              </span>
            </div>
          ) : null}
          {judge && modeOfJudge(judge) ? <SplitPanel judge={judge} mode={modeOfJudge(judge)!} kind={kind} source={live} dirty={dirty} /> : null}
          <PreviewPanel traceId={traceId} preview={preview} busy={busy} current={!busy && previewOf?.text === source && previewOf.traceId === traceId} />
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

function typeErrorCount(n: number): string {
  return `${n} type error${n === 1 ? '' : 's'}`;
}
