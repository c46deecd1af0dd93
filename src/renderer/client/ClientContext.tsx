import { createContext, useContext, useEffect, useRef } from 'react';
import type { ApiEvent, TracedeckClient } from '../../shared/api';

const ClientContext = createContext<TracedeckClient | null>(null);

export const ClientProvider = ClientContext.Provider;

export function useClient(): TracedeckClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside <ClientProvider>');
  return c;
}

/** Subscribe to backend events for the component's lifetime; the latest handler always runs. */
export function useApiEvents(handler: (e: ApiEvent) => void): void {
  const client = useClient();
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => client.onEvent((e) => ref.current(e)), [client]);
}
