import { useCallback, useEffect, useState } from 'react';
import { scenarioAttachText, type ScenarioInfo } from '../../shared/api';
import { navigate } from '../app/router';
import { useClient } from '../client/ClientContext';
import { errorText } from '../labels/errorText';
import { ScenarioImportButton, useScenarioImports } from './ScenarioImportContext';
import { scenarioHash } from './routes';

/** #/scenarios — every scenario in the workspace, how it attaches to traces, import and delete. */
export function ScenariosList() {
  const client = useClient();
  const { version } = useScenarioImports();
  const [list, setList] = useState<ScenarioInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    client.call('listScenarios', {}).then(setList, (e: unknown) => setError(errorText(e)));
  }, [client]);
  useEffect(load, [load, version]);

  const remove = async (id: string) => {
    if (!window.confirm(`Delete scenario ${id}? Traces attached to it lose their ideal trajectory.`)) return;
    try {
      await client.call('deleteScenario', { id });
      load();
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <div className="cmp-page" data-testid="scenarios-route">
      <header className="cmp-header">
        <h1 className="cmp-title">Scenarios</h1>
        <span className="dim">tasks with their ideal trajectory</span>
        <span className="spacer" />
        <ScenarioImportButton testId="scenario-import" className="button primary" />
      </header>
      <div className="cmp-scroll">
        {error ? (
          <pre className="import-error pad" role="alert">
            {error}
          </pre>
        ) : null}
        <p className="dim sc-hint">
          Import <span className="mono">*.scenario.json</span> files here or drop them anywhere in the window; or open a trace and choose{' '}
          <em>Use as ideal trajectory</em>. A trace attaches to a scenario by its id attribute (default{' '}
          <span className="mono">scenario.id</span>), else by a tag (<span className="mono">match.tag</span>), else by its input text (
          <span className="mono">match.inputContains</span> or <span className="mono">input</span>).
        </p>
        {list && list.length === 0 ? (
          <div className="empty-state" data-testid="scenarios-empty">
            <div className="empty-title">No scenarios in this workspace</div>
          </div>
        ) : null}
        {list && list.length ? (
          <table className="cmp-table" data-testid="scenarios-table">
            <thead>
              <tr>
                <th>Scenario</th>
                <th>Name</th>
                <th className="num">Steps</th>
                <th className="num">Calls</th>
                <th className="num">Latency</th>
                <th>Match</th>
                <th>Attaches by</th>
                <th>Source</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {list.map((s) => (
                <tr key={s.id} data-scenario={s.id}>
                  <td>
                    <a className="mono" href={scenarioHash(s.id)} data-testid="scenario-open">
                      {s.id}
                    </a>
                  </td>
                  <td>{s.name ?? ''}</td>
                  <td className="num">{s.idealSteps}</td>
                  <td className="num">{s.idealToolCalls}</td>
                  <td className="num">{s.latencySeconds === null ? '—' : `${s.latencySeconds} s`}</td>
                  <td>
                    {s.trajectoryMatch} · args {Array.isArray(s.argMatch) ? `keys ${s.argMatch.join(', ')}` : s.argMatch}
                  </td>
                  <td className="dim">{scenarioAttachText(s)}</td>
                  <td className="dim mono sc-source" title={s.sourceFile ?? 'made in the app'}>
                    {s.sourceFile ?? 'app'}
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => navigate(scenarioHash(s.id))}>
                      Edit
                    </button>{' '}
                    <button type="button" className="link-button" data-testid="scenario-delete" onClick={() => void remove(s.id)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </div>
  );
}
