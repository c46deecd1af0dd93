import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { AppInfo } from '../../shared/api';
import { useApiEvents, useClient } from '../client/ClientContext';
import { ImportDropZone } from '../library/ImportDropZone';
import { ImportProgress } from '../library/ImportProgress';
import { LibraryView } from '../library/LibraryView';
import { useImports } from '../library/useImports';
import { TraceViewRoute } from '../trace/TraceViewRoute';
import { CompareRouteView, isCompareRoute } from '../compare/CompareRouteView';
import { LabelsRoute } from '../labels/LabelsRoute';
import { JudgesRoute } from '../judges/JudgesRoute';
import { ScenariosRoute } from '../scenarios/ScenariosRoute';
import { ScenarioImportProvider, type ScenarioImports } from '../scenarios/ScenarioImportContext';
import { isScenarioFile } from '../scenarios/readScenarioFiles';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';
import { useRoute } from './router';

export function App() {
  const client = useClient();
  const route = useRoute();
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [importVersion, setImportVersion] = useState(0);
  const [panelOpen, setPanelOpen] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    client.call('appInfo', {}).then(setInfo, (e: unknown) => setInfoError(`backend unavailable: ${(e as Error).message}`));
  }, [client]);

  const onImported = useCallback(() => setImportVersion((v) => v + 1), []);
  const imports = useImports(client, onImported);
  useApiEvents(imports.onEvent);

  // A new import row (ours or one started elsewhere) opens the panel.
  const jobCount = imports.jobs.length;
  const seenJobs = useRef(0);
  useEffect(() => {
    if (jobCount > seenJobs.current) setPanelOpen(true);
    seenJobs.current = jobCount;
  }, [jobCount]);

  // *.scenario.json files among picked or dropped files are scenarios, the rest trace files.
  const startFiles = useCallback(
    (files: File[]) => {
      const scenarioFiles = files.filter(isScenarioFile);
      const traceFiles = files.filter((f) => !isScenarioFile(f));
      if (scenarioFiles.length) void imports.importScenarioFiles(scenarioFiles);
      if (traceFiles.length) void imports.importFiles(traceFiles);
    },
    [imports],
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
        <main className="main">
          <LibraryView
            active={route.name === 'library'}
            appInfo={info}
            importVersion={importVersion}
            onImportClick={onImportClick}
          />
          {route.name === 'trace' ? <TraceViewRoute key={route.traceId} traceId={route.traceId} spanId={route.spanId} /> : null}
          {route.name === 'labels' ? <LabelsRoute view={route.view} /> : null}
          {route.name === 'judges' ? <JudgesRoute view={route.view} /> : null}
          {route.name === 'scenarios' ? <ScenariosRoute view={route.view} /> : null}
          {isCompareRoute(route) ? <CompareRouteView route={route} /> : null}
          {route.name === 'not-found' ? (
            <div className="empty-state">
              <div className="empty-title">Nothing here</div>
              <div className="mono dim">{route.hash}</div>
            </div>
          ) : null}
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
