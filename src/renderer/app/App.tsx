import { Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { ImportDropZone } from '../library/ImportDropZone';
import { ImportProgress } from '../library/ImportProgress';
import { LibraryView } from '../library/LibraryView';
import { useImports } from '../library/useImports';
import { isCompareRoute } from '../compare/routes';
import { ScenarioImportProvider, type ScenarioImports } from '../scenarios/ScenarioImportContext';
import { isScenarioFile } from '../scenarios/readScenarioFiles';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { useRoute } from './router';
import {
  CompareRouteView,
  JudgesRoute,
  LabelsRoute,
  OverviewView,
  ReplayView,
  ScenariosRoute,
  SessionsRoute,
  TraceViewRoute,
} from './lazyRoutes';

export function App() {
  const client = useClient();
  const route = useRoute();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [importVersion, setImportVersion] = useState(0);
  const [panelOpen, setPanelOpen] = useState(false);
  // The library mounts on its first visit and then stays (its filters, sort and scroll outlive a
  // trip to a trace). A deep link to a trace does not load it: its first page, rows and requests
  // took the main thread and the server during the trace's first paint.
  const [libraryMounted, setLibraryMounted] = useState(route.name === 'library');
  if (route.name === 'library' && !libraryMounted) setLibraryMounted(true);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    client.call('appInfo', {}).then(setInfo, (e: unknown) => setInfoError(`backend unavailable: ${(e as Error).message}`));
  }, [client]);

  const onImported = useCallback(() => setImportVersion((v) => v + 1), []);
  const imports = useImports(client, onImported);
  useApiEvents(imports.onEvent);
  // A big workspace is checked in the background: damage found after appInfo answered comes as
  // an event (whichever of the two arrives first, the banner shows).
  const [lateDamage, setLateDamage] = useState<string | null>(null);
  useApiEvents((e) => {
    if (e.type === 'workspace-damaged') setLateDamage(e.reason);
  });
  const damaged = info?.workspaceDamaged ?? lateDamage;

  // A new import row (ours or one started elsewhere) opens the panel.
  const jobCount = imports.jobs.length;
  const seenJobs = useRef(0);
  useEffect(() => {
    if (jobCount > seenJobs.current) setPanelOpen(true);
    seenJobs.current = jobCount;
  }, [jobCount]);

  // The user's choice for a trace id that another file already stored: replace it (default,
  // with a warning naming both files) or keep both (the new copy is stored as ID#2).
  const [keepBoth, setKeepBoth] = useState(false);
  // *.scenario.json files among picked or dropped files are scenarios, the rest trace files.
  const startFiles = useCallback(
    (files: File[]) => {
      const scenarioFiles = files.filter(isScenarioFile);
      const traceFiles = files.filter((f) => !isScenarioFile(f));
      if (scenarioFiles.length) void imports.importScenarioFiles(scenarioFiles);
      // Opening a file is one action: its trace shows as soon as it is parsed. Several files are
      // a batch for the library: jumping into the first one's trace would hide the others.
      if (traceFiles.length) void imports.importFiles(traceFiles, { keepBoth, open: traceFiles.length === 1 });
    },
    [imports, keepBoth],
  );
  const scenarioImports = useMemo<ScenarioImports>(
    () => ({ importFiles: imports.importScenarioFiles, version: imports.scenarioVersion }),
    [imports.importScenarioFiles, imports.scenarioVersion],
  );

  const onImportClick = useCallback(() => {
    if (imports.importViaDialog) {
      void imports.importViaDialog();
    } else {
      fileInput.current?.click();
    }
  }, [imports]);

  return (
    <ScenarioImportProvider value={scenarioImports}>
      <div className="app">
        <TopBar
          route={route}
          importing={imports.busy}
          onImport={onImportClick}
          importsCount={imports.jobs.length}
          onToggleImports={() => setPanelOpen((o) => !o)}
          // Browser mode only: the desktop app's native import path does not take the option yet.
          keepBoth={info?.mode === 'browser' ? keepBoth : null}
          onKeepBoth={setKeepBoth}
        />
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="import-input"
          onChange={(e) => {
            const files = Array.from(e.currentTarget.files ?? []);
            e.currentTarget.value = ''; // picking the same file again must fire change again
            if (files.length) startFiles(files);
          }}
        />
        {damaged ? (
          <div className="workspace-damaged" role="alert" data-testid="workspace-damaged">
            <strong>This workspace is damaged and open read-only.</strong> The integrity check of{' '}
            <span className="mono untrusted">{info?.workspacePath ?? 'the workspace'}</span> found:{' '}
            <span className="mono untrusted">{damaged}</span>. Imports, labels, judge runs and other changes
            are refused until it is repaired. Export what you need, or repair a copy (
            <span className="mono">sqlite3 FILE .recover | sqlite3 NEW.tracedeck</span>) and open that.
          </div>
        ) : null}
        <main className="main">
          {libraryMounted ? (
            <LibraryView
              active={route.name === 'library'}
              appInfo={info}
              importVersion={importVersion}
              onImportClick={onImportClick}
            />
          ) : null}
          {/* The other views load on first visit (lazyRoutes.ts); nothing shows while one loads. */}
          <Suspense fallback={null}>
            {route.name === 'trace' ? <TraceViewRoute key={route.traceId} traceId={route.traceId} spanId={route.spanId} /> : null}
            {route.name === 'labels' ? <LabelsRoute view={route.view} /> : null}
            {route.name === 'judges' ? <JudgesRoute view={route.view} /> : null}
            {route.name === 'scenarios' ? <ScenariosRoute view={route.view} /> : null}
            {isCompareRoute(route) ? <CompareRouteView route={route} /> : null}
            {route.name === 'sessions' ? <SessionsRoute sessionId={route.sessionId} /> : null}
            {route.name === 'overview' ? <OverviewView /> : null}
            {route.name === 'replay' ? <ReplayView key={`${route.traceId}\u0000${route.spanId}`} traceId={route.traceId} spanId={route.spanId} /> : null}
            {route.name === 'not-found' ? (
              <div className="empty-state">
                <div className="empty-title">Nothing here</div>
                <div className="mono dim">{route.hash}</div>
              </div>
            ) : null}
          </Suspense>
        </main>
        {panelOpen && imports.jobs.length ? (
          <ImportProgress jobs={imports.jobs} onClear={imports.clear} onClose={() => setPanelOpen(false)} />
        ) : null}
        <StatusBar info={info} error={infoError} />
        <ImportDropZone onFiles={startFiles} />
      </div>
    </ScenarioImportProvider>
  );
}
