import { RPC_PATH } from '../../shared/apiConstants';

/**
 * The HTTP request of one RPC call (browser mode); httpClient.ts reads its answer. Kept apart
 * (nothing but the path imported) so the page's first script can send one before the app's code
 * is loaded: see earlyRequest.ts.
 */
export function postRpc(method: string, input: unknown): Promise<Response> {
  return fetch(RPC_PATH + encodeURIComponent(method), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input ?? {}),
  });
}
