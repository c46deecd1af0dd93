/** Routes of the labelling area: `#/labels`, `#/labels/modes`, `#/labels/alignment`. */

export type LabelsView = 'label' | 'modes' | 'alignment';

export const LABELS_HASH: Record<LabelsView, string> = {
  label: '#/labels',
  modes: '#/labels/modes',
  alignment: '#/labels/alignment',
};

/** The view of a fragment path (`/labels/modes`), or null when it is not a labels route. */
export function parseLabelsPath(path: string): LabelsView | null {
  if (path === '/labels' || path === '/labels/') return 'label';
  if (path === '/labels/modes') return 'modes';
  if (path === '/labels/alignment') return 'alignment';
  return null;
}
