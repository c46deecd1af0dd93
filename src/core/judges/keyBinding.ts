import type { SecretStore } from './secrets';

/**
 * An API key belongs to the endpoint it was entered for. Whoever can change the LLM base URL
 * could otherwise point it at a server of their own and receive the key with the next preview
 * (`Authorization: Bearer …`). So a base-URL change forgets a stored key (the user enters it
 * again for the new endpoint); a key from the environment, which cannot be forgotten, is
 * withheld for the rest of this process (a restart, i.e. the user who owns the environment,
 * confirms it for the new URL).
 */
export interface KeyBoundSecretStore extends SecretStore {
  /** Call when the base URL changed: forgets or withholds the key. */
  baseUrlChanged(): void;
  /** True while an environment key is withheld after a base-URL change. */
  readonly withheld: boolean;
}

export function bindKeyToBaseUrl(inner: SecretStore): KeyBoundSecretStore {
  let withheld = false;
  return {
    source: inner.source,
    writable: inner.writable,
    get withheld() {
      return withheld;
    },
    getApiKey: () => (withheld ? null : inner.getApiKey()),
    setApiKey: inner.setApiKey
      ? (key) => {
          inner.setApiKey!(key);
          withheld = false;
        }
      : undefined,
    baseUrlChanged() {
      if (inner.writable && inner.setApiKey) inner.setApiKey(null);
      // A writable store may still fall back to the environment: withhold that too.
      if (inner.getApiKey()) withheld = true;
    },
  };
}

/** Base URLs compare without a trailing slash and case-insensitively in scheme and host. */
export function sameBaseUrl(a: string, b: string): boolean {
  const norm = (u: string) => {
    try {
      const x = new URL(u.trim());
      return `${x.protocol}//${x.host}${x.pathname.replace(/\/+$/, '')}`;
    } catch {
      return u.trim().replace(/\/+$/, '');
    }
  };
  return norm(a) === norm(b);
}
