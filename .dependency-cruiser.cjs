/**
 * Layering rules of Tracedeck (README "Architecture"). `npm run lint:layers` checks src/ against
 * them; tests/unit/layering.test.ts proves each rule fires on a tree with deliberate violations.
 *
 *   src/core      pure TypeScript for Node: model, importers, import pipeline, store, judges
 *   src/shared    the typed UI contract (may use only src/core/model and zod)
 *   src/backend   implements the contract on top of src/core
 *   src/server    HTTP transport (browser mode, e2e); src/cli  command line
 *   src/main, src/preload   Electron transport
 *   src/cli, src/main       entry points: like the renderer, they reach the engine only through
 *                           src/shared and src/backend (plus src/server, the transport they start)
 *   src/renderer  React UI: talks to the backend only through src/shared
 *
 * Paths are matched against what dependency-cruiser resolves: project files as `src/…`, packages
 * as `node_modules/<name>/…` (or the bare name when it cannot be resolved), builtins as `fs`/`node:fs`
 * with dependency type 'core'. Type-only imports count too (tsPreCompilationDeps): a type import
 * of electron in src/core is still a layering mistake.
 */

/** Matches a package (and its @types twin), resolved or not. */
const pkg = (...names) =>
  names.map((n) => `(^|/)node_modules/(@types/)?${n}(/|$)|^${n}(/|$)`).join('|');

const ELECTRON = pkg('electron');
const REACT = pkg('react', 'react-dom', 'react-[^/]+');
/** Packages that need a browser DOM (or are UI-only). */
const DOM_ONLY = pkg('d3-[^/]+', 'monaco-editor', '@monaco-editor/[^/]+', 'dompurify', 'jsdom');
const SQLITE = pkg('better-sqlite3');

const layer = (...names) => `^src/(${names.join('|')})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    // ---- src/core: pure Node TypeScript ------------------------------------------------------
    {
      name: 'core-no-electron',
      comment: 'src/core runs in Node, the CLI and the server: it must not depend on Electron.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: ELECTRON },
    },
    {
      name: 'core-no-ui-packages',
      comment: 'src/core must not import React, DOM-only or editor packages (d3-*, monaco).',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: `${REACT}|${DOM_ONLY}` },
    },
    {
      name: 'core-no-outer-layers',
      comment: 'src/core is the bottom layer: it imports none of the layers built on it.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { path: layer('shared', 'backend', 'server', 'cli', 'main', 'preload', 'renderer') },
    },
    {
      name: 'core-model-pure',
      comment: 'src/core/model is the pure model the UI contract re-exports: it imports only itself.',
      severity: 'error',
      from: { path: '^src/core/model/' },
      to: { pathNot: '^src/core/model/' },
    },
    {
      name: 'core-no-circular',
      comment: 'No import cycles inside src/core.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: { circular: true },
    },

    // ---- src/shared: the UI contract ---------------------------------------------------------
    {
      name: 'shared-only-model-and-zod',
      comment: 'src/shared is loaded by the renderer: it may use only src/shared, src/core/model and zod.',
      severity: 'error',
      from: { path: '^src/shared/' },
      to: { pathNot: `^src/(shared|core/model)/|${pkg('zod')}` },
    },

    // ---- src/renderer: the React UI ----------------------------------------------------------
    {
      name: 'renderer-no-backend-layers',
      comment: 'The renderer reaches the backend only through src/shared (IPC or HTTP), never directly.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: layer('core', 'backend', 'server', 'cli', 'main') },
    },
    {
      name: 'renderer-no-node',
      comment: 'The renderer is a sandboxed web page: no native modules, no Electron.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { path: `${ELECTRON}|${SQLITE}` },
    },
    {
      name: 'renderer-no-node-builtins',
      comment: 'The renderer is a sandboxed web page: no Node builtins.',
      severity: 'error',
      from: { path: '^src/renderer/' },
      to: { dependencyTypes: ['core'] },
    },

    // ---- Electron main / preload -------------------------------------------------------------
    {
      name: 'main-preload-no-renderer',
      comment: 'src/main and src/preload run in Node/Electron and never load renderer code.',
      severity: 'error',
      from: { path: '^src/(main|preload)/' },
      to: { path: layer('renderer') },
    },

    // ---- server / CLI / backend --------------------------------------------------------------
    {
      name: 'server-cli-no-electron',
      comment: 'The HTTP server and the CLI run in plain Node: no Electron, no renderer, no main process.',
      severity: 'error',
      from: { path: '^src/(server|cli)/' },
      to: { path: `${ELECTRON}|${layer('renderer', 'main', 'preload')}` },
    },
    {
      name: 'backend-no-transports',
      comment: 'src/backend implements the contract once for every transport: it imports none of them.',
      severity: 'error',
      from: { path: '^src/backend/' },
      to: { path: `${ELECTRON}|${layer('renderer', 'main', 'preload', 'server', 'cli')}` },
    },
    // ---- entry points speak the contract (issue 12, item 4) ---------------------------------
    {
      name: 'cli-only-contract',
      comment:
        'The CLI speaks the contract like the renderer: src/shared, and src/backend (createBackend, and what a host ' +
        'process may use besides: host.ts, formats.ts, judgeFiles.ts, regressionGate.ts), never src/core. It may ' +
        'import src/server because `tracedeck serve` starts that transport (the HTTP server and OTLP receiver).',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/', pathNot: layer('cli', 'shared', 'backend', 'server') },
    },
    {
      name: 'main-only-contract',
      comment:
        'The Electron main process speaks the contract like the renderer: src/shared and src/backend, never ' +
        'src/core. It may import src/server: the desktop OTLP receiver is that server (otlpReceiver.ts), and the ' +
        'app protocol sends the same Content-Security-Policy (securityHeaders.ts).',
      severity: 'error',
      from: { path: '^src/main/' },
      to: { path: '^src/', pathNot: layer('main', 'shared', 'backend', 'server') },
    },
    {
      name: 'server-only-contract',
      comment:
        'The HTTP server is a transport like IPC: it speaks the contract (src/shared, src/backend: handlers, and ' +
        'host.ts / errors.ts for the workspace it serves and the errors it maps to statuses), never src/core.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/', pathNot: layer('server', 'shared', 'backend') },
    },
    // ---- the store owns the database --------------------------------------------------------
    {
      name: 'store-connection-private',
      comment: "The Workspace's connections are for src/core/store only: SQL lives in its store modules.",
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/core/store/' },
      to: { path: '^src/core/store/connection\\.ts$' },
    },
    {
      name: 'entry-points-no-sqlite',
      comment: 'Backend and transports reach the database only through the engine (src/core/store).',
      severity: 'error',
      from: { path: '^src/(backend|server|cli|main|preload)/' },
      to: { path: SQLITE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(out|dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
