/**
 * The contract's plain constants, without zod: what the renderer's first chunk needs from the
 * contract (its HTTP paths, the scenario file suffix). Importing them from api.ts would build
 * every input schema before the library could paint. api.ts re-exports them for everyone else.
 */
export { SCENARIO_FILE_SUFFIX } from '../core/model/compare';

export const RPC_PATH = '/api/rpc/';
export const UPLOAD_PATH = '/api/upload';
export const EVENTS_PATH = '/api/events';
export const IPC_RPC_CHANNEL = 'tracedeck:rpc';
export const IPC_EVENT_CHANNEL = 'tracedeck:event';
export const IPC_DIALOG_CHANNEL = 'tracedeck:open-import-dialog';
