import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../../src/renderer/app/router';
import { LABELS_HASH } from '../../../src/renderer/labels/routes';

describe('labels routes', () => {
  it('parses the four labels views and nothing else under /labels', () => {
    expect(parseRoute(LABELS_HASH.label)).toEqual({ name: 'labels', view: 'label' });
    expect(parseRoute('#/labels/')).toEqual({ name: 'labels', view: 'label' });
    expect(parseRoute(LABELS_HASH.modes)).toEqual({ name: 'labels', view: 'modes' });
    expect(parseRoute(LABELS_HASH.analysis)).toEqual({ name: 'labels', view: 'analysis' });
    expect(parseRoute(LABELS_HASH.alignment)).toEqual({ name: 'labels', view: 'alignment' });
    expect(parseRoute('#/labels/nope')).toEqual({ name: 'not-found', hash: '/labels/nope' });
  });
});
