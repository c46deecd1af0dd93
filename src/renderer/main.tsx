import '../shared/zodNoEval';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { ClientProvider } from './client/ClientContext';
import { createClient } from './client';
import './styles/theme.css';
import './styles/app.css';
import './styles/library.css';

const client = createClient();
const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');

createRoot(root).render(
  <StrictMode>
    <ClientProvider value={client}>
      <App />
    </ClientProvider>
  </StrictMode>,
);
