import { useEffect, useRef, useState } from 'react';
import { FORMAT_IDS, type FormatId, type JudgeInfo, type TraceSelectionInput } from '../../shared/api';
import { navigate } from '../app/router';
import { useClient } from '../client/ClientContext';
import { errorText } from './parts';
import { judgesHash } from './routes';

type Mode = 'all' | 'filter' | 'sample';

const codeJudgeIds = (judges: JudgeInfo[]) => new Set(judges.filter((j) => j.kind === 'code').map((j) => j.id));

/** Start a judge run: which judges, which traces (all, a filter, a sample), how many at once. */
export function RunPanel({ judges }: { judges: JudgeInfo[] }) {
  const client = useClient();
  // Every code judge is ticked by default, once: in the panel's first render when the list is
  // there, or when it first arrives. After that the choice is the user's (a reloaded list does
  // not tick again what they unticked).
  const [chosen, setChosen] = useState<Set<string>>(() => codeJudgeIds(judges));
  const defaulted = useRef(judges.length > 0);
  const [mode, setMode] = useState<Mode>('all');
  const [text, setText] = useState('');
  const [errorsOnly, setErrorsOnly] = useState(false);
  const [format, setFormat] = useState<FormatId | ''>('');
  const [size, setSize] = useState(100);
  const [seed, setSeed] = useState(1);
  const [concurrency, setConcurrency] = useState(4);
  const [useCache, setUseCache] = useState(true);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    if (defaulted.current || judges.length === 0) return;
    defaulted.current = true;
    setChosen(codeJudgeIds(judges));
  }, [judges]);

  const query = () => {
    const q: NonNullable<Extract<TraceSelectionInput, { mode: 'filter' }>['query']> = {};
    if (text.trim()) q.text = text.trim();
    if (errorsOnly) q.hasErrors = true;
    if (format) q.formats = [format];
    return q;
  };

  const start = async () => {
    setError(null);
    const selection: TraceSelectionInput =
      mode === 'all' ? { mode: 'all' } : mode === 'filter' ? { mode: 'filter', query: query() } : { mode: 'sample', size, seed, query: query() };
    setStarting(true);
    try {
      const r = await client.call('startJudgeRun', {
        judgeIds: [...chosen],
        selection,
        name: name.trim() || undefined,
        concurrency,
        useCache,
      });
      navigate(judgesHash({ page: 'runs', runId: r.runId }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setStarting(false);
    }
  };

  const toggle = (id: string) =>
    setChosen((c) => {
      const n = new Set(c);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });

  return (
    <div className="jd-run-panel" data-testid="run-panel">
      <div className="panel-title">New run</div>
      <fieldset className="jd-fieldset">
        <legend>Judges</legend>
        {judges.length === 0 ? <div className="dim">No judges yet.</div> : null}
        {judges.map((j) => (
          <label key={j.id} className="jd-check">
            <input type="checkbox" checked={chosen.has(j.id)} onChange={() => toggle(j.id)} data-testid={`run-judge-${j.id}`} />
            <span>{j.name}</span>
            <span className="dim mono">{j.kind}</span>
          </label>
        ))}
      </fieldset>
      <fieldset className="jd-fieldset">
        <legend>Traces</legend>
        {(['all', 'filter', 'sample'] as const).map((m) => (
          <label key={m} className="jd-check">
            <input type="radio" name="jd-mode" checked={mode === m} onChange={() => setMode(m)} />
            <span>{m === 'all' ? 'All traces' : m === 'filter' ? 'Matching a filter' : 'A random sample'}</span>
          </label>
        ))}
        {mode !== 'all' ? (
          <div className="jd-grid">
            <input className="control" placeholder="name, id, service, file contains…" value={text} onChange={(e) => setText(e.currentTarget.value)} />
            <select className="control" value={format} onChange={(e) => setFormat(e.currentTarget.value as FormatId | '')} aria-label="Format">
              <option value="">any format</option>
              {FORMAT_IDS.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            <label className="jd-check">
              <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.currentTarget.checked)} /> with errors only
            </label>
          </div>
        ) : null}
        {mode === 'sample' ? (
          <div className="jd-grid">
            <label>
              size <input className="control" type="number" min={1} value={size} onChange={(e) => setSize(Math.max(1, Number(e.currentTarget.value) || 1))} />
            </label>
            <label>
              seed <input className="control" type="number" min={0} value={seed} onChange={(e) => setSeed(Math.max(0, Number(e.currentTarget.value) || 0))} />
            </label>
          </div>
        ) : null}
      </fieldset>
      <div className="jd-grid">
        <label>
          at once{' '}
          <input className="control" type="number" min={1} max={64} value={concurrency} onChange={(e) => setConcurrency(Math.min(64, Math.max(1, Number(e.currentTarget.value) || 1)))} />
        </label>
        <label className="jd-check">
          <input type="checkbox" checked={useCache} onChange={(e) => setUseCache(e.currentTarget.checked)} /> reuse cached verdicts
        </label>
        <input className="control" placeholder="run name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
      </div>
      {error ? <div className="text-error">{error}</div> : null}
      <button type="button" className="button primary" disabled={!chosen.size || starting} onClick={() => void start()} data-testid="run-start">
        Run {chosen.size} judge{chosen.size === 1 ? '' : 's'}
      </button>
    </div>
  );
}
