import type { SecretStore } from '../../src/core/judges/secrets';

/** A writable in-memory stand-in for the OS keychain; `stored` is what it holds. */
export interface MemoryKeychain extends SecretStore {
  stored: string | null;
}

export function memoryKeychain(): MemoryKeychain {
  const k: MemoryKeychain = {
    source: 'keychain',
    writable: true,
    stored: null,
    getApiKey: () => k.stored,
    setApiKey: (key) => {
      k.stored = key;
    },
  };
  return k;
}
