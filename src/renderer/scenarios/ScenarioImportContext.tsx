import { createContext, useContext, useRef } from 'react';
import type { ScenarioLoadResult } from '../../shared/api';

/**
 * The app's one way to import scenario files (through the Imports panel, see useImports), for
 * views deep in the tree: the Scenarios page and the trajectory overlay's empty state.
 * `version` changes after every scenario import so those views reload their lists.
 */
export interface ScenarioImports {
  importFiles(files: File[]): Promise<ScenarioLoadResult>;
  version: number;
}

const Ctx = createContext<ScenarioImports | null>(null);
export const ScenarioImportProvider = Ctx.Provider;

export function useScenarioImports(): ScenarioImports {
  const v = useContext(Ctx);
  if (!v) throw new Error('useScenarioImports outside ScenarioImportProvider');
  return v;
}

/** A button that opens the file picker for scenario files (any name: the user chose them). */
export function ScenarioImportButton({ testId, className, label }: { testId: string; className?: string; label?: string }) {
  const { importFiles } = useScenarioImports();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className={className ?? 'button'} data-testid={testId} onClick={() => input.current?.click()}>
        {label ?? 'Import scenario files…'}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        multiple
        hidden
        data-testid={`${testId}-input`}
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = ''; // picking the same file again must fire change again
          if (files.length) void importFiles(files);
        }}
      />
    </>
  );
}
