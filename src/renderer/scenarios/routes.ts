/**
 * Routes of the scenarios area: `#/scenarios` (list, import) and `#/scenarios/:id` (the editor).
 * Ids travel URI-encoded in the fragment of our own document only.
 */
export type ScenariosView = { page: 'list' } | { page: 'edit'; id: string };

export function parseScenariosPath(path: string): ScenariosView | null {
  const parts = path.replace(/\/+$/, '').split('/');
  if (parts[1] !== 'scenarios') return null;
  if (parts.length === 2) return { page: 'list' };
  if (parts.length === 3 && parts[2]) {
    try {
      return { page: 'edit', id: decodeURIComponent(parts[2]) };
    } catch {
      return null;
    }
  }
  return null;
}

export const SCENARIOS_HASH = '#/scenarios';
export const scenarioHash = (id: string) => `#/scenarios/${encodeURIComponent(id)}`;
