import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/workspace';
import { raw, tempServer } from './harness';

// Browser mode's per-server secret (src/server/sessionAuth.ts): every /api request needs it,
// the OTLP receiver and the static UI bundle do not.

const OTLP_FIXTURE = 'otlp-json/otel-proto-example-trace.json';

describe('browser mode access token', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  let base: string;
  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'tracedeck-auth-test-'));
    const web = join(base, 'web');
    mkdirSync(join(web, 'assets'), { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>Tracedeck</title>');
    writeFileSync(join(web, 'assets', 'app.js'), 'console.log("app")');
    h = await tempServer({ staticDir: web });
  });
  afterAll(async () => {
    await h.stop();
    rmSync(base, { recursive: true, force: true });
  });

  const cookie = () => `${h.server.cookieName}=${h.server.secret}`;

  it('makes a long random secret per server and prints it in the address to open', async () => {
    expect(h.server.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(h.server.openUrl).toBe(`${h.server.url}/?token=${h.server.secret}`);
    const other = await tempServer();
    try {
      expect(other.server.secret).not.toBe(h.server.secret);
      expect(other.server.cookieName).not.toBe(h.server.cookieName);
    } finally {
      await other.stop();
    }
  });

  it('refuses every API and SSE request without the secret (401)', async () => {
    const requests = [
      { method: 'POST', path: '/api/rpc/appInfo', body: '{}' },
      { method: 'POST', path: '/api/rpc/listTraces', body: '{}' },
      { method: 'POST', path: '/api/rpc/importPaths', body: JSON.stringify({ paths: ['/etc/passwd'] }) },
      { method: 'POST', path: '/api/rpc/setLlmSettings', body: '{}' },
      { method: 'POST', path: '/api/upload?name=x.json', body: '{}' },
      { method: 'GET', path: '/api/events' },
      { method: 'GET', path: '/api/nothing-here' },
    ];
    for (const r of requests) {
      for (const headers of [
        {} as Record<string, string>,
        { authorization: 'Bearer wrong' },
        { authorization: `Bearer ${h.server.secret.slice(0, -1)}` },
        { cookie: `${h.server.cookieName}=nope` },
        // another server's cookie name (cookies are per host, not per port)
        { cookie: `tracedeck_session_1=${h.server.secret}` },
      ]) {
        const res = await raw(h.server.port, { ...r, headers, auth: false });
        expect(res.status, `${r.method} ${r.path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
        expect(JSON.parse(res.body.toString()).error.message).toMatch(/not authorised/);
      }
    }
    expect(h.server.backend.workspace.listImports()).toEqual([]);
  });

  it('accepts the session cookie or a bearer header', async () => {
    for (const headers of [{ cookie: cookie() } as Record<string, string>, { cookie: `other=1; ${cookie()}` }, { authorization: `Bearer ${h.server.secret}` }]) {
      const res = await raw(h.server.port, { method: 'POST', path: '/api/rpc/appInfo', body: '{}', headers, auth: false });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.body.toString()).mode).toBe('browser');
    }
  });

  it('still refuses a cross-origin request that carries the cookie (403)', async () => {
    const res = await raw(h.server.port, {
      method: 'POST',
      path: '/api/rpc/appInfo',
      body: '{}',
      headers: { cookie: cookie(), origin: 'http://evil.example' },
      auth: false,
    });
    expect(res.status).toBe(403);
  });

  it('exchanges the token in the address for an HttpOnly SameSite=Strict cookie and redirects it away', async () => {
    const res = await raw(h.server.port, { path: `/?token=${h.server.secret}`, auth: false });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(res.headers['cache-control']).toBe('no-store');
    const set = res.headers['set-cookie']!;
    expect(set).toHaveLength(1);
    const parts = set[0]!.split(';').map((p) => p.trim());
    expect(parts[0]).toBe(cookie());
    expect(parts).toContain('HttpOnly');
    expect(parts).toContain('SameSite=Strict');
    expect(parts).toContain('Path=/');
    expect(parts.some((p) => /^(Max-Age|Expires|Domain)=/i.test(p))).toBe(false);

    // Other query parameters and the path survive; only the token goes.
    const deep = await raw(h.server.port, { path: `/trace/abc?x=1&token=${h.server.secret}`, auth: false });
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe('/trace/abc?x=1');
  });

  it('answers a wrong token with 401 and no cookie', async () => {
    const res = await raw(h.server.port, { path: '/?token=guess', auth: false });
    expect(res.status).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(res.body.toString()).toMatch(/not valid for this server/);
  });

  it('serves the static UI bundle without the secret (public code, no trace data)', async () => {
    const page = await raw(h.server.port, { path: '/', auth: false });
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('<title>Tracedeck</title>');
    const js = await raw(h.server.port, { path: '/assets/app.js', auth: false });
    expect(js.status).toBe(200);
  });

  it('keeps the OTLP receiver open to local exporters', async () => {
    const res = await raw(h.server.port, {
      method: 'POST',
      path: '/v1/traces',
      headers: { 'content-type': 'application/json' },
      body: readFileSync(fixture(OTLP_FIXTURE)),
      auth: false,
    });
    expect(res.status).toBe(200);
    expect(h.server.backend.workspace.listTraces().total).toBeGreaterThan(0);
  });
});

describe('import errors over the API', () => {
  let h: Awaited<ReturnType<typeof tempServer>>;
  let dir: string;
  beforeAll(async () => {
    h = await tempServer();
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-probe-'));
    writeFileSync(join(dir, 'notes.txt'), 'just some text');
    mkdirSync(join(dir, 'folder'));
  });
  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('do not tell whether a path exists, is a folder or is an unreadable non-trace file', async () => {
    const paths = [join(dir, 'missing.json'), join(dir, 'notes.txt'), join(dir, 'folder'), '/etc/shadow'];
    const r = await h.rpc<{ ok: boolean; error: string }[]>('importPaths', { paths });
    expect(r.status).toBe(200);
    const messages = r.body.map((o, i) => {
      expect(o.ok).toBe(false);
      expect(o.error.startsWith(`${paths[i]}: `)).toBe(true);
      return o.error.slice(paths[i]!.length);
    });
    expect(new Set(messages).size).toBe(1);
    // The import history (also readable over the API) says no more.
    const history = await h.rpc<{ error: string }[]>('listImports', {});
    for (const rec of history.body) expect(rec.error).toMatch(/no readable trace file at this path/);
  });
});
