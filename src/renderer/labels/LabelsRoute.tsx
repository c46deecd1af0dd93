import { useRef, useState } from 'react';
import type { DatasetFormatId } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { downloadText } from '../judges/parts';
import { navigate } from '../app/router';
import { AlignmentView } from './AlignmentView';
import { FailureModesView } from './FailureModesView';
import { ErrorAnalysisView } from './ErrorAnalysisView';
import { LabelingView } from './LabelingView';
import { LABELS_HASH, type LabelsView } from './routes';
import { errorText } from './errorText';
import '../trace/traceView.css';
import './labels.css';
import './errorAnalysis.css';

const TABS: { view: LabelsView; label: string }[] = [
  { view: 'label', label: 'Label traces' },
  { view: 'modes', label: 'Failure modes' },
  { view: 'analysis', label: 'Saturation & first failures' },
  { view: 'alignment', label: 'Judge alignment' },
];

const EVAL_EXPORTS = [
  ['dataset:mlflow', 'Dataset: MLflow records (JSONL)'],
  ['dataset:inspect', 'Dataset: Inspect samples (JSONL)'],
  ['dataset:tracedeck', 'Dataset: Tracedeck JSONL'],
  ['scorers:mlflow_evaluate.py', 'Scorers: MLflow evaluate script'],
  ['scorers:inspect_scorers.py', 'Scorers: Inspect module'],
  ['scorers:promptfooconfig.yaml', 'Scorers: promptfoo config'],
  ['scorers:README.md', 'Scorers: README (how to run)'],
] as const;
type EvalExport = (typeof EVAL_EXPORTS)[number][0];

/** Through the one download helper (judges/parts). */
const download = (f: { fileName: string; mimeType: string; text: string }) => downloadText(f.fileName, f.mimeType, f.text);

/** The labelling area: its four views under one bar with export / import of the labels. */
export function LabelsRoute({ view }: { view: LabelsView }) {
  const client = useClient();
  const fileInput = useRef<HTMLInputElement>(null);
  const [notice, setNotice] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [version, setVersion] = useState(0);

  const exportAs = async (format: 'json' | 'csv') => {
    try {
      const out = await client.call('exportLabels', { format });
      download(out);
      setNotice({ tone: 'ok', text: `Exported ${out.fileName}` });
    } catch (e) {
      setNotice({ tone: 'error', text: errorText(e) });
    }
  };

  const [evalExport, setEvalExport] = useState<EvalExport>('dataset:mlflow');
  /** A dataset of the labelled traces, or one of the scorer files, for another tool. */
  const exportEval = async () => {
    try {
      const [what, which] = evalExport.split(':') as ['dataset', DatasetFormatId] | ['scorers', string];
      if (what === 'dataset') {
        const out = await client.call('exportDataset', { format: which as DatasetFormatId });
        download(out);
        setNotice({ tone: 'ok', text: `Exported ${out.fileName}: ${out.records} records${out.skipped ? `, ${out.skipped} traces without an input left out` : ''}` });
      } else {
        const out = await client.call('exportScorers', {});
        const file = out.files.find((f) => f.fileName === which)!;
        download(file);
        setNotice({ tone: 'ok', text: `Exported ${file.fileName} (${out.judges} LLM judge${out.judges === 1 ? '' : 's'})` });
      }
    } catch (e) {
      setNotice({ tone: 'error', text: errorText(e) });
    }
  };

  const importFiles = async (files: File[]) => {
    let total = 0;
    for (const f of files) {
      try {
        total += (await client.call('importLabels', { name: f.name, text: await f.text() })).labels;
      } catch (e) {
        setNotice({ tone: 'error', text: errorText(e) });
        setVersion((v) => v + 1);
        return;
      }
    }
    setNotice({ tone: 'ok', text: `Imported ${total} label${total === 1 ? '' : 's'}` });
    setVersion((v) => v + 1);
  };

  return (
    <div className="lb-route" data-testid="labels-route" data-view={view}>
      <div className="lb-bar">
        <nav className="lb-tabs" aria-label="Labels views">
          {TABS.map((t) => (
            <button
              key={t.view}
              type="button"
              className={`lb-tab${t.view === view ? ' on' : ''}`}
              aria-current={t.view === view ? 'page' : undefined}
              data-testid={`labels-tab-${t.view}`}
              onClick={() => navigate(LABELS_HASH[t.view])}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {notice ? (
          <span className={notice.tone === 'error' ? 'text-error lb-notice' : 'lb-notice dim'} role="status" data-testid="labels-notice">
            {notice.text}
          </span>
        ) : null}
        <button type="button" className="button ghost" onClick={() => void exportAs('json')} data-testid="labels-export-json">
          Export JSON
        </button>
        <button type="button" className="button ghost" onClick={() => void exportAs('csv')} data-testid="labels-export-csv">
          Export CSV
        </button>
        <select
          className="control"
          value={evalExport}
          aria-label="Export for another tool"
          data-testid="eval-export-choice"
          onChange={(e) => setEvalExport(e.currentTarget.value as EvalExport)}
        >
          {EVAL_EXPORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="button" className="button ghost" onClick={() => void exportEval()} data-testid="eval-export">
          Export
        </button>
        <button type="button" className="button ghost" onClick={() => fileInput.current?.click()}>
          Import labels…
        </button>
        <input
          ref={fileInput}
          type="file"
          accept=".json,.csv,application/json,text/csv"
          multiple
          hidden
          data-testid="labels-import-input"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = '';
            if (files.length) void importFiles(files);
          }}
        />
      </div>
      {view === 'label' ? <LabelingView key={version} /> : null}
      {view === 'modes' ? <FailureModesView key={version} /> : null}
      {view === 'analysis' ? <ErrorAnalysisView key={version} /> : null}
      {view === 'alignment' ? <AlignmentView key={version} /> : null}
    </div>
  );
}
