import { describe, expect, it } from 'vitest';
import { APP_ORIGIN, appOrigins, isAppUrl, originOf } from '../../../src/main/origins';

describe('app origin checks (IPC sender and navigation guards)', () => {
  it('gives the custom scheme a real origin, unlike URL.origin', () => {
    expect(new URL('tracedeck://app/index.html').origin).toBe('null'); // why originOf exists
    expect(originOf('tracedeck://app/index.html#/trace/x')).toBe(APP_ORIGIN);
    expect(originOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(originOf('file:///etc/passwd')).toBeNull();
    expect(originOf('about:blank')).toBeNull();
    expect(originOf('not a url')).toBeNull();
  });

  it('accepts the app and, in dev only, the dev server', () => {
    const prod = appOrigins(undefined);
    expect(isAppUrl('tracedeck://app/index.html', prod)).toBe(true);
    expect(isAppUrl('tracedeck://evil/index.html', prod)).toBe(false);
    expect(isAppUrl('http://localhost:5173/', prod)).toBe(false);
    expect(isAppUrl('https://example.com/', prod)).toBe(false);
    expect(isAppUrl('file:///tmp/x.html', prod)).toBe(false);
    const dev = appOrigins('http://localhost:5173/');
    expect(isAppUrl('http://localhost:5173/#/trace/t', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
  });
});
