/**
 * What a process hosting the backend (the CLI, the Electron main process, the HTTP server) may use
 * from the engine besides the contract: here, opening and closing the workspace it serves, and
 * the errors that say it is busy or read-only (a transport answers those with its own status) (`tracedeck
 * ls` and `show` read it directly to start fast). Entry points import src/core only through
 * src/backend's modules (.dependency-cruiser.cjs: cli-only-contract, main-only-contract,
 * server-only-contract). Each
 * such piece is a module of its own (errors.ts, outputFile.ts, apiKeys.ts, formats.ts,
 * judgeFiles.ts, regressionGate.ts): the compiled CLI splits chunks by module, and `tracedeck
 * --version` must not load SQLite because it reports an error the same way.
 */
export { Workspace, WorkspaceBusyError, WorkspaceReadOnlyError } from '../core/store/workspace';
