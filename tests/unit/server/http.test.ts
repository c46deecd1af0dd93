import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../../src/server/securityHeaders';
import type { ApiErrorBody, ImportOutcome, TraceDetail } from '../../../src/shared/api';
import { fixture } from '../../helpers/workspace';
import { openEventStream, raw, tempServer } from './harness';

const LANGFUSE = 'langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json';
const LANGFUSE_TRACE = 'df41e597d0a85e0d7a6ae8ebfaa70aa0';

describe('RPC over HTTP', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  beforeAll(async () => {
    h = await tempServer();
  });
  afterAll(() => h.stop());

  it('answers appInfo with the OTLP endpoint of this server', async () => {
    const r = await h.rpc<{ mode: string; otlpEndpoint: string }>('appInfo', {});
    expect(r.status).toBe(200);
    expect(r.body.mode).toBe('browser');
    expect(r.body.otlpEndpoint).toBe(`http://127.0.0.1:${h.server.port}/v1/traces`);
  });

  it('maps errors to ApiErrorBody with 400 / 404', async () => {
    const unknown = await h.rpc<ApiErrorBody>('dropEverything', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.code).toBe('bad-input');
    expect(unknown.body.error.message).toContain('dropEverything');

    const bad = await h.rpc<ApiErrorBody>('getTrace', { traceId: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('traceId');

    const notJson = await raw(h.server.port, { method: 'POST', path: '/api/rpc/appInfo', body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(notJson.body.toString()).error.message).toMatch(/not valid JSON/);

    const noRoute = await raw(h.server.port, { method: 'POST', path: '/api/nothing-here' });
    expect(noRoute.status).toBe(404);
    expect(JSON.parse(noRoute.body.toString()).error.code).toBe('not-found');

    const get = await raw(h.server.port, { path: '/api/rpc/appInfo' });
    expect(get.status).toBe(405);
  });

  it('refuses bodies over the RPC limit with 413', async () => {
    const r = await raw(h.server.port, {
      method: 'POST',
      path: '/api/rpc/listTraces',
      body: JSON.stringify({ text: 'x'.repeat(9 * 1024 * 1024) }),
    });
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body.toString()).error.code).toBe('bad-input');
  });

  it('imports a real fixture by path and reads it back', async () => {
    const r = await h.rpc<ImportOutcome[]>('importPaths', { paths: [fixture(LANGFUSE)] });
    expect(r.status).toBe(200);
    // 3 observations + the span standing for the Langfuse trace itself.
    expect(r.body[0]).toMatchObject({ ok: true, format: 'langfuse', spanCount: 4, traceIds: [LANGFUSE_TRACE] });
    const list = await h.rpc<{ total: number; rows: { traceId: string }[] }>('listTraces', { text: 'df41e597' });
    expect(list.body.total).toBe(1);
    const detail = await h.rpc<TraceDetail>('getTrace', { traceId: LANGFUSE_TRACE });
    expect(detail.body.spans).toHaveLength(4);
    const missing = await h.rpc('getTrace', { traceId: 'not-there' });
    expect(missing).toEqual({ status: 200, body: null });
  });
});

