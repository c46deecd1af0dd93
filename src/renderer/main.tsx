import { parseRoute } from './app/router';
import { startEarlyTraceFetch } from './trace/earlyFetch';

/**
 * The page's first script, kept small: on a trace's deep link it asks for the trace before the
 * app's code is loaded (earlyFetch.ts), then loads the app (boot.tsx).
 */
const initial = parseRoute(location.hash);
if (initial.name === 'trace') startEarlyTraceFetch(initial.traceId);
void import('./boot');
