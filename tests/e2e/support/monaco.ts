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
