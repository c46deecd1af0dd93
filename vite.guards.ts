import type { Plugin } from 'vite';

/** Hosts that serve code/fonts/styles: the offline app must never load from them. */
const CDN_HOSTS = [
  'cdn.jsdelivr.net',
  'unpkg.com',
  'cdnjs.cloudflare.com',
  'esm.sh',
  'cdn.skypack.dev',
  'ga.jspm.io',
  'fonts.googleapis.com',
  'fonts.gstatic.com',
];

const HTML_REMOTE = /\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?\/\//i;
const CSS_REMOTE = /url\(\s*["']?\s*(?:https?:)?\/\//i;
const CSS_IMPORT_REMOTE = /@import\s+(?:url\()?\s*["']?\s*(?:https?:)?\/\//i;

/**
 * Fails the build when an emitted file references a CDN or loads a remote asset. Tracedeck runs
 * offline under `default-src 'self'`: such a reference would be either dead weight or a broken
 * feature (e.g. @monaco-editor/react's default loader pulls Monaco from jsDelivr — configure it
 * with the bundled `monaco-editor` instead, and keep the loader's default URL out of the bundle).
 */
export function noRemoteUrls(): Plugin {
  return {
    name: 'tracedeck:no-remote-urls',
    apply: 'build',
    enforce: 'post',
    generateBundle(_opts, bundle) {
      const problems: string[] = [];
      for (const [file, out] of Object.entries(bundle)) {
        const text =
          out.type === 'chunk'
            ? out.code
            : typeof out.source === 'string'
              ? out.source
              : /\.(html|css|js|mjs|svg)$/.test(file)
                ? new TextDecoder().decode(out.source)
                : '';
        if (!text) continue;
        for (const host of CDN_HOSTS) if (text.includes(host)) problems.push(`${file}: references ${host}`);
        if (file.endsWith('.html') && HTML_REMOTE.test(text)) problems.push(`${file}: loads a remote src/href`);
        if (file.endsWith('.css') && (CSS_REMOTE.test(text) || CSS_IMPORT_REMOTE.test(text))) {
          problems.push(`${file}: loads a remote url()/@import`);
        }
      }
      if (problems.length) this.error(`remote URLs in the offline renderer build:\n  ${problems.join('\n  ')}`);
    },
  };
}
