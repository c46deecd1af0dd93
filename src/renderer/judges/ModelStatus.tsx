import { useEffect, useState } from 'react';
import { modelConfigProblem } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { judgesHash } from './routes';

/**
 * For LLM and agentic judges: says "model not configured" (and why) with a link to Model
 * settings when the endpoint cannot be used, instead of letting a preview or run fail per trace.
 * The rule is the backend's (modelConfigProblem), so the UI and the CLI agree.
 */
export function ModelStatus({ onChange }: { onChange?(configured: boolean): void }) {
  const client = useClient();
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    client.call('getLlmSettings', {}).then(
      (v) => {
        if (!live) return;
        const p = modelConfigProblem(v.settings, v.apiKey.present);
        setProblem(p);
        onChange?.(p === null);
      },
      () => undefined, // the preview reports its own errors
    );
    return () => {
      live = false;
    };
  }, [client, onChange]);

  if (!problem) return null;
  return (
    <div className="jd-model-missing" role="alert" data-testid="model-not-configured">
      <span className="jd-badge jd-error">model not configured</span>{' '}
      <span className="dim">{problem.replace(/^model not configured: /, '')}</span>{' '}
      <a href={judgesHash({ page: 'settings' })} data-testid="model-settings-link">
        Model settings
      </a>
    </div>
  );
}
