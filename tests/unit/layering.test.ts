/**
 * The layering rules (.dependency-cruiser.cjs) are only worth something if they fire. This runs
 * dependency-cruiser with the real config on a throwaway tree shaped like src/ that breaks each
 * rule on purpose (and also does a few allowed things), then on the real src/.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const CONFIG = join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

interface Violation {
  from: string;
  to: string;
  rule: { name: string; severity: string };
  cycle?: unknown[];
}

function depcruise(cwd: string, ...extra: string[]) {
  return spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, ...extra], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

function cruise(cwd: string): { violations: Violation[]; modules: number } {
  const r = depcruise(cwd, '--output-type', 'json');
  if (!r.stdout) throw new Error(`depcruise printed nothing (status ${r.status}): ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { summary: { violations: Violation[]; totalCruised: number } };
  return { violations: out.summary.violations, modules: out.summary.totalCruised };
}

/** The throwaway tree: file → source. Comments mark what each import should produce. */
const TREE: Record<string, string> = {
  'src/core/model/types.ts': `
    export interface Span { id: string }
    import { open } from '../store/db';          // core-model-pure
    export const o = open;`,
  'src/core/store/db.ts': `
    import Database from 'better-sqlite3';       // allowed: core may use SQLite
    import { readFileSync } from 'node:fs';      // allowed: core is Node
    export const open = () => new Database(':memory:') && readFileSync;`,
  'src/core/bad.ts': `
    import { app } from 'electron';              // core-no-electron
    import { useState } from 'react';            // core-no-ui-packages
    import { scaleLinear } from 'd3-scale';      // core-no-ui-packages
    import { View } from '../renderer/view';     // core-no-outer-layers
    import type { Api } from '../shared/api';    // core-no-outer-layers (type-only counts)
    export const x = [app, useState, scaleLinear, View] as unknown as Api;`,
  'src/core/store/connection.ts': `export const writerOf = (o: object) => o;`,
  'src/core/cycleA.ts': `import { b } from './cycleB'; export const a = () => b;`, // core-no-circular
  'src/core/cycleB.ts': `import { a } from './cycleA'; export const b = () => a;`,
  'src/shared/api.ts': `
    import { z } from 'zod';                     // allowed
    import type { Span } from '../core/model/types'; // allowed
    import { open } from '../core/store/db';     // shared-only-model-and-zod
    import { join } from 'node:path';            // shared-only-model-and-zod
    export type Api = { span: Span };
    export const s = [z, open, join];`,
  'src/renderer/view.ts': `
    import type { Api } from '../shared/api';    // allowed
    import type { Span } from '../core/model/types'; // renderer-no-backend-layers
    import { readFileSync } from 'node:fs';      // renderer-no-node-builtins
    import Database from 'better-sqlite3';       // renderer-no-node
    import { ipcRenderer } from 'electron';      // renderer-no-node
    import { h } from '../backend/handlers';     // renderer-no-backend-layers
    export const View = [readFileSync, Database, ipcRenderer, h] as unknown as Api | Span;`,
  'src/main/index.ts': `
    import { app } from 'electron';              // allowed
    import { h } from '../backend/handlers';     // allowed
    import type { Api } from '../shared/api';    // allowed
    import { srv } from '../server/http';        // allowed: the OTLP receiver is the HTTP server
    import { View } from '../renderer/view';     // main-preload-no-renderer, main-only-contract
    import { open } from '../core/store/db';     // main-only-contract
    import type { Span } from '../core/model/types'; // main-only-contract (type-only counts)
    import { c } from '../cli/main';             // main-only-contract
    export const m = [app, h, srv, View, open, c] as unknown as Api | Span;`,
  'src/preload/index.ts': `
    import { contextBridge } from 'electron';    // allowed
    import { View } from '../renderer/view';     // main-preload-no-renderer
    export const p = [contextBridge, View];`,
  'src/server/http.ts': `
    import { h } from '../backend/handlers';     // allowed
    import { app } from 'electron';              // server-cli-no-electron
    import { m } from '../main/index';           // server-cli-no-electron, server-only-contract
    import { open } from '../core/store/db';     // server-only-contract
    import type { Api } from '../shared/api';    // allowed
    export const srv = [h, app, m, open] as unknown as Api;`,
  'src/cli/main.ts': `
    import { View } from '../renderer/view';     // server-cli-no-electron, cli-only-contract
    import { h } from '../backend/handlers';     // allowed
    import type { Api } from '../shared/api';    // allowed
    import { srv } from '../server/http';        // allowed: \`tracedeck serve\` starts it
    import { open } from '../core/store/db';     // cli-only-contract
    import type { Span } from '../core/model/types'; // cli-only-contract (type-only counts)
    export const c = [View, h, srv, open] as unknown as Api | Span;`,
  'src/backend/handlers.ts': `
    import { open } from '../core/store/db';     // allowed
    import { srv } from '../server/http';        // backend-no-transports
    import { writerOf } from '../core/store/connection'; // store-connection-private
    import Database from 'better-sqlite3';       // entry-points-no-sqlite
    export const h = [open, srv, writerOf, Database];`,
};

