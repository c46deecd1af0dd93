import { createRequire } from 'node:module';

const requireHere = createRequire(import.meta.url);

/**
 * A package loaded the first time it is used instead of when the importing module is. For the
 * heavy ones off the common path: TypeScript is ~9 MB of JavaScript (0.5–2 s to load) and is
 * needed only to compile a judge; the OpenAI client only for an LLM judge. Loading them eagerly
 * made every `tracedeck ls` pay for both.
 */
export function lazyModule<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(id) as T);
}
