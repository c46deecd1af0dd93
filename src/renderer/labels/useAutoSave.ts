import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LabelDto, LabelVerdict, TracedeckClient } from '../../shared/api';
import { errorText } from './errorText';

export type SaveStatus =
  | { kind: 'idle' }
  /** typed, waiting for the debounce */
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'saved'; at: number }
  /** a critique exists but no verdict: the label table needs one */
  | { kind: 'needs-verdict' }
  | { kind: 'error'; message: string };

export interface PendingLabel {
  traceId: string;
  verdict: LabelVerdict;
  critique: string;
}

/**
 * Saves labels as they change: verdicts at once, critique keystrokes after a short pause. Saves
 * run one after another (the last edit is the last write) and are flushed before navigating.
 */
export function useAutoSave(client: TracedeckClient, onSaved: (l: LabelDto) => void) {
  const [status, setStatus] = useState<SaveStatus>({ kind: 'idle' });
  const pending = useRef<PendingLabel | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const chain = useRef<Promise<void>>(Promise.resolve());
  const saved = useRef(onSaved);
  saved.current = onSaved;

  const flush = useCallback((): Promise<void> => {
    clearTimeout(timer.current);
    timer.current = undefined;
    const p = pending.current;
    pending.current = null;
    if (!p) return chain.current;
    setStatus({ kind: 'saving' });
    chain.current = chain.current
      .then(() => client.call('setLabel', p))
      .then(
        (label) => {
          saved.current(label);
          if (!pending.current && timer.current === undefined) setStatus({ kind: 'saved', at: label.updatedAt });
        },
        (e: unknown) => setStatus({ kind: 'error', message: errorText(e) }),
      );
    return chain.current;
  }, [client]);

  const save = useCallback(
    (p: PendingLabel, debounceMs = 0) => {
      pending.current = p;
      clearTimeout(timer.current);
      timer.current = undefined;
      if (debounceMs > 0) {
        setStatus({ kind: 'pending' });
        timer.current = setTimeout(() => void flush(), debounceMs);
      } else void flush();
    },
    [flush],
  );

  // Leaving the view must not drop the last keystrokes.
  useEffect(() => () => void flush(), [flush]);

  return useMemo(() => ({ status, setStatus, save, flush }), [status, save, flush]);
}