describe('upload and events', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  beforeAll(async () => {
    h = await tempServer({ sseKeepAliveMs: 100, uploadLimit: 1024 * 1024 });
  });
  afterAll(() => h.stop());

  it('imports an uploaded fixture under its own name and pushes events over SSE', async () => {
    const stream = await openEventStream(h.server.port);
    try {
      const body = readFileSync(fixture('langsmith/langsmith-js-batch-post-patch-wrap-openai-default.json'));
      const r = await raw(h.server.port, {
        method: 'POST',
        path: `/api/upload?name=${encodeURIComponent('../../wrap openai.json')}`,
        headers: { 'content-type': 'application/octet-stream' },
        body,
      });
      expect(r.status).toBe(200);
      const outcome = JSON.parse(r.body.toString()) as ImportOutcome;
      // The name is reduced to a base name; the run dc34609e… is one LLM run (1 span).
      expect(outcome).toMatchObject({
        source: 'wrap openai.json',
        ok: true,
        format: 'langsmith',
        spanCount: 1,
        traceIds: ['dc34609e-3eeb-459d-bc2a-6fedb01d2e6e'],
      });

      const finished = await stream.waitFor((e) => e.type === 'import-finished');
      expect(finished).toMatchObject({ outcome: { source: 'wrap openai.json', ok: true } });
      const changed = await stream.waitFor((e) => e.type === 'traces-changed');
      expect(changed).toEqual({
        type: 'traces-changed',
        traceIds: ['dc34609e-3eeb-459d-bc2a-6fedb01d2e6e'],
        reason: 'import',
      });
      expect(stream.events.find((e) => e.type === 'import-progress')).toMatchObject({
        source: 'wrap openai.json',
        bytesTotal: body.length,
      });
      await new Promise((r) => setTimeout(r, 250));
      expect(stream.comments).toContain('keep-alive');

      const imports = await h.rpc<{ source: string }[]>('listImports', {});
      expect(imports.body[0]!.source).toBe('wrap openai.json');
    } finally {
      stream.close();
    }
  });

  it('recognises the same bytes uploaded again by the hash taken as they arrived, and only them', async () => {
    const upload = async (file: string) => {
      const r = await raw(h.server.port, { method: 'POST', path: '/api/upload?name=again.json', body: readFileSync(fixture(file)) });
      return JSON.parse(r.body.toString()) as ImportOutcome;
    };
    const [a, b] = ['openinference/phoenix-rest-spans-agent-turn-tools-error.json', 'otlp-json/handmade-google-adk-weather-agent.json'];
    expect(await upload(a)).toMatchObject({ ok: true, unchanged: false });
    expect(await upload(a)).toMatchObject({ ok: true, unchanged: true });
    expect(await upload(b)).toMatchObject({ ok: true, unchanged: false });
  });

  it('reports a file that does not import as ok:false with the file name', async () => {
    const r = await raw(h.server.port, { method: 'POST', path: '/api/upload?name=notes.txt', body: 'hello, not a trace' });
    expect(r.status).toBe(200);
    const outcome = JSON.parse(r.body.toString()) as ImportOutcome;
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toContain('notes.txt');
  });

  it('refuses uploads without a name or over the size limit', async () => {
    const noName = await raw(h.server.port, { method: 'POST', path: '/api/upload', body: '{}' });
    expect(noName.status).toBe(400);
    const tooBig = await raw(h.server.port, {
      method: 'POST',
      path: '/api/upload?name=big.json',
      body: Buffer.alloc(1024 * 1024 + 1, 0x20),
    });
    expect(tooBig.status).toBe(413);
  });
});

