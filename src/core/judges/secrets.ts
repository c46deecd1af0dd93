import type { ApiKeyStatus } from '../model/judges';
import { API_KEY_ENV } from './types';

/**
 * Where the LLM API key lives. Never in the workspace DB, never in an export, never in a log:
 * the desktop app keeps it encrypted with the OS keychain (Electron safeStorage, src/main/secrets.ts),
 * browser/CLI mode reads TRACEDECK_LLM_API_KEY. The backend asks for it only when it builds a client.
 */
export interface SecretStore {
  readonly source: ApiKeyStatus['source'];
  readonly writable: boolean;
  getApiKey(): string | null;
  /** Store (or with null, forget) the key. Only writable stores implement it. */
  setApiKey?(key: string | null): void;
}

export function envSecretStore(env: NodeJS.ProcessEnv = process.env): SecretStore {
  return {
    source: 'env',
    writable: false,
    getApiKey: () => {
      const k = env[API_KEY_ENV];
      return k && k.trim() ? k.trim() : null;
    },
  };
}

export function apiKeyStatus(s: SecretStore): ApiKeyStatus {
  return { source: s.source, present: !!s.getApiKey(), writable: s.writable };
}
