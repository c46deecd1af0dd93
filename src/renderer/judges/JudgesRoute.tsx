import { useCallback, useEffect, useState } from 'react';
import type { JudgeInfo, JudgeKind, JudgeRunView } from '../../shared/api';
import { navigate } from '../app/router';
import { useApiEvents, useClient } from '../client/ClientContext';
import { JudgeEditor } from './JudgeEditor';
import { errorText, runGateStatus, VerdictBadge } from './parts';
import { RunPanel } from './RunPanel';
import { RunView } from './RunView';
import { judgesHash, type JudgesView } from './routes';
import { SettingsView } from './SettingsView';
import './judges.css';

/** Numbers each starter text fetched for a new judge, so a fresh one replaces an old draft. */
let starterCount = 0;

const KIND_LABEL: Record<JudgeKind, string> = { code: 'code', llm: 'LLM', agentic: 'agentic' };

/** The judges area: judges with their editor, runs with their verdicts, endpoint settings. */
export function JudgesRoute({ view }: { view: JudgesView }) {
  const client = useClient();
  const [judges, setJudges] = useState<JudgeInfo[] | null>(null);
  const [runs, setRuns] = useState<JudgeRunView[]>([]);
  const [apiTypes, setApiTypes] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [traceId, setTraceId] = useState<string | null>(null);
  const [newSource, setNewSource] = useState<{ kind: JudgeKind; source: string; version: string } | null>(null);
  const [dir, setDir] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const loadJudges = useCallback(() => {
    client.call('listJudges', {}).then(setJudges, (e: unknown) => setError(errorText(e)));
  }, [client]);
  // A saved judge is in the list at once: the editor of a new judge navigates to it before the
  // list reloads, and the page must find it there (not say "No judge …" and drop the editor).
  const judgeSaved = useCallback(
    (saved: JudgeInfo) => {
      setJudges((js) => [...(js ?? []).filter((j) => j.id !== saved.id), saved].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)));
      loadJudges();
    },
    [loadJudges],
  );
  const loadRuns = useCallback(() => {
    client.call('listJudgeRuns', { limit: 100 }).then(setRuns, (e: unknown) => setError(errorText(e)));
  }, [client]);

  useEffect(() => {
    loadJudges();
    loadRuns();
    client.call('judgeApiTypes', {}).then((t) => setApiTypes(t.dts), (e: unknown) => setError(errorText(e)));
  }, [client, loadJudges, loadRuns]);

  useApiEvents((e) => {
    if (e.type === 'judge-run-finished') loadRuns();
  });

  const newKind = view.page === 'judges' ? view.newKind : null;
  useEffect(() => {
    if (!newKind) return;
    client.call('newJudgeSource', { kind: newKind, name: `New ${KIND_LABEL[newKind]} judge` }).then(
      (r) => setNewSource({ kind: newKind, source: r.source, version: String(++starterCount) }),
      (e: unknown) => setError(errorText(e)),
    );
  }, [client, newKind]);

  const folder = async (op: 'import' | 'export') => {
    if (!dir.trim()) return;
    try {
      if (op === 'import') {
        const r = await client.call('importJudgesDir', { dir: dir.trim() });
        setNotice(`Imported ${r.imported.length} judge(s)${r.errors.length ? `; ${r.errors.map((x) => `${x.file}: ${x.message}`).join('; ')}` : ''}`);
        loadJudges();
      } else {
        const r = await client.call('exportJudgesDir', { dir: dir.trim() });
        setNotice(`Wrote ${r.written.length} file(s)`);
      }
    } catch (e) {
      setNotice(errorText(e));
    }
  };

  const selected = view.page === 'judges' && view.judgeId ? (judges?.find((j) => j.id === view.judgeId) ?? null) : null;

  return (
    <div className="jd-route" data-testid="judges-route" data-page={view.page}>
      <div className="jd-bar">
        <nav className="jd-tabs" aria-label="Judges views">
          {(
            [
              ['judges', 'Judges', judgesHash({ page: 'judges', judgeId: null, newKind: null })],
              ['runs', 'Runs', judgesHash({ page: 'runs', runId: null })],
              ['settings', 'Model settings', judgesHash({ page: 'settings' })],
            ] as const
          ).map(([page, label, hash]) => (
            <button
              key={page}
              type="button"
              className={`jd-tab${view.page === page ? ' on' : ''}`}
              aria-current={view.page === page ? 'page' : undefined}
              onClick={() => navigate(hash)}
              data-testid={`judges-tab-${page}`}
            >
              {label}
            </button>
          ))}
        </nav>
        <span className="spacer" />
        {error ? <span className="text-error">{error}</span> : null}
      </div>

      {view.page === 'judges' ? (
        <div className="jd-body">
          <aside className="jd-list">
            <div className="jd-list-actions">
              {(['code', 'llm', 'agentic'] as const).map((k) => (
                <button key={k} type="button" className="button ghost" onClick={() => navigate(judgesHash({ page: 'judges', judgeId: null, newKind: k }))} data-testid={`new-judge-${k}`}>
                  + {KIND_LABEL[k]}
                </button>
              ))}
            </div>
            <ul className="jd-items" data-testid="judge-list">
              {(judges ?? []).map((j) => (
                <li key={j.id}>
                  <a className={`jd-item${selected?.id === j.id ? ' on' : ''}`} href={judgesHash({ page: 'judges', judgeId: j.id, newKind: null })}>
                    <span className="jd-item-name">{j.name}</span>
                    <span className="dim mono">
                      {KIND_LABEL[j.kind]}
                      {j.gating ? ' · gating' : ''}
                    </span>
                  </a>
                </li>
              ))}
            </ul>
            {judges && judges.length === 0 ? <div className="dim pad">No judges yet: create one, or import a judges/ folder.</div> : null}
            <div className="jd-folder">
              <input className="control mono" placeholder="/path/to/judges" value={dir} onChange={(e) => setDir(e.currentTarget.value)} aria-label="Judges folder" />
              <div className="jd-row">
                <button type="button" className="button ghost" onClick={() => void folder('import')} disabled={!dir.trim()}>
                  Import folder
                </button>
                <button type="button" className="button ghost" onClick={() => void folder('export')} disabled={!dir.trim()}>
                  Export to folder
                </button>
              </div>
              {notice ? <div className="dim">{notice}</div> : null}
            </div>
          </aside>
          <section className="jd-main">
            {selected ? (
              <JudgeEditor
                key={selected.id}
                judge={selected}
                kind={selected.kind}
                initialSource={selected.source}
                apiTypes={apiTypes}
                traceId={traceId}
                onTraceChange={setTraceId}
                onSaved={judgeSaved}
                onDeleted={loadJudges}
              />
            ) : newKind && newSource?.kind === newKind ? (
              <JudgeEditor
                key={`new-${newKind}`}
                judge={null}
                kind={newKind}
                initialSource={newSource.source}
                newVersion={newSource.version}
                apiTypes={apiTypes}
                traceId={traceId}
                onTraceChange={setTraceId}
                onSaved={judgeSaved}
                onDeleted={loadJudges}
              />
            ) : view.judgeId && judges ? (
              <div className="empty-state">
                <div className="empty-title">No judge “{view.judgeId}”</div>
              </div>
            ) : (
              <div className="empty-state">
                <div className="empty-title">Judges</div>
                <div className="dim">
                  Code judges are TypeScript functions of the trace; LLM judges are prompt templates; agentic judges investigate the trace with tools. Pick one or create one.
                </div>
              </div>
            )}
          </section>
        </div>
      ) : null}

      {view.page === 'runs' ? (
        <div className="jd-body">
          <aside className="jd-list">
            <RunPanel judges={judges ?? []} />
            <ul className="jd-items" data-testid="run-list">
              {runs.map((r) => (
                <li key={r.id}>
                  <a className={`jd-item${view.runId === r.id ? ' on' : ''}`} href={judgesHash({ page: 'runs', runId: r.id })}>
                    <span className="jd-item-name">
                      #{r.id} {r.name}
                    </span>
                    <span className="dim mono">
                      {r.status} · {r.passed}/{r.failed}/{r.errored}
                    </span>
                    {r.status !== 'running' ? <VerdictBadge status={runGateStatus(r.gateFailures)} /> : <VerdictBadge status="running" />}
                  </a>
                </li>
              ))}
            </ul>
          </aside>
          <section className="jd-main">
            {view.runId !== null ? (
              <RunView key={view.runId} runId={view.runId} onChanged={loadRuns} />
            ) : (
              <div className="empty-state">
                <div className="empty-title">Judge runs</div>
                <div className="dim">Start a run on the left; verdicts appear here as they come in.</div>
              </div>
            )}
          </section>
        </div>
      ) : null}

      {view.page === 'settings' ? <SettingsView /> : null}
    </div>
  );
}
