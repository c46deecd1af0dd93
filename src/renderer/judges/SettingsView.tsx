import { useEffect, useState } from 'react';
import type { LlmSettings, LlmSettingsView } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { errorText } from './parts';

const PRESETS: { label: string; baseUrl: string }[] = [
  { label: 'OpenAI', baseUrl: 'https://api.openai.com/v1' },
  { label: 'Ollama (local)', baseUrl: 'http://127.0.0.1:11434/v1' },
  { label: 'vLLM (local)', baseUrl: 'http://127.0.0.1:8000/v1' },
  { label: 'llama.cpp server (local)', baseUrl: 'http://127.0.0.1:8080/v1' },
];

/**
 * Endpoint of LLM and agentic judges: any OpenAI-compatible base URL. The API key is written
 * once into the OS keychain (desktop) and never read back; browser mode takes it from
 * TRACEDECK_LLM_API_KEY in the server's environment.
 */
export function SettingsView() {
  const client = useClient();
  const [view, setView] = useState<LlmSettingsView | null>(null);
  const [draft, setDraft] = useState<LlmSettings | null>(null);
  const [key, setKey] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  useEffect(() => {
    client.call('getLlmSettings', {}).then(
      (v) => {
        setView(v);
        setDraft(v.settings);
      },
      (e: unknown) => setMessage({ tone: 'error', text: errorText(e) }),
    );
  }, [client]);

  if (!draft || !view) return <div className="pad">{message ? <span className="text-error">{message.text}</span> : <span className="dim">Loading…</span>}</div>;
  const set = <K extends keyof LlmSettings>(k: K, v: LlmSettings[K]) => setDraft({ ...draft, [k]: v });

  const save = async () => {
    try {
      const settings: LlmSettings = { ...draft };
      if (!settings.apiVersion) delete settings.apiVersion;
      const v = await client.call('setLlmSettings', { settings });
      setView(v);
      setDraft(v.settings);
      setMessage({ tone: 'ok', text: 'Saved.' });
    } catch (e) {
      setMessage({ tone: 'error', text: errorText(e) });
    }
  };

  const storeKey = async (value: string | null) => {
    try {
      const apiKey = await client.call('setLlmApiKey', { apiKey: value });
      setView({ ...view, apiKey });
      setKey('');
      setMessage({ tone: 'ok', text: value ? 'Key stored in the OS keychain.' : 'Key removed.' });
    } catch (e) {
      setMessage({ tone: 'error', text: errorText(e) });
    }
  };

  return (
    <div className="jd-settings" data-testid="judge-settings">
      <div className="panel-title">Model endpoint for LLM and agentic judges</div>
      <label className="jd-field">
        <span>Base URL</span>
        <input className="control mono" value={draft.baseUrl} onChange={(e) => set('baseUrl', e.currentTarget.value)} data-testid="llm-base-url" />
      </label>
      <div className="jd-row">
        {PRESETS.map((p) => (
          <button key={p.label} type="button" className="link-button" onClick={() => set('baseUrl', p.baseUrl)}>
            {p.label}
          </button>
        ))}
      </div>
      <label className="jd-field">
        <span>Model</span>
        <input className="control mono" value={draft.model} onChange={(e) => set('model', e.currentTarget.value)} data-testid="llm-model" />
      </label>
      <label className="jd-field">
        <span>Temperature</span>
        <input className="control" type="number" step={0.1} min={0} max={2} value={draft.temperature} onChange={(e) => set('temperature', Number(e.currentTarget.value))} />
      </label>
      <label className="jd-field">
        <span>Timeout (ms)</span>
        <input className="control" type="number" min={1000} step={1000} value={draft.timeoutMs} onChange={(e) => set('timeoutMs', Number(e.currentTarget.value))} />
      </label>
      <label className="jd-field">
        <span>Retries (429 / 5xx / timeouts)</span>
        <input className="control" type="number" min={0} max={10} value={draft.maxRetries} onChange={(e) => set('maxRetries', Number(e.currentTarget.value))} />
      </label>
      <label className="jd-field">
        <span>Azure api-version</span>
        <input className="control mono" placeholder="empty unless Azure OpenAI" value={draft.apiVersion ?? ''} onChange={(e) => set('apiVersion', e.currentTarget.value)} />
      </label>
      <label className="jd-field">
        <span>Embeddings model (cluster sampling)</span>
        <input
          className="control mono"
          placeholder="empty: TF-IDF, offline"
          value={draft.embeddingModel ?? ''}
          onChange={(e) => set('embeddingModel', e.currentTarget.value)}
          data-testid="llm-embedding-model"
        />
      </label>
      <label className="jd-check">
        <input type="checkbox" checked={draft.structuredOutput} onChange={(e) => set('structuredOutput', e.currentTarget.checked)} />
        Structured output (json_schema); falls back to plain JSON when the server refuses it
      </label>
      <div className="jd-row">
        <button type="button" className="button primary" onClick={() => void save()} data-testid="llm-save">
          Save settings
        </button>
        {message ? (
          <span className={message.tone === 'error' ? 'text-error' : 'dim'} role="status">
            {message.text}
          </span>
        ) : null}
      </div>

      <div className="panel-title">API key</div>
      <div data-testid="llm-key-status">
        {view.apiKey.source === 'keychain' ? 'Stored in the OS keychain' : 'From TRACEDECK_LLM_API_KEY'}:{' '}
        {view.apiKey.present ? <strong>set</strong> : <span className="dim">not set</span>}
      </div>
      {view.apiKey.writable ? (
        <div className="jd-row">
          <input
            className="control mono"
            type="password"
            autoComplete="off"
            placeholder="paste a key to store it (never shown again)"
            value={key}
            onChange={(e) => setKey(e.currentTarget.value)}
            aria-label="API key"
          />
          <button type="button" className="button" disabled={!key} onClick={() => void storeKey(key)}>
            Store key
          </button>
          {view.apiKey.present ? (
            <button type="button" className="button ghost" onClick={() => void storeKey(null)}>
              Remove key
            </button>
          ) : null}
        </div>
      ) : (
        <div className="dim">Set TRACEDECK_LLM_API_KEY in the environment of `tracedeck serve` (local servers usually need no key).</div>
      )}
    </div>
  );
}
