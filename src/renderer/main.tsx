import { parseRoute } from './app/router';
import { startEarlyTraceFetch } from './trace/earlyFetch';

/**
 * The page's first script, kept small: loads the app (boot.tsx) and, on a trace's deep link, asks
 * for the trace meanwhile (earlyFetch.ts). The app's code is asked for first: the server sends it
 * from memory before it turns to the trace.
 */
const app = import('./boot');
const initial = parseRoute(location.hash);
if (initial.name === 'trace') startEarlyTraceFetch(initial.traceId);
void app;
