import { useEffect, useRef, useState } from 'react';
import type { Monaco } from './monacoSetup';

/** Loaded once, on first use: Monaco is the biggest part of the renderer bundle. */
let loading: Promise<typeof import('./monacoSetup')> | null = null;
export function loadMonaco(): Promise<typeof import('./monacoSetup')> {
  loading ??= import('./monacoSetup');
  return loading;
}

export interface EditorMarker {
  line: number;
  column: number;
  message: string;
}

interface Props {
  /** Model URI path, e.g. `/judges/no-tool-errors.judge.ts` (decides the language service). */
  path: string;
  language: 'typescript' | 'markdown' | 'json';
  value: string;
  onChange(value: string): void;
  /** Extra markers (e.g. compile errors from the backend). */
  markers?: EditorMarker[];
  /** Judge API declarations for the TypeScript service. */
  apiTypes?: string;
  readOnly?: boolean;
  testId?: string;
}

/**
 * A Monaco editor bound to one model per path (undo history survives switching judges). The
 * value is controlled loosely: outside changes replace the model text only when they differ, so
 * typing never fights React.
 */
export function MonacoEditor({ path, language, value, onChange, markers, apiTypes, readOnly, testId }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<import('monaco-editor').editor.IStandaloneCodeEditor | null>(null);
  const mon = useRef<Monaco | null>(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  const [error, setError] = useState<string | null>(null);
  const [ready, setReady] = useState(false);

  useEffect(() => {
    let disposed = false;
    let sub: { dispose(): void } | null = null;
    loadMonaco().then(
      (m) => {
        if (disposed || !host.current) return;
        mon.current = m.monaco;
        if (apiTypes) m.setJudgeApiTypes(apiTypes);
        const dark = !window.matchMedia?.('(prefers-color-scheme: light)').matches;
        const ed = m.monaco.editor.create(host.current, {
          model: null,
          theme: dark ? 'vs-dark' : 'vs',
          automaticLayout: true,
          minimap: { enabled: false },
          fontSize: 12,
          scrollBeyondLastLine: false,
          wordWrap: language === 'markdown' ? 'on' : 'off',
          tabSize: 2,
          readOnly: !!readOnly,
          fixedOverflowWidgets: true,
        });
        editor.current = ed;
        sub = ed.onDidChangeModelContent(() => changeRef.current(ed.getValue()));
        setReady(true);
      },
      (e: unknown) => setError(`editor failed to load: ${(e as Error).message}`),
    );
    return () => {
      disposed = true;
      sub?.dispose();
      editor.current?.dispose();
      editor.current = null;
    };
    // One editor per mount; path/language changes swap the model below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // Model per path.
  useEffect(() => {
    const m = mon.current;
    const ed = editor.current;
    if (!ready || !m || !ed) return;
    const uri = m.Uri.parse(`file://${path}`);
    let model = m.editor.getModel(uri);
    if (!model) model = m.editor.createModel(value, language, uri);
    else if (model.getValue() !== value) model.setValue(value);
    if (ed.getModel() !== model) ed.setModel(model);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, path, language]);

  // Outside value changes (load, revert).
  useEffect(() => {
    const ed = editor.current;
    const model = ed?.getModel();
    if (model && model.getValue() !== value) model.setValue(value);
  }, [value]);

  useEffect(() => {
    if (ready && apiTypes) void loadMonaco().then((m) => m.setJudgeApiTypes(apiTypes));
  }, [ready, apiTypes]);

  useEffect(() => {
    const m = mon.current;
    const model = editor.current?.getModel();
    if (!m || !model) return;
    m.editor.setModelMarkers(
      model,
      'tracedeck',
      (markers ?? []).map((x) => ({
        severity: m.MarkerSeverity.Error,
        message: x.message,
        startLineNumber: x.line,
        startColumn: x.column,
        endLineNumber: x.line,
        endColumn: x.column + 1,
      })),
    );
  }, [ready, markers, path]);

  useEffect(() => {
    editor.current?.updateOptions({ readOnly: !!readOnly });
  }, [readOnly]);

  return (
    <div className="jd-editor" data-testid={testId} data-ready={ready ? 'true' : 'false'}>
      {error ? <div className="text-error pad">{error}</div> : null}
      {!ready && !error ? <div className="dim pad">Loading editor…</div> : null}
      <div ref={host} className="jd-editor-host" />
    </div>
  );
}
