import { parseRoute } from './app/router';
import { startEarlyRequest } from './client/earlyRequest';
import { firstPageInput } from './library/firstPage';

/**
 * The page's first script, kept small: loads the app (boot.tsx) and meanwhile sends the opened
 * view's first request (earlyRequest.ts): a trace's columns on its deep link, else the library's
 * first page. The app's code is asked for first: the server sends it from memory before it turns
 * to the request.
 */
const app = import('./boot');
const initial = parseRoute(location.hash);
if (initial.name === 'trace') startEarlyRequest('getTraceColumns', { traceId: initial.traceId });
else if (initial.name === 'library') startEarlyRequest('listTraces', firstPageInput());
void app;
