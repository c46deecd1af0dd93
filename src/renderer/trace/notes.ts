import { useEffect, useState } from 'react';
import type { LabelDto, RecordedEvaluation } from '../../shared/api';
import { useClient } from '../client/ClientContext';

/**
 * What people and evaluators said about a trace, in one place: the human label (verdict,
 * critique, failure modes) and the scores, feedback and assessments recorded in the file (those
 * attached to a span are its notes). The trace panel and the span panel both read it.
 */
export interface TraceNotes {
  label: LabelDto | null;
  evaluations: RecordedEvaluation[];
}

export function useTraceNotes(traceId: string | null): TraceNotes | null {
  const client = useClient();
  const [notes, setNotes] = useState<TraceNotes | null>(null);
  useEffect(() => {
    let live = true;
    setNotes(null);
    if (!traceId) return;
    Promise.all([
      client.call('getRecordedEvaluations', { traceId }).catch(() => [] as RecordedEvaluation[]),
      client.call('getLabel', { traceId }).catch(() => null),
    ]).then(([evaluations, label]) => live && setNotes({ evaluations, label }));
    return () => {
      live = false;
    };
  }, [client, traceId]);
  return notes;
}

/** A recorded value as short text: numbers trimmed, strings as they are, anything else as JSON. */
export function valueText(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3).replace(/0+$/, '');
  if (typeof v === 'string') return v.length > 40 ? `${v.slice(0, 39)}…` : v;
  const s = JSON.stringify(v) ?? 'null';
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

export function verdictClass(pass: boolean | null): string {
  return pass === null ? 'badge-unset' : pass ? 'badge-ok' : 'badge-error';
}
