import type { Page } from 'playwright-core';

const EDITOR = '[data-testid=judge-source][data-ready=true]';

/**
 * The text the judge editor shows, line by line as Monaco renders it (lines sorted by their
 * position; Monaco renders spaces as U+00A0). Only for documents that fit the editor's height.
 */
export async function editorText(page: Page): Promise<string> {
  return page.$$eval(`${EDITOR} .view-lines .view-line`, (lines) =>
    lines
      .map((l) => ({ top: parseFloat((l as HTMLElement).style.top) || 0, text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text)
      .join('\n'),
  );
}

/** Wait until the editor shows exactly `expected`; on timeout, return what it shows (for the diff). */
export async function waitForEditorText(page: Page, expected: string, timeoutMs = 15_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = await editorText(page);
  while (last !== expected && Date.now() < until) {
    await page.waitForTimeout(50);
    last = await editorText(page);
  }
  return last;
}

/** Focus the editor (caret where Monaco puts it on click: use keys to move it afterwards). */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator(`${EDITOR} .monaco-editor`).waitFor({ timeout: 30_000 });
  await page.locator(`${EDITOR} .monaco-editor .view-lines`).click();
}

/**
 * Paste `text` at the caret as the browser does on Ctrl+V: a `paste` event carrying the text on
 * its clipboardData, dispatched to Monaco's input element (the system clipboard is not
 * available to a headless page).
 */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.evaluate(
    ({ sel, t }) => {
      const target = document.querySelector(`${sel} .monaco-editor textarea, ${sel} .monaco-editor .native-edit-context`) as HTMLElement | null;
      if (!target) throw new Error('no Monaco input element');
      const data = new DataTransfer();
      data.setData('text/plain', t);
      target.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    },
    { sel: EDITOR, t: text },
  );
}

/** Put the caret at the end of 1-based `line` (Ctrl+Home, ↓ × (line − 1), End). */
export async function caretToLineEnd(page: Page, line: number): Promise<void> {
  await page.keyboard.press('ControlOrMeta+Home');
  for (let i = 1; i < line; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
}

/**
 * App style rules that apply to an element of Monaco's DOM (editor, its overflow widgets, aria
 * container, context views), as "selector → element". App rules are those of a style sheet that
 * holds the app's `@scope (#root) to (…)` blocks; a rule inside such a scope applies to an element
 * only when the element is inside the scope root and not at or under a scoping limit — the same
 * rule the browser's cascade uses. Must be empty: no app rule may reach Monaco.
 */
export async function appRulesInsideMonaco(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type ScopeRule = CSSRule & { start: string | null; end: string | null; cssRules: CSSRuleList };
    const isScope = (r: CSSRule): r is ScopeRule => r.constructor.name === 'CSSScopeRule';
    const monaco = [...document.querySelectorAll('.monaco-editor, .monaco-editor *, .monaco-aria-container, .monaco-aria-container *, .context-view *, .monaco-hover *')];
    const inScope = (el: Element, scope: ScopeRule): boolean => {
      for (let e: Element | null = el; e; e = e.parentElement) {
        if (scope.start && e.matches(scope.start)) return true;
        if (scope.end && e.matches(scope.end)) return false;
      }
      return !scope.start;
    };
    const out: string[] = [];
    const visit = (rules: CSSRuleList, scopes: ScopeRule[]) => {
      for (const r of rules) {
        if (isScope(r)) visit(r.cssRules, [...scopes, r]);
        else if (r instanceof CSSStyleRule) {
          for (const el of monaco) {
            let matches = false;
            try {
              matches = el.matches(r.selectorText);
            } catch {
              matches = false; // pseudo-elements (::placeholder) never match an element
            }
            if (matches && scopes.every((s) => inScope(el, s))) {
              out.push(`${r.selectorText} → ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`);
              break;
            }
          }
        } else if ('cssRules' in r) visit((r as CSSGroupingRule).cssRules, scopes);
      }
    };
    for (const sheet of document.styleSheets) {
      let rules: CSSRuleList;
      try {
        rules = sheet.cssRules;
      } catch {
        continue;
      }
      if (![...rules].some(isScope)) continue; // Monaco's own style sheets
      visit(rules, []);
    }
    return out;
  });
}
