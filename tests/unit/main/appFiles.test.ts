import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mimeType, resolveAppFile } from '../../../src/main/appFiles';

const root = resolve('/opt/tracedeck/out/renderer');

describe('tracedeck://app file mapping', () => {
  it('maps app paths to files under the renderer folder', () => {
    expect(resolveAppFile(root, '/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, '/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, '/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'));
    expect(resolveAppFile(root, '/assets/a%20b.css')).toBe(join(root, 'assets/a b.css'));
  });

  it('refuses anything that would leave it', () => {
    for (const p of [
      '/../main/index.js',
      '/assets/../../preload/index.cjs',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc/passwd',
      '/assets/..%5c..%5cx',
      '/a%00.js',
      '/%E0%A4%A',
    ]) {
      expect(resolveAppFile(root, p), p).toBeNull();
    }
  });

  it('serves scripts and styles with their real types', () => {
    expect(mimeType('x/index.js')).toBe('text/javascript; charset=utf-8');
    expect(mimeType('x/a.CSS')).toBe('text/css; charset=utf-8');
    expect(mimeType('x/blob.bin')).toBe('application/octet-stream');
  });
});
