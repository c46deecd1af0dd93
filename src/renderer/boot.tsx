import '../shared/zodNoEval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ClientProvider } from './client/ClientContext';
import { createClient } from './client';
import { parseRoute } from './app/router';
import { prefetchTraceColumns } from './trace/prefetch';
import { prefetchLibraryFirstPage } from './library/useTracePages';
import './styles/theme.css';
import './styles/app.css';
import './styles/library.css';

/** The app, loaded by main.tsx (the page's first script). */
const client = createClient();
// Opened on a trace's deep link: ask for its span columns while the UI boots (or take over the
// request main.tsx already sent).
const initial = parseRoute(location.hash);
if (initial.name === 'trace') prefetchTraceColumns(client, initial.traceId);
// Opened on the library (the usual start): its first page likewise, before React mounts.
if (initial.name === 'library') prefetchLibraryFirstPage(client);
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <ClientProvider value={client}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