const EXPECTED: [rule: string, from: string, to: RegExp][] = [
  ['core-model-pure', 'src/core/model/types.ts', /^src\/core\/store\/db\.ts$/],
  ['core-no-electron', 'src/core/bad.ts', /node_modules\/electron\//],
  ['core-no-ui-packages', 'src/core/bad.ts', /node_modules\/(@types\/)?react\//],
  ['core-no-ui-packages', 'src/core/bad.ts', /node_modules\/(@types\/)?d3-scale\//],
  ['core-no-outer-layers', 'src/core/bad.ts', /^src\/renderer\/view\.ts$/],
  ['core-no-outer-layers', 'src/core/bad.ts', /^src\/shared\/api\.ts$/],
  ['shared-only-model-and-zod', 'src/shared/api.ts', /^src\/core\/store\/db\.ts$/],
  ['shared-only-model-and-zod', 'src/shared/api.ts', /^(node:)?path$/],
  ['renderer-no-backend-layers', 'src/renderer/view.ts', /^src\/core\/model\/types\.ts$/],
  ['renderer-no-backend-layers', 'src/renderer/view.ts', /^src\/backend\/handlers\.ts$/],
  ['renderer-no-node-builtins', 'src/renderer/view.ts', /^(node:)?fs$/],
  ['renderer-no-node', 'src/renderer/view.ts', /node_modules\/(@types\/)?better-sqlite3\//],
  ['renderer-no-node', 'src/renderer/view.ts', /node_modules\/electron\//],
  ['main-preload-no-renderer', 'src/main/index.ts', /^src\/renderer\/view\.ts$/],
  ['main-preload-no-renderer', 'src/preload/index.ts', /^src\/renderer\/view\.ts$/],
  ['server-cli-no-electron', 'src/server/http.ts', /node_modules\/electron\//],
  ['server-cli-no-electron', 'src/server/http.ts', /^src\/main\/index\.ts$/],
  ['server-cli-no-electron', 'src/cli/main.ts', /^src\/renderer\/view\.ts$/],
  ['cli-only-contract', 'src/cli/main.ts', /^src\/core\/store\/db\.ts$/],
  ['cli-only-contract', 'src/cli/main.ts', /^src\/core\/model\/types\.ts$/],
  ['cli-only-contract', 'src/cli/main.ts', /^src\/renderer\/view\.ts$/],
  ['main-only-contract', 'src/main/index.ts', /^src\/core\/store\/db\.ts$/],
  ['main-only-contract', 'src/main/index.ts', /^src\/core\/model\/types\.ts$/],
  ['main-only-contract', 'src/main/index.ts', /^src\/cli\/main\.ts$/],
  ['main-only-contract', 'src/main/index.ts', /^src\/renderer\/view\.ts$/],
  ['server-only-contract', 'src/server/http.ts', /^src\/core\/store\/db\.ts$/],
  ['server-only-contract', 'src/server/http.ts', /^src\/main\/index\.ts$/],
  ['backend-no-transports', 'src/backend/handlers.ts', /^src\/server\/http\.ts$/],
  ['store-connection-private', 'src/backend/handlers.ts', /^src\/core\/store\/connection\.ts$/],
  ['entry-points-no-sqlite', 'src/backend/handlers.ts', /node_modules\/(@types\/)?better-sqlite3\//],
];

describe('layering rules (.dependency-cruiser.cjs)', () => {
  let dir: string;
  let result: ReturnType<typeof cruise>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-layers-'));
    for (const [file, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    // Real packages resolve as they do in the repo (node_modules/electron/…, @types/react/…).
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    result = cruise(dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(EXPECTED)('reports %s: %s → %s', (rule, from, to) => {
    const hit = result.violations.find((v) => v.rule.name === rule && v.from === from && to.test(v.to));
    expect(hit, JSON.stringify(result.violations.map((v) => [v.rule.name, v.from, v.to]), null, 1)).toBeDefined();
    expect(hit!.rule.severity).toBe('error');
  });

  it('reports the import cycle inside src/core', () => {
    // dependency-cruiser reports a cycle once, from its first module, with the whole loop.
    const cyc = result.violations.filter((v) => v.rule.name === 'core-no-circular');
    expect(cyc).toHaveLength(1);
    const loop = [cyc[0]!.from, ...(cyc[0]!.cycle ?? []).map((c) => (c as { name: string }).name)];
    expect(new Set(loop)).toEqual(new Set(['src/core/cycleA.ts', 'src/core/cycleB.ts']));
  });

  it('reports nothing for the allowed imports', () => {
    const allowed: [string, RegExp][] = [
      ['src/core/store/db.ts', /better-sqlite3|^(node:)?fs$/],
      ['src/shared/api.ts', /zod|^src\/core\/model\//],
      ['src/renderer/view.ts', /^src\/shared\//],
      ['src/main/index.ts', /electron|^src\/(backend|shared|server)\//],
      ['src/cli/main.ts', /^src\/(backend|shared|server)\//],
      ['src/preload/index.ts', /electron/],
      ['src/server/http.ts', /^src\/backend\//],
      ['src/backend/handlers.ts', /^src\/core\/store\/db\.ts$/],
    ];
    for (const [from, to] of allowed) {
      const wrong = result.violations.filter((v) => v.from === from && to.test(v.to));
      expect(wrong, `${from} → ${String(to)}`).toEqual([]);
    }
    // Nothing beyond what the tree breaks on purpose (+1 for the cycle).
    expect(result.violations.length).toBe(EXPECTED.length + 1);
  });

  it('fails the run the way `npm run lint:layers` calls it (exit code = number of errors)', () => {
    const r = depcruise(dir);
    expect(r.status).toBe(EXPECTED.length + 1);
    expect(r.stdout).toContain('core-no-electron');
  });

  it('passes on the real src/', () => {
    const real = cruise(ROOT);
    expect(real.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
    expect(real.modules).toBeGreaterThan(10);
    expect(depcruise(ROOT).status).toBe(0);
  }, 180_000); // two full cruises of src/: slow on a loaded machine
});
