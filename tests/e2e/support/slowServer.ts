import type { Page } from 'playwright-core';

/**
 * A slow server, played by holding requests of one RPC method back until `release()` (those that
 * `which` picks from their JSON body; all by default). `restore()` releases them and removes the
 * page's routes once the held requests have gone on: removing a route while its handler still
 * holds a request fails that handler ("Route is already handled").
 */
export async function holdRpc(
  page: Page,
  method: string,
  which: (body: string) => boolean = () => true,
): Promise<{ release(): void; restore(): Promise<void> }> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route(`**/api/rpc/${method}`, async (route) => {
    if (which(route.request().postData() ?? '')) await released;
    await route.continue();
  });
  return {
    release,
    async restore() {
      release();
      await page.unrouteAll({ behavior: 'wait' });
    },
  };
}

/** The moment the page sends a request of RPC `method` whose JSON body contains `text`. */
export function rpcSent(page: Page, method: string, text: string): Promise<unknown> {
  return page.waitForRequest((r) => r.url().endsWith(`/api/rpc/${method}`) && (r.postData() ?? '').includes(text), { timeout: 30_000 });
}
