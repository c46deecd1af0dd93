import { EventEmitter } from 'node:events';
import type { ApiEvent } from '../shared/api';

/**
 * Backend → UI push channel. Both transports subscribe: the SSE route (one listener per open
 * browser tab) and the Electron main process (forwards to the window over IPC).
 */
export class ApiEventEmitter extends EventEmitter<{ event: [ApiEvent] }> {
  constructor() {
    super();
    // Every SSE client is a listener; Node's leak warning at 10 would be a false alarm.
    this.setMaxListeners(0);
  }

  /** Listen to every event; returns the unsubscribe function. */
  subscribe(listener: (e: ApiEvent) => void): () => void {
    this.on('event', listener);
    return () => this.off('event', listener);
  }

  send(e: ApiEvent): void {
    // A failing listener (a closed socket, a destroyed window) must not break the sender or the
    // other listeners.
    for (const l of this.listeners('event')) {
      try {
        (l as (e: ApiEvent) => void)(e);
      } catch {
        /* ignored: see above */
      }
    }
  }
}
