/** Routes of the labelling area: `#/labels`, `#/labels/modes`, `#/labels/analysis`, `#/labels/alignment`. */

export type LabelsView = 'label' | 'modes' | 'analysis' | 'alignment';

export const LABELS_HASH: Record<LabelsView, string> = {
  label: '#/labels',
  modes: '#/labels/modes',
  analysis: '#/labels/analysis',
  alignment: '#/labels/alignment',
};

/** The view of a fragment path (`/labels/modes`), or null when it is not a labels route. */
export function parseLabelsPath(path: string): LabelsView | null {
  if (path === '/labels' || path === '/labels/') return 'label';
  if (path === '/labels/modes') return 'modes';
  if (path === '/labels/analysis') return 'analysis';
  if (path === '/labels/alignment') return 'alignment';
  return null;
}
