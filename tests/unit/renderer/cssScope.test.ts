import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = resolve(import.meta.dirname, '../../../src/renderer');
/** The one scope every app rule lives in: the app root, minus Monaco's DOM. */
const SCOPE =
  '@scope (#root) to (.monaco-editor, .monaco-aria-container, .context-view, .monaco-menu-container, .monaco-hover, .quick-input-widget)';
/** Rules that may stay global: they style the document, which Monaco sits in but never matches. */
const GLOBAL_PRELUDES = [/^:root$/, /^html$/, /^body$/, /^html, body$/, /^html, body, #root$/, /^@keyframes [\w-]+$/];

function cssFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...cssFiles(p));
    else if (p.endsWith('.css')) out.push(p);
  }
  return out;
}

/** Top-level blocks of a style sheet: prelude and body (comments and strings skipped). */
function topLevelBlocks(css: string): { prelude: string; body: string }[] {
  const s = css.replace(/\/\*[\s\S]*?\*\//g, '');
  const out: { prelude: string; body: string }[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{', i);
    if (open < 0) {
      if (s.slice(i).trim()) throw new Error(`text after the last block: ${s.slice(i).trim().slice(0, 40)}`);
      break;
    }
    let depth = 0;
    let j = open;
    for (; j < s.length; j++) {
      const c = s[j];
      if (c === '"' || c === "'") j = s.indexOf(c, j + 1);
      else if (c === '{') depth++;
      else if (c === '}' && --depth === 0) break;
    }
    out.push({ prelude: s.slice(i, open).replace(/\s+/g, ' ').trim(), body: s.slice(open + 1, j) });
    i = j + 1;
  }
  return out;
}

const isGlobal = (b: { prelude: string; body: string }): boolean =>
  GLOBAL_PRELUDES.some((re) => re.test(b.prelude)) ||
  // @media (prefers-color-scheme: light) { :root { … } }: theme tokens
  (b.prelude.startsWith('@media') && topLevelBlocks(b.body).every(isGlobal));

describe('app CSS cannot reach Monaco', () => {
  const files = cssFiles(RENDERER);

  it('finds the style sheets', () => {
    expect(files.length).toBeGreaterThanOrEqual(6);
  });

  it.each(files.map((f) => [relative(RENDERER, f), f]))('%s: every rule is global by design or inside the Monaco-bounded @scope', (_name, file) => {
    const stray = topLevelBlocks(readFileSync(file, 'utf8'))
      .filter((b) => !isGlobal(b) && b.prelude !== SCOPE)
      .map((b) => b.prelude);
    expect(stray).toEqual([]);
  });

  it('the parser sees what it should: an unscoped rule is reported', () => {
    const blocks = topLevelBlocks(`:root { --a: 1; }\n.main { flex-direction: column; }\n${SCOPE} { .x { color: red; } }`);
    expect(blocks.filter((b) => !isGlobal(b) && b.prelude !== SCOPE).map((b) => b.prelude)).toEqual(['.main']);
  });
});