describe('request guard', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  beforeAll(async () => {
    h = await tempServer();
  });
  afterAll(() => h.stop());

  it('refuses a foreign Host header (DNS rebinding) on every route', async () => {
    for (const path of ['/api/rpc/appInfo', '/v1/traces', '/', '/api/events']) {
      const r = await raw(h.server.port, {
        method: path === '/' || path === '/api/events' ? 'GET' : 'POST',
        path,
        headers: { host: `evil.example:${h.server.port}`, 'content-type': 'application/json' },
        body: path === '/' || path === '/api/events' ? undefined : '{}',
      });
      expect(r.status, path).toBe(403);
    }
    const wrongPort = await raw(h.server.port, {
      method: 'POST',
      path: '/api/rpc/appInfo',
      headers: { host: `127.0.0.1:${h.server.port + 1}` },
    });
    expect(wrongPort.status).toBe(403);
    const localhost = await raw(h.server.port, {
      method: 'POST',
      path: '/api/rpc/appInfo',
      headers: { host: `localhost:${h.server.port}` },
    });
    expect(localhost.status).toBe(200);
  });

  it('refuses cross-origin API calls and OTLP posts, accepts same-origin ones', async () => {
    const call = (headers: Record<string, string>, path = '/api/rpc/appInfo') =>
      raw(h.server.port, { method: 'POST', path, headers: { 'content-type': 'application/json', ...headers }, body: '{}' });
    expect((await call({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await call({ origin: 'null' })).status).toBe(403);
    expect((await call({ origin: `http://127.0.0.1:${h.server.port + 1}` })).status).toBe(403);
    expect((await call({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call({ origin: `http://127.0.0.1:${h.server.port}` })).status).toBe(200);
    expect((await call({ origin: `http://localhost:${h.server.port}` })).status).toBe(200);
    expect((await call({ origin: 'https://evil.example' }, '/api/upload?name=a.json')).status).toBe(403);
    expect((await call({ origin: 'https://evil.example' }, '/v1/traces')).status).toBe(403);
    // Exporters send no Origin: accepted (an empty OTLP/JSON request is a valid export).
    expect((await call({}, '/v1/traces')).status).toBe(200);
  });

  it('sets the security headers on API answers too', async () => {
    const r = await raw(h.server.port, { method: 'POST', path: '/api/rpc/appInfo' });
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('static files', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  let base: string;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'tracedeck-static-test-'));
    const web = join(base, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Tracedeck</title><script src="/assets/app.js"></script>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
    writeFileSync(join(base, 'secret.txt'), 'do not serve');
    symlinkSync(join(base, 'secret.txt'), join(web, 'link.txt'));
    symlinkSync(join(base, 'secret.txt'), join(web, 'assets', 'link.js'));
    h = await tempServer({ staticDir: web });
    await new Promise((r) => setTimeout(r, 100)); // the server reads its assets into memory once up
  });
  afterAll(async () => {
    await h.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('serves index.html with a strict CSP and nosniff, and assets with their type', async () => {
    const r = await raw(h.server.port, { path: '/' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toContain('<title>Tracedeck</title>');
    const csp = r.headers['content-security-policy'] as string;
    expect(csp).toBe(CONTENT_SECURITY_POLICY);
    for (const d of [
      "default-src 'self'",
      "script-src 'self'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "connect-src 'self'",
    ])
      expect(csp).toContain(d);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');

    const js = await raw(h.server.port, { path: '/assets/app.js' });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log("app")');
  });

  it('falls back to index.html for client routes, 404 for missing assets', async () => {
    const route = await raw(h.server.port, { path: '/trace/abc123' });
    expect(route.status).toBe(200);
    expect(route.body.toString()).toContain('<title>Tracedeck</title>');
    expect((await raw(h.server.port, { path: '/assets/missing.js' })).status).toBe(404);
  });

  it('refuses directory traversal and symlinks out of the root', async () => {
    for (const path of [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/%00index.html',
    ]) {
      const r = await raw(h.server.port, { path });
      expect(r.status, path).toBe(403);
      expect(r.body.toString()).not.toContain('do not serve');
    }
    for (const path of ['/link.txt', '/assets/link.js']) {
      const link = await raw(h.server.port, { path });
      expect(link.status, path).toBe(404);
      expect(link.body.toString()).not.toContain('do not serve');
    }
    expect(statSync(join(base, 'secret.txt')).isFile()).toBe(true);
  });

  it('says how to build the UI when index.html is missing', async () => {
    const bare = await tempServer({ staticDir: join(base, 'not-built') });
    try {
      const r = await raw(bare.server.port, { path: '/' });
      expect(r.status).toBe(404);
      expect(r.body.toString()).toContain('npm run build:web');
      expect(bare.server.webUiBuilt).toBe(false);
      expect((await bare.rpc('appInfo', {})).status).toBe(200);
    } finally {
      await bare.stop();
    }
  });
});
