import type { ImportOutcome } from '../../shared/api';

/** An outcome for a file the backend never got to judge (transport failure, rejected upload). */
export function failedOutcome(source: string, error: string): ImportOutcome {
  return { source, ok: false, traceIds: [], spanCount: 0, warnings: [], error };
}

function isOutcome(v: unknown): v is ImportOutcome {
  return !!v && typeof v === 'object' && typeof (v as ImportOutcome).source === 'string' && 'ok' in v;
}

/** Uploads answer with one outcome, a list, or `{ outcomes }`; the UI wants a list. */
export function normaliseOutcomes(body: unknown): ImportOutcome[] | null {
  if (Array.isArray(body)) return body.every(isOutcome) ? body : null;
  if (isOutcome(body)) return [body];
  const nested = (body as { outcomes?: unknown } | null)?.outcomes;
  return Array.isArray(nested) && nested.every(isOutcome) ? nested : null;
}
