import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { files, protocolHandlers, resetFake, session } from './fakeElectron';

vi.mock('electron', async () => (await import('./fakeElectron')).electron);

const { CONTENT_SECURITY_POLICY } = await import('../../../src/server/securityHeaders');
const { installCsp } = await import('../../../src/main/security');
const { handleAppScheme } = await import('../../../src/main/appProtocol');

const REPO = resolve(import.meta.dirname, '../../..');

function parseCsp(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (!name) continue;
    expect(out.has(name), `directive ${name} given twice`).toBe(false);
    out.set(name.toLowerCase(), values);
  }
  return out;
}

function metaCsp(html: string): string {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
  expect(m, 'index.html has a CSP <meta>').not.toBeNull();
  return m![1]!;
}

describe('Content-Security-Policy', () => {
  const csp = parseCsp(CONTENT_SECURITY_POLICY);

  it('runs only the app’s own scripts: no inline, no eval, no remote hosts', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'self'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'none'"]);
    expect(csp.get('form-action')).toEqual(["'none'"]);
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    // Trace content must not be able to send data anywhere: fetch/XHR/WebSocket stay home.
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });

  it('allows no wildcard, scheme-wide or remote source in any directive', () => {
    for (const [name, values] of csp) {
      for (const v of values) {
        expect(v, `${name} ${v}`).not.toMatch(/^(\*|https?:|wss?:|ftp:|filesystem:)$/i);
        expect(v, `${name} ${v}`).not.toMatch(/^https?:\/\//i);
        expect(v, `${name} ${v}`).not.toMatch(/unsafe-eval|unsafe-hashes|strict-dynamic|wasm-unsafe-eval/);
      }
    }
    // 'unsafe-inline' is tolerated for styles only (React style props); never for scripts.
    const inline = [...csp].filter(([, v]) => v.includes("'unsafe-inline'")).map(([k]) => k);
    expect(inline).toEqual(['style-src']);
    // data: only for images (the inline SVG favicon); blob: only for workers
    expect([...csp].filter(([, v]) => v.includes('data:')).map(([k]) => k)).toEqual(['img-src']);
    expect([...csp].filter(([, v]) => v.includes('blob:')).map(([k]) => k)).toEqual(['worker-src']);
  });

  it('index.html carries the same policy as the header (minus frame-ancestors, which <meta> ignores)', () => {
    for (const html of ['src/renderer/index.html']) {
      const meta = parseCsp(metaCsp(readFileSync(resolve(REPO, html), 'utf8')));
      const header = new Map(csp);
      header.delete('frame-ancestors');
      expect(Object.fromEntries(meta)).toEqual(Object.fromEntries(header));
    }
  });
});

describe('session hardening (src/main/security.ts installCsp)', () => {
  beforeEach(() => {
    resetFake();
    installCsp(session as never);
  });

  it('replaces any CSP a response brings (any case) with the app’s', () => {
    let result: Record<string, string[]> | null = null;
    session.headersReceived!(
      {
        responseHeaders: {
          'content-security-policy': ["script-src * 'unsafe-eval'"],
          'CONTENT-SECURITY-POLICY': ["default-src *"],
          'X-Other': ['kept'],
        },
      },
      (r) => {
        result = r.responseHeaders;
      },
    );
    const headers = result as unknown as Record<string, string[]>;
    const csps = Object.entries(headers).filter(([k]) => k.toLowerCase() === 'content-security-policy');
    expect(csps).toEqual([['Content-Security-Policy', [CONTENT_SECURITY_POLICY]]]);
    expect(headers['X-Other']).toEqual(['kept']);
  });

  it('adds the CSP to responses that had none', () => {
    let result: Record<string, string[]> | null = null;
    session.headersReceived!({ responseHeaders: {} }, (r) => {
      result = r.responseHeaders;
    });
    expect(result).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });

  it('grants no permission but sanitized clipboard writes', () => {
    const asked: [string, boolean][] = [];
    for (const p of [
      'media',
      'geolocation',
      'notifications',
      'midi',
      'midiSysex',
      'pointerLock',
      'fullscreen',
      'openExternal',
      'clipboard-read',
      'display-capture',
      'hid',
      'serial',
      'usb',
      'fileSystem',
      'unknown',
      'clipboard-sanitized-write',
    ]) {
      session.permissionRequest!({}, p, (ok) => asked.push([p, ok]));
      expect(session.permissionCheck!({}, p), p).toBe(p === 'clipboard-sanitized-write');
    }
    expect(asked.filter(([, ok]) => ok).map(([p]) => p)).toEqual(['clipboard-sanitized-write']);
  });
});

describe('tracedeck:// protocol handler (src/main/appProtocol.ts)', () => {
  const root = '/opt/tracedeck/out/renderer';
  beforeEach(() => {
    resetFake();
    files.set(`${root}/index.html`, '<!doctype html><title>app</title>');
    files.set(`${root}/assets/app.js`, 'console.log(1)');
    files.set('/etc/passwd', 'root:x:0:0');
    files.set('/opt/tracedeck/out/main/index.js', 'secret main code');
    handleAppScheme(root);
  });

  const get = (url: string) => protocolHandlers.get('tracedeck')!(new Request(url));

  it('serves the bundled files with the CSP and nosniff headers', async () => {
    const res = await get('tracedeck://app/index.html');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>app</title>');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const js = await get('tracedeck://app/assets/app.js');
    expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
  });

  it('refuses other hosts and anything outside the renderer folder', async () => {
    for (const url of [
      'tracedeck://evil/index.html',
      'tracedeck://app/../main/index.js',
      'tracedeck://app/%2e%2e/main/index.js',
      'tracedeck://app/..%2fmain%2findex.js',
      'tracedeck://app/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd',
      'tracedeck://app/assets/..%5c..%5cmain%5cindex.js',
      'tracedeck://app/index.html%00.png',
      'tracedeck://app/missing.js',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      const body = await res.text();
      expect(body, url).not.toContain('root:x');
      expect(body, url).not.toContain('secret');
    }
  });
});
