import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDisplay, findElectron } from './support/electron';
import { FIXTURES, REPO, RESULTS_DIR } from './support/paths';

const found = findElectron();
const reason = 'reason' in found ? found.reason : null;
if (reason) console.warn(`[e2e] Electron smoke test skipped: ${reason}`);

const PHOENIX = join(FIXTURES, 'openinference/phoenix-rest-spans-agent-turn-tools-error.json');

describe.skipIf(reason !== null)('desktop app (real Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let tmp: string;
  let display: Awaited<ReturnType<typeof ensureDisplay>>;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const main = resolve(REPO, 'out/main/index.js');
    if (!existsSync(main) || process.env.TRACEDECK_E2E_REBUILD === '1') {
      execFileSync(process.execPath, [resolve(REPO, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
        cwd: REPO,
        stdio: 'inherit',
      });
    }
    tmp = mkdtempSync(join(tmpdir(), 'tracedeck-electron-'));
    display = await ensureDisplay();
    app = await _electron.launch({
      executablePath: (found as { path: string }).path,
      args: [main, `--workspace=${join(tmp, 'workspace.tracedeck')}`, '--disable-gpu'],
      env: { ...display.env, ELECTRON_ENABLE_LOGGING: '1' },
      cwd: REPO,
    });
    page = await app.firstWindow();
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
  });

  afterAll(async () => {
    await app?.close();
    display?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('loads the renderer from tracedeck://app with a sandboxed, isolated page', async () => {
    await page.getByText('No traces yet').waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).origin).toBe('tracedeck://app');
    const exposure = await page.evaluate(() => ({
      bridge: Object.keys(window.tracedeck ?? {}).sort(),
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
    }));
    expect(exposure).toEqual({
      bridge: ['importFilesByPath', 'onEvent', 'openImportDialog', 'rpc'],
      require: 'undefined',
      process: 'undefined',
    });
    await page.locator('.status-bar').getByText('desktop', { exact: true }).waitFor();
  });

  it('imports over IPC and refreshes the list from the forwarded traces-changed event', async () => {
    const res = await page.evaluate((p) => window.tracedeck!.rpc('importPaths', { paths: [p] }), PHOENIX);
    expect(res.ok).toBe(true);
    await page.locator('.trace-row[data-trace-index="0"] .col-spans').getByText('18', { exact: true }).waitFor();
    const bad = await page.evaluate(() => window.tracedeck!.rpc('listTraces', { limit: 0 }));
    expect(bad.ok).toBe(false);
    await page.screenshot({ path: join(RESULTS_DIR, 'electron-library.png') });
    expect(consoleErrors).toEqual([]);
  });
});
