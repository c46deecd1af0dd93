/**
 * Trace content is untrusted text. Characters that do something instead of showing — bidi
 * controls (U+202E turns the rest of a line around: "gpt-4\u202Egnp.exe"), zero-width and
 * other invisible format characters, C0/C1 controls — are shown as a visible marker such as
 * ⟨U+202E⟩, so a name cannot disguise itself or what follows it. Tab and line breaks stay (the
 * CSS decides how they show). Elements holding untrusted text are also bidi-isolated in CSS
 * (`unicode-bidi: isolate`), so right-to-left text in a value cannot reorder its neighbours.
 */
const INVISIBLE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

export function showControls(s: string): string {
  INVISIBLE.lastIndex = 0;
  if (!INVISIBLE.test(s)) return s;
  return s.replace(INVISIBLE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
