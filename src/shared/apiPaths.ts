/**
 * Paths of the HTTP API (browser mode, src/server). Apart from api.ts, which holds the contract's
 * schemas: the page's first script uses them before the rest of the app is loaded.
 */
export const RPC_PATH = '/api/rpc/';
export const UPLOAD_PATH = '/api/upload';
export const EVENTS_PATH = '/api/events';
