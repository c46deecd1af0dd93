import { useEffect, useRef, useState } from 'react';
import { ARG_MATCH_MODES, TRAJECTORY_MATCH_MODES, type ArgMatchModeName, type ScenarioAttach, type TrajectoryMatchMode } from '../../shared/api';
import { navigate } from '../app/router';
import { useClient } from '../client/ClientContext';
import { errorText } from '../labels/errorText';
import { scenarioHash } from './routes';
import './scenarios.css';

const MATCH_HELP: Record<TrajectoryMatchMode, string> = {
  strict: 'the same tool calls, in the same order',
  unordered: 'the same tool calls, in any order',
  subset: 'no call outside these (some may be skipped)',
  superset: 'every one of these calls (extra calls allowed)',
};
const ARG_HELP: Record<ArgMatchModeName, string> = {
  exact: 'arguments equal',
  ignore: 'arguments not compared',
  subset: 'observed arguments ⊆ these',
  superset: 'observed arguments ⊇ these',
};

/** A scenario id from a trace name: lower-case words joined by '-'. */
function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  return s || 'scenario';
}

/**
 * "Use this trace as the ideal trajectory": each model turn of the trace becomes an ideal step
 * with the tool calls it made; the user picks the id, the match modes and how other traces
 * attach (same input, a tag, or the scenario.id attribute). Opens the new scenario in the editor.
 */
export function FromTraceDialog({ traceId, traceName, onClose }: { traceId: string; traceName: string; onClose(): void }) {
  const client = useClient();
  const [id, setId] = useState(`${slug(traceName || traceId)}-ideal`);
  const [name, setName] = useState(traceName ? `Ideal: ${traceName}` : '');
  const [mode, setMode] = useState<TrajectoryMatchMode>('strict');
  const [args, setArgs] = useState<ArgMatchModeName>('exact');
  const [attach, setAttach] = useState<ScenarioAttach>('input');
  const [tag, setTag] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => {
    first.current?.select();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const s = await client.call('scenarioFromTrace', {
        traceId,
        id: id.trim(),
        ...(name.trim() ? { name: name.trim() } : {}),
        trajectoryMatch: mode,
        argMatch: args,
        attach,
        ...(attach === 'tag' ? { tag: tag.trim() } : {}),
      });
      onClose();
      navigate(scenarioHash(s.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="sc-dialog" role="dialog" aria-modal="true" aria-labelledby="sc-from-trace-title" data-testid="from-trace-dialog">
      <form
        className="sc-dialog-card"
        onSubmit={(e) => {
          e.preventDefault();
          void create();
        }}
      >
        <h2 id="sc-from-trace-title">Use this trace as the ideal trajectory</h2>
        <p className="dim">Each model turn becomes an ideal step with the tool calls it made; the trace's duration becomes the ideal latency.</p>
        <div className="sc-form">
          <label htmlFor="sc-id">Scenario id</label>
          <input id="sc-id" ref={first} className="cmp-input mono" value={id} onChange={(e) => setId(e.currentTarget.value)} data-testid="from-trace-id" required />
          <label htmlFor="sc-name">Name</label>
          <input id="sc-name" className="cmp-input" value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="from-trace-name" />
          <label htmlFor="sc-mode">Trajectory match</label>
          <select id="sc-mode" className="cmp-select" value={mode} onChange={(e) => setMode(e.currentTarget.value as TrajectoryMatchMode)} data-testid="from-trace-mode">
            {TRAJECTORY_MATCH_MODES.map((m) => (
              <option key={m} value={m}>
                {m} — {MATCH_HELP[m]}
              </option>
            ))}
          </select>
          <label htmlFor="sc-args">Tool arguments</label>
          <select id="sc-args" className="cmp-select" value={args} onChange={(e) => setArgs(e.currentTarget.value as ArgMatchModeName)} data-testid="from-trace-args">
            {ARG_MATCH_MODES.map((m) => (
              <option key={m} value={m}>
                {m} — {ARG_HELP[m]}
              </option>
            ))}
          </select>
          <label htmlFor="sc-attach">Attach traces by</label>
          <select id="sc-attach" className="cmp-select" value={attach} onChange={(e) => setAttach(e.currentTarget.value as ScenarioAttach)} data-testid="from-trace-attach">
            <option value="input">the same input as this trace</option>
            <option value="tag">a tag</option>
            <option value="attribute">the scenario.id attribute only</option>
          </select>
          {attach === 'tag' ? (
            <>
              <label htmlFor="sc-tag">Tag</label>
              <input id="sc-tag" className="cmp-input mono" value={tag} onChange={(e) => setTag(e.currentTarget.value)} data-testid="from-trace-tag" required />
            </>
          ) : null}
        </div>
        {error ? (
          <pre className="import-error" role="alert" data-testid="from-trace-error">
            {error}
          </pre>
        ) : null}
        <div className="sc-dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || !id.trim()} data-testid="from-trace-create">
            Create and edit
          </button>
        </div>
      </form>
    </div>
  );
}
